"""The guarantee web pages: the borrower's form saved as you go, the file page and its workflow
panel, the decision page, the officer list with filters and exports, the lender's loans and CSV
upload, the portfolio; the two happy paths through the web."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

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


def signed_in(client, user):
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    return client


def page(client, request, suffix=""):
    return client.get(f"/guarantees/requests/{request.pk}/{suffix}")


def act(client, request, name, **data):
    return client.post(f"/guarantees/requests/{request.pk}/transitions/{name}/", data)


def test_the_borrower_requests_a_guarantee_and_the_web_walks_it_to_release(client):
    scheme_parameters()
    borrower_org, lender_org = RecognitionFactory().organisation, lender_organisation()
    borrower, lender = applicant(borrower_org), applicant(lender_org)
    officer, reviewer, approver = staff("officer"), staff("officer"), staff("approver")

    signed_in(client, borrower)
    created = client.post(
        "/guarantees/requests/new/", {"borrower": borrower_org.pk, "purpose": "Shared kitchen"}
    )
    request = GuaranteeRequest.objects.get()
    assert created.status_code == 302
    edited = client.post(
        f"/guarantees/requests/{request.pk}/edit/",
        {
            "lender": lender_org.pk,
            "purpose": "Shared kitchen",
            "loan_amount": "50000",
            "duration_months": "60",
            "interest_rate": "4",
            "repayment_profile": "annuity",
            "requested_coverage": "75",
            "collateral": "",
        },
    )
    assert edited.status_code == 302
    assert act(client, request, "submit").status_code == 302
    signed_in(client, officer)
    act(client, request, "start_screening")
    act(client, request, "start_review")
    signed_in(client, reviewer)
    declared = client.post(
        f"/guarantees/requests/{request.pk}/instruction/", {"action": "declare", "has_conflict": "no"}
    )
    assert declared.status_code == 302
    assert (
        client.post(
            f"/guarantees/requests/{request.pk}/risk-review/",
            {"rating": "B", "justification": "Sound.", "recommendation": "offer"},
        ).status_code
        == 302
    )
    signed_in(client, approver)
    decision = client.get(f"/guarantees/requests/{request.pk}/transitions/offer/")
    assert (
        b"What you are deciding" in decision.content
        and b"Requested coverage" in decision.content
        and b"B \xe2\x80\x93 low risk" in decision.content
    )
    assert act(client, request, "offer", coverage="75").status_code == 302
    signed_in(client, lender)
    assert (
        act(
            client,
            request,
            "activate",
            disbursed_on=timezone.localdate().isoformat(),
            disbursed_amount="50000",
        ).status_code
        == 302
    )
    file_page = page(client, request)
    assert b'id="schedule-lines"' in file_page.content and b'id="certificate-link"' in file_page.content
    assert act(client, request, "release").status_code == 302

    request.refresh_from_db()
    assert request.state == State.RELEASED


def test_the_web_walks_a_call_to_a_paid_claim_and_a_reported_recovery(client):
    scheme_parameters(lender_loss_cap=Decimal("100"))
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    lender = applicant(request.lender)

    signed_in(client, lender)
    early = act(
        client,
        request,
        "call",
        default_date=timezone.localdate().isoformat(),
        outstanding_principal="80000",
        arrears_amount="1000",
        arrears_days="30",
    )
    state_after_early_call = GuaranteeRequest.objects.get(pk=request.pk).state
    called = act(
        client,
        request,
        "call",
        default_date=timezone.localdate().isoformat(),
        outstanding_principal="80000",
        arrears_amount="1000",
        arrears_days="100",
    )
    signed_in(client, staff("approver"))
    paid = act(client, request, "pay_claim")
    signed_in(client, lender)
    recovered = client.post(
        f"/guarantees/requests/{request.pk}/recovery/",
        {"received_on": timezone.localdate().isoformat(), "amount": "1000", "final": "on"},
    )

    assert (
        early.status_code == 302 and state_after_early_call == State.ACTIVE
    )  # refused: back to the file with the reason
    assert called.status_code == 302 and paid.status_code == 302 and recovered.status_code == 302
    assert GuaranteeRequest.objects.get(pk=request.pk).recoveries.get().fund_share == Decimal("750.00")


def test_a_draft_keeps_what_is_valid_and_shows_the_limit_next_to_the_field(client):
    request = GuaranteeRequestFactory(purpose="Old purpose")
    signed_in(client, applicant(request.borrower))

    answer = client.post(
        f"/guarantees/requests/{request.pk}/edit/",
        {
            "lender": request.lender.pk,
            "purpose": "New purpose",
            "loan_amount": "100000",
            "duration_months": "60",
            "interest_rate": "4",
            "repayment_profile": "annuity",
            "requested_coverage": "90",
            "collateral": "",
        },
    )

    request.refresh_from_db()
    assert answer.status_code == 400
    assert "At most 75 % for an amortising loan." in answer.content.decode()
    assert request.purpose == "New purpose"  # saved as you go
    assert request.requested_coverage == Decimal("75.00")  # the refused value is not stored


def test_the_file_page_shows_the_risk_review_to_staff_only(client):
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    staff_page = page(signed_in(client, staff("officer")), request).content.decode()
    borrower_page = page(signed_in(client, applicant(request.borrower)), request).content.decode()

    assert 'id="risk-review"' in staff_page
    assert 'id="risk-review"' not in borrower_page
    assert 'id="offer-letter-link"' in borrower_page


def test_a_file_outside_the_scope_answers_404(client):
    request = advance_to(GuaranteeRequestFactory(), State.SUBMITTED)

    assert page(signed_in(client, applicant()), request).status_code == 404
    assert page(signed_in(client, staff("officer", "iriscare")), request).status_code == 404


def test_the_officer_list_filters_sorts_and_exports(client):
    offered = advance_to(GuaranteeRequestFactory(loan_amount=Decimal("60000")), State.OFFERED)
    submitted = advance_to(GuaranteeRequestFactory(), State.SUBMITTED)
    signed_in(client, staff("officer"))

    listed = client.get(
        "/guarantees/requests/", {"state": "offered", "sort": "-loan_amount"}
    ).content.decode()
    csv = b"".join(
        client.get("/guarantees/requests/export.csv", {"state": "offered"}).streaming_content
    ).decode()
    xlsx = load_workbook(io.BytesIO(client.get("/guarantees/requests/export.xlsx").content))

    assert offered.reference in listed and submitted.reference not in listed
    assert offered.reference in csv and submitted.reference not in csv
    assert xlsx.active.max_row == 3


def test_applicants_cannot_export(client):
    signed_in(client, applicant())

    assert client.get("/guarantees/requests/export.csv").status_code == 404


def test_the_lender_uploads_a_quarter_and_a_bad_row_is_reported_by_line(client):
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    signed_in(client, applicant(request.lender))
    today = timezone.localdate().isoformat()
    header = "reference,as_of,outstanding_principal,arrears_amount,arrears_days\n"

    def upload(text):
        return client.post(
            "/guarantees/loans/",
            {"quarter": today, "file": SimpleUploadedFile("q.csv", text.encode(), "text/csv")},
        )

    loans_page = client.get("/guarantees/loans/").content.decode()
    bad = upload(header + f"{request.reference},{today},-1,0,0\n")
    good = upload(header + f"{request.reference},{today},90000,0,0\n")

    assert request.reference in loans_page
    assert bad.status_code == 400 and "Line 2:" in bad.content.decode()
    assert good.status_code == 302
    assert request.declarations.get().outstanding_principal == Decimal("90000.00")


def test_the_lender_declares_one_loan_from_its_page(client):
    request = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    signed_in(client, applicant(request.lender))

    future = client.post(
        f"/guarantees/requests/{request.pk}/declare/",
        {
            "as_of": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "outstanding_principal": "1",
            "arrears_amount": "0",
            "arrears_days": "0",
        },
    )
    good = client.post(
        f"/guarantees/requests/{request.pk}/declare/",
        {
            "as_of": timezone.localdate().isoformat(),
            "outstanding_principal": "95000",
            "arrears_amount": "0",
            "arrears_days": "0",
        },
    )

    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()
    assert good.status_code == 302


def test_the_portfolio_shows_exposure_and_the_stress_scenario_computed_from_the_rates(client):
    offered = advance_to(GuaranteeRequestFactory(), State.OFFERED)
    signed_in(client, staff("officer"))

    answer = client.get("/guarantees/portfolio/", {"A": "1", "B": "20", "C": "7", "D": "15", "E": "30"})

    content = answer.content.decode()
    assert answer.status_code == 200
    assert "75,000.00" in content  # exposure of the one offer
    assert "15,000.00" in content  # 20 % of it expected as calls
    assert offered.state == State.OFFERED


def test_applicants_do_not_see_the_portfolio(client):
    signed_in(client, applicant())

    assert client.get("/guarantees/portfolio/").status_code == 403


def test_guarantees_appear_in_the_shared_work_queue(client):
    request = advance_to(GuaranteeRequestFactory(), State.SUBMITTED)
    signed_in(client, staff("officer"))

    assert request.reference in client.get("/work-queue/", {"scheme": "guarantees"}).content.decode()


def test_the_lenders_loans_page_costs_the_same_queries_for_one_loan_or_three(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    signed_in(client, applicant(first.lender))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/guarantees/loans/").status_code == 200
        return len(captured.captured_queries)

    one = queries()
    others = [advance_to(GuaranteeRequestFactory(lender=first.lender), State.ACTIVE) for _ in range(2)]
    content = client.get("/guarantees/loans/").content.decode()

    assert queries() == one
    assert all(loan.reference in content for loan in [first, *others])


def test_the_cached_schedule_is_shown_in_each_readers_own_language(client):
    guarantee = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    officer = staff("officer")
    client.force_login(officer)

    french = client.get(f"/guarantees/requests/{guarantee.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    officer.preferred_language = "nl"
    officer.save()
    dutch = client.get(f"/guarantees/requests/{guarantee.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Échéances du prêt" in french and "Termijnen van de lening" in dutch
    assert 'id="schedule-lines"' in dutch


def test_the_file_page_reads_the_schedule_lines_only_while_their_rendering_is_not_cached(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guarantee = advance_to(GuaranteeRequestFactory(), State.ACTIVE)
    client.force_login(staff("officer"))

    def lines_read():
        with CaptureQueriesContext(connection) as captured:
            content = client.get(f"/guarantees/requests/{guarantee.pk}/").content.decode()
        assert 'id="schedule-lines"' in content
        return sum(
            '"guarantees_scheduleline"."principal"' in query["sql"] for query in captured.captured_queries
        )

    assert lines_read() == 1
    assert lines_read() == 0
