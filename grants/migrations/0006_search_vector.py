"""The officers' search box reads a stored full-text vector on PostgreSQL (core.search_vector)."""

from django.db import migrations

from core.search_vector import stored_vector


class Migration(migrations.Migration):
    dependencies = [("grants", "0005_search_text")]

    operations = [
        stored_vector("grants_grantapplication", "grant_search_vector", replaces=("grant_search_fr", "grant_search_nl"))
    ]
