"""Every refusal of a declaration or an agreement says what is wrong, next to the line or field
concerned, with a stable code, and nothing entered is lost (SPEC §6)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import InvalidInput
from peer_mentoring import services
from peer_mentoring.choices import Activity
from peer_mentoring.models import ProgrammeSettings
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import OrganisationFactory, applicant
from tests.grants.factories import GrantApplicationFactory

from .factories import Cast, act, agreement_in, declaration_in, draft_agreement, last_month, line

pytestmark = pytest.mark.django_db


def codes(refusal: InvalidInput) -> dict[str, list[str]]:
    return {field: [item["code"] for item in items] for field, items in refusal.errors.items()}


@pytest.fixture
def active():
    return agreement_in(AgreementState.ACTIVE, cap="10")


def save(declaration, cast, *lines):
    return services.save_lines(declaration=declaration, acting_user=cast.mentor, lines=list(lines))


def test_a_line_outside_the_agreement_period_is_refused_next_to_its_date():
    agreement, cast = agreement_in(AgreementState.ACTIVE, starts_on=last_month() + timedelta(days=10))
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())

    with pytest.raises(InvalidInput) as refusal:
        save(
            declaration, cast, line(last_month() + timedelta(days=11)), line(last_month() + timedelta(days=2))
        )

    assert codes(refusal.value) == {"lines.1.date": ["line_outside_period"]}


def test_a_line_in_the_future_is_refused():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    month = timezone.localdate().replace(day=1)
    if month == timezone.localdate().replace(day=28) - timedelta(days=27) and timezone.localdate().day == 28:
        pytest.skip("no day after today this month")
    tomorrow = timezone.localdate() + timedelta(days=1)
    if tomorrow.month != month.month:
        pytest.skip("today is the month's last day")
    declaration = services.create_declaration(acting_user=cast.mentor, agreement=agreement, month=month)

    with pytest.raises(InvalidInput) as refusal:
        save(declaration, cast, line(tomorrow))

    assert codes(refusal.value) == {"lines.0.date": ["line_in_future"]}


def test_a_line_outside_the_declared_month_is_refused(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())

    with pytest.raises(InvalidInput) as refusal:
        save(declaration, cast, line(last_month() - timedelta(days=1)))

    assert codes(refusal.value) == {"lines.0.date": ["line_outside_month"]}


def test_more_than_the_daily_maximum_is_refused_on_each_line_of_that_day(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())
    day = last_month()

    with pytest.raises(InvalidInput) as refusal:
        save(declaration, cast, line(day, "6", Activity.MEETING), line(day, "4.25", Activity.WORKSHOP))

    assert codes(refusal.value) == {
        "lines.0.hours": ["daily_maximum_exceeded"],
        "lines.1.hours": ["daily_maximum_exceeded"],
    }
    assert "at most 10" in refusal.value.errors["lines.0.hours"][0]["message"]


def test_the_daily_maximum_is_configurable(active):
    agreement, cast = active
    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"daily_maximum_hours": Decimal("4")})
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())

    with pytest.raises(InvalidInput):
        save(declaration, cast, line(last_month(), "4.5"))


def test_hours_not_in_quarter_hours_are_refused(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())

    with pytest.raises(InvalidInput) as refusal:
        save(declaration, cast, line(last_month(), "1.1"))

    assert codes(refusal.value) == {"lines.0.hours": ["hours_not_in_quarter_hours"]}


def test_the_same_date_and_activity_twice_is_refused_on_the_second_line(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())

    with pytest.raises(InvalidInput) as refusal:
        save(declaration, cast, line(last_month()), line(last_month(), "1"))

    assert codes(refusal.value) == {"lines.1.activity": ["duplicate_date_and_activity"]}


def test_a_refused_save_keeps_the_lines_saved_before(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=("2",))

    with pytest.raises(InvalidInput):
        save(declaration, cast, line(last_month(), "1.1"))

    assert list(declaration.lines.values_list("hours", flat=True)) == [Decimal("2.00")]


def test_a_second_declaration_for_the_same_month_is_refused_next_to_the_month(active):
    agreement, cast = active
    declaration_in(DeclarationState.DRAFT, agreement, cast)

    with pytest.raises(InvalidInput) as refusal:
        services.create_declaration(acting_user=cast.mentor, agreement=agreement, month=last_month())

    assert codes(refusal.value) == {"month": ["month_already_declared"]}


def test_hours_above_the_cap_are_refused_saying_how_many_remain(active):
    agreement, cast = active  # cap 10 h
    declaration_in(
        DeclarationState.VALIDATED, agreement, cast, month=last_month() - timedelta(days=1), hours=("4",)
    )
    declaration_in(
        DeclarationState.SUBMITTED, agreement, cast, month=last_month() - timedelta(days=40), hours=("3",)
    )
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=("2", "2"))

    with pytest.raises(InvalidInput) as refusal:
        act(declaration, "submit", cast.mentor)

    assert refusal.value.code == "hours_cap_exceeded"
    assert "3 hours remain" in refusal.value.message
    assert codes(refusal.value) == {"lines": ["hours_cap_exceeded"]}
    declaration.refresh_from_db()
    assert declaration.state == DeclarationState.DRAFT
    assert declaration.lines.count() == 2


def test_hours_exactly_up_to_the_cap_pass(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=("5", "5"))

    assert act(declaration, "submit", cast.mentor).state == DeclarationState.SUBMITTED


def test_the_cap_check_costs_one_query_whatever_the_number_of_declarations(django_assert_num_queries):
    agreement, cast = agreement_in(AgreementState.ACTIVE, starts_on=date.today() - timedelta(days=200))
    for months_back in range(1, 4):
        declaration_in(
            DeclarationState.SUBMITTED,
            agreement,
            cast,
            month=last_month() - timedelta(days=31 * months_back + 1),
            hours=("1",),
        )
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=("1",))
    from django.db import transaction

    with transaction.atomic(), django_assert_num_queries(1):
        services._require_within_cap(declaration, agreement)


def test_a_declaration_without_lines_cannot_be_submitted(active):
    agreement, cast = active
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())

    with pytest.raises(InvalidInput) as refusal:
        act(declaration, "submit", cast.mentor)

    assert refusal.value.code == "declaration_without_lines"


def test_an_organisation_cannot_mentor_itself():
    cast = Cast()
    with pytest.raises(InvalidInput) as refusal:
        draft_agreement(Cast(mentor=cast.mentor_organisation, mentee=cast.mentor_organisation))

    assert codes(refusal.value) == {"mentee": ["mentor_is_mentee"]}


def test_the_lead_and_a_partner_of_one_grant_cannot_be_paired():
    cast = Cast()
    GrantApplicationFactory(lead_organisation=cast.mentee_organisation, partners=[cast.mentor_organisation])

    with pytest.raises(InvalidInput) as refusal:
        draft_agreement(cast)

    assert codes(refusal.value) == {"mentee": ["mentor_and_mentee_share_a_grant"]}


def test_an_organisation_that_is_not_a_mentor_cannot_be_the_mentor():
    organisation = OrganisationFactory()
    cast = Cast(mentor=organisation)

    with pytest.raises(InvalidInput) as refusal:
        draft_agreement(cast)

    assert codes(refusal.value) == {"mentor": ["not_a_mentor"]}


def test_a_stranger_cannot_start_an_agreement_between_two_others():
    cast = Cast()

    with pytest.raises(Exception) as refusal:
        services.create_agreement(
            acting_user=applicant(),
            mentor=cast.mentor_organisation,
            mentee=cast.mentee_organisation,
            project="x",
            objectives="y",
            starts_on=date.today(),
            ends_on=date.today(),
            planned_hours=Decimal(1),
        )

    assert refusal.value.status_code == 403
