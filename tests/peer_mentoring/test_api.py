"""The mentoring API: the full path from proposal to a validated, paid declaration and a completed
agreement; refusals with their codes next to the line; scope; the directory."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.models import PaymentOrder
from peer_mentoring.models import HoursDeclaration
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import applicant, staff

from .factories import Cast, agreement_in, declaration_in, last_month

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/mentoring/agreements/"
DECLARATIONS = "/api/v1/mentoring/declarations/"
MENTORS = "/api/v1/mentoring/mentors/"


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


def test_the_full_path_from_proposal_to_a_paid_declaration_and_a_completed_agreement(client_for):
    cast = Cast()
    mentor, mentee, approver = client_for(cast.mentor), client_for(cast.mentee), client_for(cast.approver)
    start = last_month() - timedelta(days=30)

    created = post(
        mentee,
        AGREEMENTS,
        {
            "mentor": cast.mentor_organisation.pk,
            "mentee": cast.mentee_organisation.pk,
            "project": "Shared premises",
            "objectives": "Learn how to share a building",
            "starts_on": str(start),
            "ends_on": str(start + timedelta(days=300)),
            "planned_hours": "20",
        },
    )
    assert created.status_code == 201, created.json()
    url = f"{AGREEMENTS}{created.json()['id']}/"
    assert created.json()["initiated_by"] == "mentee"

    assert post(mentee, f"{url}transitions/propose/").status_code == 200
    assert [t["name"] for t in mentor.get(f"{url}transitions/").json()] == ["confirm", "withdraw"]
    assert post(mentor, f"{url}transitions/confirm/").json()["state"] == "submitted"
    approved = post(approver, f"{url}transitions/approve/", {"hourly_rate": "60", "hours_cap": "30"})
    assert (approved.json()["state"], approved.json()["hours_cap"]) == ("active", "30.00")

    draft = post(
        mentor,
        DECLARATIONS,
        {"agreement": created.json()["id"], "month": str(last_month() + timedelta(days=5))},
    )
    assert draft.status_code == 201, draft.json()
    declaration_url = f"{DECLARATIONS}{draft.json()['id']}/"
    saved = mentor.patch(
        declaration_url,
        {
            "lines": [
                {"date": str(last_month()), "hours": "2.5", "activity": "meeting", "description": "Kick-off"},
                {
                    "date": str(last_month() + timedelta(days=3)),
                    "hours": "1.25",
                    "activity": "document_review",
                },
            ]
        },
        format="json",
    )
    assert saved.json()["total_hours"] == "3.75"
    assert post(mentor, f"{declaration_url}transitions/submit/").json()["state"] == "submitted"
    assert post(mentee, f"{declaration_url}transitions/confirm/").json()["state"] == "confirmed"
    validated = post(approver, f"{declaration_url}transitions/validate/")
    assert (validated.json()["state"], validated.json()["amount"]) == ("validated", "225.00")
    order = PaymentOrder.objects.get(kind=PaymentOrder.Kind.MENTORING_COMPENSATION)
    assert (order.amount, order.counterparty_iban) == (Decimal("225.00"), cast.mentor_organisation.iban)

    completed = post(
        mentee,
        f"{url}transitions/complete/",
        {"usefulness": 4, "pooled": "A shared building", "would_recommend": True},
    )
    assert completed.json()["state"] == "completed"
    assert completed.json()["hours_validated"] == "3.75"
    history = mentee.get(f"{url}history/").json()
    assert [h["transition"] for h in history if h["source_state"] != h["target_state"]] == [
        "propose",
        "confirm",
        "approve",
        "complete",
    ]


def test_a_refused_line_answers_its_code_next_to_the_line(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())
    day = last_month()

    answer = client_for(cast.mentor).patch(
        f"{DECLARATIONS}{declaration.pk}/",
        {
            "lines": [
                {"date": str(day), "hours": "8", "activity": "meeting"},
                {"date": str(day), "hours": "3", "activity": "workshop"},
            ]
        },
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "daily_maximum_exceeded"
    assert set(answer.json()["errors"]) == {"lines.0.hours", "lines.1.hours"}


def test_a_submission_above_the_cap_says_how_many_hours_remain(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE, cap="4")
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=("3", "2"))

    answer = post(client_for(cast.mentor), f"{DECLARATIONS}{declaration.pk}/transitions/submit/")

    assert answer.status_code == 400
    assert answer.json()["code"] == "hours_cap_exceeded"
    assert "4 hours remain" in answer.json()["detail"]


def test_a_second_declaration_of_a_month_is_refused_next_to_the_month(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration_in(DeclarationState.DRAFT, agreement, cast)

    answer = post(
        client_for(cast.mentor), DECLARATIONS, {"agreement": agreement.pk, "month": str(last_month())}
    )

    assert answer.status_code == 400
    assert answer.json()["errors"]["month"][0]["code"] == "month_already_declared"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("mentor", True),
        ("mentee", True),
        ("other_applicant", False),
        ("cocof_officer", True),
        ("iriscare_officer", False),
    ],
)
def test_scope_of_a_declaration(client_for, who, sees):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.SUBMITTED, agreement, cast)
    user = {
        "mentor": cast.mentor,
        "mentee": cast.mentee,
        "other_applicant": applicant(),
        "cocof_officer": staff("officer", "cocof"),
        "iriscare_officer": staff("officer", "iriscare"),
    }[who]

    answers = [
        client_for(user).get(f"{DECLARATIONS}{declaration.pk}/"),
        client_for(user).get(f"{AGREEMENTS}{agreement.pk}/"),
    ]

    assert [a.status_code for a in answers] == ([200, 200] if sees else [404, 404])


def test_staff_do_not_see_an_agreement_before_both_sides_agreed(client_for):
    agreement, cast = agreement_in(AgreementState.PROPOSED)

    assert client_for(cast.officer).get(f"{AGREEMENTS}{agreement.pk}/").status_code == 404


def test_the_mentee_cannot_change_the_lines(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast)

    answer = client_for(cast.mentee).patch(f"{DECLARATIONS}{declaration.pk}/", {"lines": []}, format="json")

    assert answer.status_code == 403


def test_a_submitted_declaration_can_no_longer_be_changed(client_for):
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    answer = client_for(cast.mentor).patch(f"{DECLARATIONS}{declaration.pk}/", {"lines": []}, format="json")

    assert (answer.status_code, answer.json()["code"]) == (409, "declaration_not_editable")
    assert HoursDeclaration.objects.get(pk=declaration.pk).lines.count() == 2


def test_the_directory_answers_ranked_mentors_with_reasons(client_for):
    cast = Cast()
    client = client_for(applicant())

    answer = client.get(MENTORS, {"language": cast.mentor_organisation.preferred_language})

    result = answer.json()["results"][0]
    assert result["organisation"] == cast.mentor_organisation.pk
    assert result["score"] >= 1
    assert result["reasons"]


def test_members_edit_their_mentor_profile_others_cannot(client_for):
    cast = Cast()
    url = f"{MENTORS}{cast.mentor_organisation.mentor.pk}/"

    changed = client_for(cast.mentor).patch(
        url, {"types": ["material"], "availability_hours": 12}, format="json"
    )
    refused = client_for(applicant()).patch(url, {"availability_hours": 1}, format="json")

    assert (changed.json()["types"], changed.json()["availability_hours"]) == (["material"], 12)
    assert refused.status_code == 403


def test_officers_suspend_a_mentor_through_the_api(client_for):
    cast = Cast()
    url = f"{MENTORS}{cast.mentor_organisation.mentor.pk}/suspend/"

    answer = post(client_for(cast.officer), url, {"reason": "Complaint under review"})

    assert answer.json()["state"] == "suspended"
    assert post(client_for(cast.mentor), url, {"reason": "x"}).status_code == 403


def test_an_application_for_mentor_status_is_decided_through_the_api(client_for):
    from tests.factories import RecognitionFactory

    organisation = RecognitionFactory().organisation
    member = client_for(applicant(organisation))
    created = post(
        member,
        "/api/v1/mentoring/mentor-applications/",
        {"organisation": organisation.pk, "evidence": "A shared HR office since 2021."},
    )
    assert created.status_code == 201, created.json()

    decided = post(
        client_for(staff("officer")),
        f"/api/v1/mentoring/mentor-applications/{created.json()['id']}/decide/",
        {"approve": True},
    )

    assert decided.json()["state"] == "approved"
    organisation.refresh_from_db()
    assert organisation.is_mentor
