"""The guarantees API: the two happy paths end to end, drafts, refusals, scope, declarations (one by
one and by CSV upload), schedule, recoveries, PDFs and the portfolio."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from core.models import PaymentOrder
from guarantees.models import GuaranteeRequest
from guarantees.states import State
from tests.factories import RecognitionFactory, applicant, staff

from .factories import (
    GuaranteeRequestFactory,
    advance_to,
    lender_organisation,
    scheme_parameters,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/guarantees/requests/"


def url(request, suffix=""):
    return f"{URL}{request.pk}/{suffix}"


def transition(client, request, name, **data):
    return client.post(url(request, f"transitions/{name}/"), data, format="json")


def test_request_offer_activation_and_release_via_the_api(client_for):
    scheme_parameters()
    borrower_org = RecognitionFactory().organisation
    lender_org = lender_organisation()
    borrower, lender = applicant(borrower_org), applicant(lender_org)
    officer, reviewer, approver = staff("officer"), staff("officer"), staff("approver")

    created = client_for(borrower).post(
        URL, {"borrower": borrower_org.pk, "purpose": "Kitchen for the shared canteen"}, format="json"
    )
    assert created.status_code == 201, created.json()
    draft = GuaranteeRequest.objects.get(pk=created.json()["id"])
    saved = client_for(borrower).patch(
        url(draft),
        {
            "lender": lender_org.pk,
            "loan_amount": "60000.00",
            "duration_months": 48,
            "interest_rate": "3.50",
            "repayment_profile": "linear",
            "requested_coverage": "70.00",
            "collateral": "None",
        },
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["completeness"] == []
    assert transition(client_for(borrower), draft, "submit").status_code == 200
    assert transition(client_for(officer), draft, "start_screening").status_code == 200
    assert transition(client_for(officer), draft, "start_review").status_code == 200
    declared = client_for(reviewer).post(
        url(draft, "conflict-declaration/"), {"has_conflict": False}, format="json"
    )
    assert declared.status_code == 201, declared.json()
    review = client_for(reviewer).post(
        url(draft, "risk-review/"),
        {"rating": "B", "justification": "Stable subsidies.", "recommendation": "offer"},
        format="json",
    )
    assert review.status_code == 200
    offered = transition(client_for(approver), draft, "offer", coverage="70")
    assert offered.status_code == 200, offered.json()
    assert offered.json()["guaranteed_amount"] == "42000.00"
    activated = transition(
        client_for(lender),
        draft,
        "activate",
        disbursed_on=timezone.localdate().isoformat(),
        disbursed_amount="60000.00",
    )
    assert activated.status_code == 200, activated.json()
    schedule = client_for(borrower).get(url(draft, "schedule/")).json()
    assert len(schedule["lines"]) == 48
    assert sum(Decimal(line["principal"]) for line in schedule["lines"]) == Decimal("60000.00")
    released = transition(client_for(lender), draft, "release")
    assert released.json()["state"] == State.RELEASED
    history = client_for(officer).get(url(draft, "history/")).json()
    assert [entry["transition"] for entry in history if entry["transition"] != "draft_saved"][:8] == [
        "submit",
        "start_screening",
        "start_review",
        "no_conflict_declared",  # staff only: the officer reads it, the borrower does not
        "risk_review_recorded",
        "offer",
        "activate",
        "release",
    ]


def test_call_claim_recoveries_and_closure_via_the_api(client_for):
    scheme_parameters(lender_loss_cap=Decimal("100.00"))
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    lender, approver, finance, finance_two = (
        applicant(request.lender),
        staff("approver"),
        staff("finance"),
        staff("finance"),
    )

    early = transition(
        client_for(lender),
        request,
        "call",
        default_date=timezone.localdate().isoformat(),
        outstanding_principal="80000",
        arrears_amount="5000",
        arrears_days=45,
    )
    called = transition(
        client_for(lender),
        request,
        "call",
        default_date=timezone.localdate().isoformat(),
        outstanding_principal="80000",
        arrears_amount="5000",
        arrears_days=120,
    )
    paid = transition(client_for(approver), request, "pay_claim")
    recovery = client_for(lender).post(
        url(request, "recoveries/"),
        {"received_on": timezone.localdate().isoformat(), "amount": "20000.00", "final": True},
        format="json",
    )
    order = PaymentOrder.objects.get(kind=PaymentOrder.Kind.RECOVERY_SHARE)
    client_for(finance).post(f"/api/v1/payments/orders/{order.pk}/transitions/approve/", {}, format="json")
    client_for(finance_two).post(
        f"/api/v1/payments/orders/{order.pk}/transitions/mark_paid/", {}, format="json"
    )
    closed = transition(client_for(approver), request, "close")

    assert early.status_code == 409 and early.json()["code"] == "call_too_early"
    assert called.status_code == 200 and called.json()["claim_amount"] == "60591.78"
    assert paid.status_code == 200
    assert PaymentOrder.objects.get(kind=PaymentOrder.Kind.GUARANTEE_CLAIM_PAYOUT).amount == Decimal(
        "60591.78"
    )
    assert recovery.status_code == 201 and recovery.json()["fund_share"] == "15000.00"
    assert closed.status_code == 200, closed.json()
    assert closed.json()["state"] == State.CLOSED


def test_a_draft_rule_is_refused_next_to_its_field_with_the_limit(client_for):
    request = GuaranteeRequestFactory()

    answer = client_for(applicant(request.borrower)).patch(
        url(request), {"requested_coverage": "90"}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["errors"]["requested_coverage"][0] == {
        "message": "At most 75 % for an amortising loan.",
        "code": "coverage_too_high",
    }


def test_a_lender_must_be_a_financial_institution(client_for):
    request = GuaranteeRequestFactory()

    answer = client_for(applicant(request.borrower)).patch(
        url(request), {"lender": RecognitionFactory().organisation.pk}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["errors"]["lender"][0]["code"] == "not_a_lender"


def test_nobody_creates_a_request_for_an_organisation_they_are_not_a_member_of(client_for):
    scheme_parameters()

    answer = client_for(applicant()).post(
        URL, {"borrower": RecognitionFactory().organisation.pk}, format="json"
    )

    assert answer.status_code == 403


def test_transitions_list_what_the_caller_may_do_now(client_for):
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    names = [
        t["name"] for t in client_for(applicant(request.lender)).get(url(request, "transitions/")).json()
    ]

    assert names == ["activate"]


# -- scope ---------------------------------------------------------------------------------------------


@pytest.fixture
def offered():
    return advance_to(GuaranteeRequestFactory(), State.OFFERED)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("borrower", 200),
        ("lender", 200),
        ("cocof_officer", 200),
        ("other_applicant", 404),
        ("other_lender", 404),
        ("iriscare_officer", 404),
    ],
)
def test_who_sees_a_guarantee(client_for, offered, who, status):
    user = {
        "borrower": lambda: applicant(offered.borrower),
        "lender": lambda: applicant(offered.lender),
        "cocof_officer": lambda: staff("officer"),
        "other_applicant": lambda: applicant(),
        "other_lender": lambda: applicant(lender_organisation()),
        "iriscare_officer": lambda: staff("officer", "iriscare"),
    }[who]()

    assert client_for(user).get(url(offered)).status_code == status
    listed = [row["id"] for row in client_for(user).get(URL).json()["results"]]
    assert (offered.pk in listed) == (status == 200)


def test_an_iriscare_borrowers_file_belongs_to_iriscare(client_for):
    borrower = RecognitionFactory(iriscare=True).organisation
    request = advance_to(GuaranteeRequestFactory(borrower=borrower), State.SUBMITTED)

    assert request.administration.code == "iriscare"
    assert client_for(staff("officer", "iriscare")).get(url(request)).status_code == 200
    assert client_for(staff("officer")).get(url(request)).status_code == 404


def test_the_risk_review_is_shown_to_staff_only(client_for, offered):
    as_staff = client_for(staff("officer")).get(url(offered)).json()
    as_borrower = client_for(applicant(offered.borrower)).get(url(offered)).json()

    assert as_staff["risk_review"]["rating"] == "B"
    assert as_borrower["risk_review"] is None


def test_drafts_are_hidden_from_staff(client_for):
    draft = GuaranteeRequestFactory()

    assert client_for(staff("officer")).get(url(draft)).status_code == 404


# -- declarations ------------------------------------------------------------------------------------


def test_the_lender_declares_via_the_api_and_a_bad_date_is_refused_next_to_it(client_for):
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    lender = client_for(applicant(request.lender))

    good = lender.post(
        url(request, "declarations/"),
        {"as_of": timezone.localdate().isoformat(), "outstanding_principal": "90000.00", "arrears_days": 0},
        format="json",
    )
    future = lender.post(
        url(request, "declarations/"),
        {
            "as_of": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "outstanding_principal": "90000.00",
        },
        format="json",
    )
    negative = lender.post(
        url(request, "declarations/"),
        {"as_of": timezone.localdate().isoformat(), "outstanding_principal": "-1"},
        format="json",
    )

    assert good.status_code == 201
    assert future.status_code == 400 and "as_of" in future.json()["errors"]
    assert negative.status_code == 400 and "outstanding_principal" in negative.json()["errors"]
    assert len(lender.get(url(request, "declarations/")).json()) == 1


def test_the_borrower_cannot_declare_via_the_api(client_for):
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)

    answer = client_for(applicant(request.borrower)).post(
        url(request, "declarations/"),
        {"as_of": timezone.localdate().isoformat(), "outstanding_principal": "1"},
        format="json",
    )

    assert answer.status_code == 403


def test_a_csv_upload_via_the_api_applies_all_rows_or_none(client_for):
    first = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    second = advance_to(GuaranteeRequestFactory(lender=first.lender), State.ACTIVE)
    lender = client_for(applicant(first.lender))
    today = timezone.localdate().isoformat()
    header = "reference,as_of,outstanding_principal,arrears_amount,arrears_days\n"

    def upload(text):
        return lender.post(
            f"{URL}declarations-upload/",
            {"quarter": today, "file": SimpleUploadedFile("q.csv", text.encode(), "text/csv")},
            format="multipart",
        )

    bad = upload(header + f"{first.reference},{today},90000,0,0\n{second.reference},{today},lots,0,0\n")
    good = upload(header + f"{first.reference},{today},90000,0,0\n{second.reference},{today},91000,0,0\n")
    template = lender.get(f"{URL}declarations-template/")

    assert bad.status_code == 400
    assert bad.json()["errors"]["file"][0]["message"].startswith("Line 3:")
    assert good.status_code == 200 and good.json()["applied"] == 2
    assert template.status_code == 200 and first.reference in template.content.decode()


# -- PDFs ----------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("language", "title", "annex"),
    [("fr", "Offre de garantie", "chéancier"), ("nl", "Aanbod", "aflossingstabel")],
)
def test_the_offer_letter_is_in_the_borrowers_language_with_the_schedule(client_for, language, title, annex):
    request = GuaranteeRequestFactory(
        borrower=RecognitionFactory(organisation__preferred_language=language).organisation
    )
    request = advance_to(request, State.OFFERED)

    answer = client_for(applicant(request.borrower)).get(
        url(request, "offer-letter/"), HTTP_ACCEPT="application/pdf"
    )

    assert answer.status_code == 200
    text = pdf_text(answer.content)
    assert title in text and annex in text.lower() and request.reference in text


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Certificat de garantie"), ("nl", "Waarborgcertificaat")]
)
def test_the_certificate_is_in_the_borrowers_language(client_for, language, title):
    request = GuaranteeRequestFactory(
        borrower=RecognitionFactory(organisation__preferred_language=language).organisation
    )
    request = advance_to(request, State.ACTIVE)

    answer = client_for(applicant(request.lender)).get(
        url(request, "certificate/"), HTTP_ACCEPT="application/pdf"
    )

    assert answer.status_code == 200
    assert title in pdf_text(answer.content)


def test_the_certificate_names_the_borrower_as_renamed_since_it_was_first_downloaded(client_for):
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    lender = client_for(applicant(request.lender))
    first = lender.get(url(request, "certificate/"), HTTP_ACCEPT="application/pdf")
    type(request.borrower).objects.filter(pk=request.borrower.pk).update(
        name_fr="Maison des Pools", name_nl="Huis der Pools"
    )

    renamed = lender.get(url(request, "certificate/"), HTTP_ACCEPT="application/pdf")

    assert "Maison des Pools" not in pdf_text(first.content)
    assert "Maison des Pools" in pdf_text(renamed.content) or "Huis der Pools" in pdf_text(renamed.content)


def test_there_is_no_certificate_before_activation(client_for, offered):
    answer = client_for(applicant(offered.borrower)).get(url(offered, "certificate/"))

    assert answer.status_code == 409 and answer.json()["code"] == "guarantee_not_active"


# -- portfolio -----------------------------------------------------------------------------------------


def test_the_portfolio_gives_exposure_capacity_and_a_stress_scenario(client_for, offered):
    answer = client_for(staff("officer")).get("/api/v1/guarantees/portfolio/", {"B": "10"})

    body = answer.json()
    assert answer.status_code == 200
    assert body["exposure"] == "75000.00"
    assert body["remaining"] == "19925000.00"
    assert body["by_status"] == [
        {"key": "offered", "exposure": "75000.00", "offered": "75000.00", "outstanding": "0.00"}
    ]
    assert body["stress"]["expected_calls"] == "7500.00"


def test_applicants_do_not_see_the_portfolio(client_for, offered):
    assert client_for(applicant(offered.borrower)).get("/api/v1/guarantees/portfolio/").status_code == 403
