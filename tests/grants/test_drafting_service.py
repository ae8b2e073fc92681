"""Saving a draft (grants/drafting.py): all or nothing for the API, section by section for the web,
one lock and one permission check, the fresh application returned, a history row of what changed."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import QuerySet

from core.exceptions import InvalidInput, NotPermitted
from core.models import HistoryEntry
from grants import drafting
from tests.factories import OrganisationFactory, applicant
from tests.grants.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db

STAFF_LINE = {"category": "staff", "description": "Shared accountant", "amount": Decimal("60000")}
BAD_COORDINATION_LINE = {
    "category": "coordination_hours",
    "description": "Coordination",
    "hours": Decimal("5"),
}


def inverted_dates() -> dict:
    return {"start_date": date.today() + timedelta(days=60), "end_date": date.today() + timedelta(days=30)}


def test_saving_a_draft_returns_the_application_as_saved():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    saved = drafting.save_draft(
        acting_user=user, application=application, data={"title": "New title"}, lines=[STAFF_LINE]
    )

    assert saved is not application
    assert (saved.title, saved.budget_total) == ("New title", Decimal("60000.00"))
    assert application.title == "Shared accounting office"  # the caller's copy is left as it was


def test_an_all_or_nothing_save_stores_nothing_when_one_field_is_refused():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    with pytest.raises(InvalidInput) as refusal:
        drafting.save_draft(
            acting_user=user, application=application, data={"title": "New title", **inverted_dates()}
        )

    assert "end_date" in refusal.value.errors
    application.refresh_from_db()
    assert application.title == "Shared accounting office"


def test_a_partial_save_stores_the_other_fields_and_keeps_the_refused_dates_as_saved():
    application = GrantApplicationFactory()
    saved_end = application.end_date
    user = applicant(application.lead_organisation)

    outcome = drafting.save_draft_partially(
        acting_user=user, application=application, data={"title": "New title", **inverted_dates()}
    )

    assert list(outcome.errors) == ["end_date"]
    application.refresh_from_db()
    assert (application.title, application.end_date) == ("New title", saved_end)
    assert application.start_date < application.end_date


def test_a_partial_save_keeps_the_saved_budget_when_a_line_is_refused():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    outcome = drafting.save_draft_partially(
        acting_user=user,
        application=application,
        data={"description": "Changed"},
        lines=[STAFF_LINE, BAD_COORDINATION_LINE],
    )

    assert list(outcome.errors) == ["budget_lines.1"]
    assert outcome.application.description == "Changed"
    assert outcome.application.budget_total == Decimal("50000.00")


def test_a_partial_save_keeps_the_saved_partners_when_the_lead_is_named_among_them():
    application = GrantApplicationFactory()
    partner = application.partners.get()
    user = applicant(application.lead_organisation)

    outcome = drafting.save_draft_partially(
        acting_user=user,
        application=application,
        data={"title": "New title"},
        partners=[application.lead_organisation, OrganisationFactory()],
    )

    assert list(outcome.errors) == ["partners"]
    assert list(outcome.application.partners.all()) == [partner]
    assert outcome.application.title == "New title"


def test_a_partial_save_refuses_an_amount_above_the_new_budget_and_saves_the_budget():
    application = GrantApplicationFactory(requested_amount=None)
    user = applicant(application.lead_organisation)

    outcome = drafting.save_draft_partially(
        acting_user=user,
        application=application,
        data={"requested_amount": Decimal("70000")},
        lines=[STAFF_LINE],
    )

    assert list(outcome.errors) == ["requested_amount"]
    assert (outcome.application.requested_amount, outcome.application.budget_total) == (
        None,
        Decimal("60000.00"),
    )


def test_a_draft_is_locked_once_and_membership_checked_once_per_save():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)
    lock = QuerySet.select_for_update

    with (
        mock.patch.object(QuerySet, "select_for_update", autospec=True, side_effect=lock) as locks,
        mock.patch.object(drafting, "may_edit", wraps=drafting.may_edit) as checks,
    ):
        drafting.save_draft_partially(
            acting_user=user,
            application=application,
            data={"title": "New title", "requested_amount": Decimal("30000")},
            partners=[OrganisationFactory()],
            lines=[STAFF_LINE],
        )

    assert (locks.call_count, checks.call_count) == (1, 1)


def test_someone_outside_the_lead_organisation_may_not_save_the_draft():
    application = GrantApplicationFactory()

    with pytest.raises(NotPermitted):
        drafting.save_draft_partially(acting_user=applicant(), application=application, data={"title": "X"})


def test_a_save_records_the_fields_it_changed_in_the_history():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    drafting.save_draft(acting_user=user, application=application, data={"title": "New"}, lines=[STAFF_LINE])

    row = HistoryEntry.objects.for_file(application).get()
    assert (row.transition, row.actor, row.parameters) == (
        "draft_saved",
        user,
        {"fields": ["title", "budget_lines"]},
    )


def test_a_save_that_changes_nothing_leaves_no_history_row():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    outcome = drafting.save_draft_partially(
        acting_user=user, application=application, data={"title": application.title}
    )

    assert outcome.changed == []
    assert not HistoryEntry.objects.for_file(application).exists()


def test_a_refused_all_or_nothing_save_leaves_no_history_row():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)

    with pytest.raises(InvalidInput):
        drafting.save_draft(
            acting_user=user, application=application, data={"title": "X", **inverted_dates()}
        )

    assert not HistoryEntry.objects.for_file(application).exists()


def test_a_partial_save_keeps_both_saved_dates_when_the_new_start_is_after_the_saved_end():
    application = GrantApplicationFactory()
    saved = (application.start_date, application.end_date)
    user = applicant(application.lead_organisation)
    late = {"start_date": saved[1] + timedelta(days=10), "end_date": saved[1] + timedelta(days=5)}

    outcome = drafting.save_draft_partially(acting_user=user, application=application, data=late)

    assert list(outcome.errors) == ["end_date"]
    assert (outcome.application.start_date, outcome.application.end_date) == saved
