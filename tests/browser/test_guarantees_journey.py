"""A credit guarantee from request to a declared, running loan, in French and in Dutch, in a real
browser: the borrower requests it, an officer screens it and records the risk review, an approver
offers it (four eyes), and the lender confirms the disbursement and declares the balance."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffRole
from guarantees.models import GuaranteeRequest
from guarantees.states import State
from tests.browser.test_grants_journey import expect_state, person, sign_in, submit, transition, translated
from tests.factories import RecognitionFactory
from tests.guarantees.factories import lender_organisation, scheme_parameters

pytestmark = pytest.mark.browser


def request_guarantee(page, base_url, language, *, lender) -> GuaranteeRequest:
    page.goto(f"{base_url}{reverse('guarantees:request_new')}")
    expect(page.locator("main h1")).to_have_text(translated(language, "Request a credit guarantee"))
    page.locator("#id_purpose").fill("Cuisine collective / Gedeelde keuken")
    submit(page)
    guarantee = GuaranteeRequest.objects.get()
    expect(page).to_have_url(f"{base_url}{reverse('guarantees:request_edit', args=[guarantee.pk])}")
    page.locator("#id_lender").select_option(str(lender.pk))
    page.locator("#id_loan_amount").fill("80000")
    page.locator("#id_duration_months").fill("60")
    page.locator("#id_interest_rate").fill("4")
    page.locator("#id_repayment_profile").select_option("annuity")
    page.locator("#id_requested_coverage").fill("90")
    submit(page, "main form#request-form button[name=save]")
    # The refusal stands next to its field, with the limit, in the page's language.
    expect(page.locator("main")).to_contain_text(translated(language, "an amortising loan"))
    page.locator("#id_requested_coverage").fill("70")
    submit(page, "main form#request-form button[name=save]")
    submit(page, "main form#request-form button[name=submit]")
    submit(page, "main form[method=post] button[data-transition=submit]")
    expect_state(page, State.SUBMITTED, language, "Submitted")
    return guarantee


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_guarantee_is_requested_reviewed_offered_activated_and_declared(
    language, live_server, reference_data, new_context
):
    base_url = live_server.url
    scheme_parameters()
    borrower_org = RecognitionFactory(organisation__preferred_language=language).organisation
    lender_org = lender_organisation()
    borrower = person(f"borrower.{language}@asbl.example", language, organisation=borrower_org)
    lender = person(f"lender.{language}@bank.example", language, organisation=lender_org)
    officer = person(f"officer.{language}@cocof.example", language, staff_roles=[StaffRole.Role.OFFICER])
    approver = person(f"approver.{language}@cocof.example", language, staff_roles=[StaffRole.Role.APPROVER])

    # 1. The borrower requests the guarantee.
    borrower_page = sign_in(new_context, base_url, borrower, language)
    guarantee = request_guarantee(borrower_page, base_url, language, lender=lender_org)
    file_url = f"{base_url}{guarantee.get_absolute_url()}"

    # 2. An officer screens it and records the risk review.
    officer_page = sign_in(new_context, base_url, officer, language)
    officer_page.goto(file_url)
    transition(officer_page, "start_screening")
    transition(officer_page, "start_review")
    expect_state(officer_page, State.UNDER_REVIEW, language, "Under review")
    # The reviewer first declares any conflict of interest with the borrower and the lender.
    officer_page.locator("#instruction input[name=has_conflict][value=no]").check()
    submit(officer_page, "#instruction form.conflict-declaration button[type=submit]")
    submit(officer_page, "#risk-review-link")
    officer_page.locator("#id_rating").select_option("B")
    officer_page.locator("#id_justification").fill("Comptes sains / Gezonde rekeningen")
    officer_page.locator("#id_recommendation").select_option("offer")
    submit(officer_page)
    expect(officer_page.locator("#risk-rating")).to_contain_text("B")

    # 3. An approver (not the officer) offers it, seeing the risk review on the decision page.
    approver_page = sign_in(new_context, base_url, approver, language)
    approver_page.goto(file_url)
    transition(approver_page, "offer")
    expect(approver_page.locator("#decision-summary")).to_contain_text(translated(language, "B – low risk"))
    approver_page.locator("#id_coverage").fill("70")
    submit(approver_page)
    expect_state(approver_page, State.OFFERED, language, "Offered")

    # 4. The lender confirms the disbursement and declares the quarter's balance.
    lender_page = sign_in(new_context, base_url, lender, language)
    lender_page.goto(file_url)
    transition(lender_page, "activate")
    lender_page.locator("#id_disbursed_on").fill(timezone.localdate().isoformat())
    lender_page.locator("#id_disbursed_amount").fill("80000")
    submit(lender_page)
    expect_state(lender_page, State.ACTIVE, language, "Active")
    submit(lender_page, "#declare-link")
    lender_page.locator("#id_outstanding_principal").fill("80000")
    submit(lender_page)
    expect(lender_page.locator("#declarations")).to_be_visible()
    lender_page.screenshot(path=f"/tmp/guarantees-journey-{language}.png", full_page=True)

    guarantee.refresh_from_db()
    assert guarantee.state == State.ACTIVE
    assert guarantee.guaranteed_amount == Decimal("56000.00")
    assert guarantee.declarations.count() == 1
    assert guarantee.schedule_lines.count() == 60
