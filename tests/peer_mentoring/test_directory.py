"""The mentor directory ranks active mentors by how well they match a project, and says why."""

from decimal import Decimal

import pytest
from django.utils import timezone

from peer_mentoring import services
from peer_mentoring.choices import MentorSource
from peer_mentoring.directory import Project, ranked_mentors, reasons
from peer_mentoring.states import AgreementState, DeclarationState, MentorState
from tests.factories import RecognitionFactory, applicant, joint_committee, staff

from .factories import Cast, agreement_in, declaration_in

pytestmark = pytest.mark.django_db

PROJECT = Project(
    types=["hr_support", "material"], legal_form="employer_grouping", joint_committee="319", language="nl"
)


def mentor(types=(), legal_forms=(), languages=("fr",), committees=(), availability=10):
    organisation = RecognitionFactory().organisation
    found = services.grant_mentor_status(organisation=organisation, source=MentorSource.APPLICATION)
    services.update_profile(
        mentor=found,
        acting_user=applicant(organisation),
        data={
            "types": list(types),
            "legal_forms": list(legal_forms),
            "languages": list(languages),
            "availability_hours": availability,
            "joint_committees": [joint_committee(n) for n in committees],
        },
    )
    return found


def test_mentors_are_ranked_by_how_well_they_match_the_project():
    weak = mentor(languages=["nl"])
    strong = mentor(types=["hr_support", "material"], legal_forms=["employer_grouping"], committees=["319"])
    middle = mentor(types=["hr_support"], languages=["nl"])

    ranked = list(ranked_mentors(PROJECT))

    assert [m.pk for m in ranked] == [strong.pk, middle.pk, weak.pk]
    assert [m.score for m in ranked] == [2 * 2 + 1 + 1 + 1, 2 + 1 + 1, 1 + 1]


def test_each_result_says_why_it_matches():
    mentor(types=["hr_support"], languages=["nl"], committees=["319"], availability=12)

    found = ranked_mentors(PROJECT).get()

    assert reasons(found, PROJECT) == [
        "Has pooled: Human resources – support functions",
        "Same joint committee (319)",
        "Speaks Dutch",
        "12 hours available this month",
    ]


def test_hours_declared_this_month_reduce_the_availability_left():
    cast = Cast()
    services.update_profile(
        mentor=cast.mentor_organisation.mentor, acting_user=cast.mentor, data={"availability_hours": 4}
    )
    agreement, cast = agreement_in(AgreementState.ACTIVE, cast)
    today = timezone.localdate()
    month = today.replace(day=1)
    declaration_in(DeclarationState.DRAFT, agreement, cast, month=month, hours=("1.5",))

    found = ranked_mentors(Project(), today=today).get(pk=cast.mentor_organisation.mentor.pk)

    assert found.availability_left == Decimal("2.50")


def test_each_mentor_s_availability_counts_only_its_own_hours_and_never_rejected_ones():
    today = timezone.localdate()
    month = today.replace(day=1)
    busy, busy_cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.SUBMITTED, busy, busy_cast, month=month, hours=("3",))
    refused, refused_cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.REJECTED, refused, refused_cast, month=month, hours=("2",))

    left = {m.organisation_id: m.availability_left for m in ranked_mentors(Project(), today=today)}

    assert left[busy.mentor_id] == busy.mentor.mentor.availability_hours - 3
    assert left[refused.mentor_id] == refused.mentor.mentor.availability_hours


def test_the_available_filter_leaves_out_mentors_without_hours_left():
    mentor(availability=0)
    available = mentor(availability=5)

    assert [m.pk for m in ranked_mentors(Project(), filters={"available": True})] == [available.pk]


def test_suspended_mentors_are_not_listed():
    suspended = mentor()
    services.set_mentor_state(
        mentor=suspended, state=MentorState.SUSPENDED, acting_user=staff("officer"), reason="x"
    )

    assert not ranked_mentors(PROJECT).exists()


def test_ranking_costs_the_same_queries_for_one_or_many_mentors(django_assert_num_queries):
    # The month's hours (one grouped query), the ranked mentors, their expertise, their committees.
    mentor(types=["hr_support"])
    with django_assert_num_queries(4):
        [reasons(m, PROJECT) for m in ranked_mentors(PROJECT)]
    for _ in range(4):
        mentor(types=["material"], committees=["319"])
    with django_assert_num_queries(4):
        [reasons(m, PROJECT) for m in ranked_mentors(PROJECT)]


def test_a_project_is_read_from_the_organisations_latest_grant():
    from peer_mentoring.directory import project_of
    from tests.grants.factories import GrantApplicationFactory

    grant = GrantApplicationFactory(types=["financial"], initiative_legal_form="informal")

    project = project_of(grant.lead_organisation)

    assert (project.types, project.legal_form) == (["financial"], "informal")
