"""The officers' search box reads a stored full-text vector on PostgreSQL (core.search_vector)."""

from django.db import migrations

from core.search_vector import stored_vector


class Migration(migrations.Migration):
    dependencies = [("peer_mentoring", "0002_search_text")]

    operations = [
        stored_vector(
            "peer_mentoring_agreement",
            "agreement_search_vector",
            replaces=("agreement_search_fr", "agreement_search_nl"),
        ),
        stored_vector(
            "peer_mentoring_hoursdeclaration",
            "hours_search_vector",
            replaces=("hours_search_fr", "hours_search_nl"),
        ),
    ]
