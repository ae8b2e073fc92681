import os

import pytest

from accounts.reference_data import load_reference_data

# Playwright's sync API runs an event loop in the test thread; Django's live server is safe with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database; they reload the seeded reference data."""
    load_reference_data()


@pytest.fixture
def api_client():
    """An API client asking for English answers (API clients choose with Accept-Language)."""
    from rest_framework.test import APIClient

    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need real row locks: they run on PostgreSQL (CI) and skip on SQLite."""
    on_sqlite = "sqlite" in (os.environ.get("DATABASE_URL") or "sqlite")
    for item in items:
        if "concurrency" in item.keywords and on_sqlite:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
