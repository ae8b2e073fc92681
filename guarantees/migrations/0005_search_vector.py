"""The officers' search box reads a stored full-text vector on PostgreSQL (core.search_vector)."""

from django.db import migrations

from core.search_vector import stored_vector


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0004_monitoring_flag")]

    operations = [
        stored_vector(
            "guarantees_guaranteerequest",
            "guarantee_search_vector",
            replaces=("guarantee_search_fr", "guarantee_search_nl"),
        )
    ]
