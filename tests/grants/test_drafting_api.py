"""The API's PATCH of a draft stays all or nothing (the web saves section by section): a client
gets every refusal at once and knows the draft is exactly as it was."""

import pytest

from core.models import HistoryEntry
from tests.factories import applicant
from tests.grants.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/grants/applications/"


def test_a_patch_with_one_refused_field_changes_nothing(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/",
        {
            "title": "Shared bookkeeping",
            "budget_lines": [{"category": "training", "description": "Course", "amount": "1000.00"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "total budget" in response.json()["errors"]["requested_amount"][0]["message"]
    application.refresh_from_db()
    assert (application.title, application.budget_lines.count()) == ("Shared accounting office", 2)
    assert not HistoryEntry.objects.for_file(application).exists()


def test_a_patch_answers_the_draft_as_saved_and_leaves_a_history_row(client_for):
    application = GrantApplicationFactory()

    response = client_for(applicant(application.lead_organisation)).patch(
        f"{APPLICATIONS}{application.pk}/", {"title": "Shared bookkeeping"}, format="json"
    )

    assert response.json()["title"] == "Shared bookkeeping"
    row = HistoryEntry.objects.for_file(application).get()
    assert (row.transition, row.parameters) == ("draft_saved", {"fields": ["title"]})
