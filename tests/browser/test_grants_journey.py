"""A mutualisation grant from draft to award, in French and in Dutch, in a real browser: the applicant
fills and submits the application, an officer screens, admits and reviews it from the work queue, and
another person, an approver, awards the grant (four eyes: the officer who screened it may not)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import Membership, StaffRole
from grants.choices import Axis, BudgetCategory, InitiativeLegalForm, Logic, MutualisationType, Recommendation
from grants.models import GrantApplication
from grants.workflow import State
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    RecognitionFactory,
    StaffRoleFactory,
    UserFactory,
    administration,
)
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.browser

OTHER_LANGUAGE = {"fr": "nl", "nl": "fr"}
SUBMIT = "main form[method=post] button[type=submit]"
SCORES = {"relevance": 5, "feasibility": 4, "partnership": 4, "budget": 3, "public_effect": 4}


def translated(language: str, message: str) -> str:
    """What the compiled catalogue says today (the English source until the translation lands)."""
    with translation.override(language):
        return translation.gettext(message)


def submit(page, selector: str = SUBMIT) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def person(email: str, language: str, *, organisation=None, staff_roles=()):
    """A user with a verified primary e-mail address (allauth lets them sign in), their language and roles."""
    user = UserFactory(email=email, preferred_language=language)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if organisation is not None:
        MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    for role in staff_roles:
        StaffRoleFactory(user=user, administration=administration("cocof"), role=role)
    return user


def sign_in(new_context, base_url: str, user, language: str):
    """A browser of one's own that asks for the other language: once signed in, the preference wins."""
    page = new_context(locale=f"{OTHER_LANGUAGE[language]}-BE").new_page()
    page.goto(f"{base_url}{reverse('account_login')}")
    expect(page.locator("html")).to_have_attribute("lang", OTHER_LANGUAGE[language])
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    expect(page.locator(f"header form[action='{reverse('account_logout')}']")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page


def expect_state(page, state: str, language: str, label: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#state")).to_have_attribute("data-state", state)
    expect(page.locator("#state")).to_have_text(translated(language, label))


def transition(page, name: str) -> None:
    """Press the action of the workflow panel (a button, or a link to the action's form)."""
    submit(page, f"main [data-transition='{name}']")


# -- the applicant --------------------------------------------------------------------------------


def start_application(page, base_url: str, language: str, *, call, organisation) -> GrantApplication:
    page.goto(f"{base_url}{reverse('grants:application_start')}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text(translated(language, "Apply for a mutualisation grant"))
    page.locator("#id_call").select_option(str(call.pk))
    page.locator("#id_lead_organisation").select_option(str(organisation.pk))
    page.locator("#id_title").fill("Bureau comptable partagé / Gedeeld boekhoudkantoor")
    submit(page)
    application = GrantApplication.objects.get()
    expect(page).to_have_url(f"{base_url}{reverse('grants:application_edit', args=[application.pk])}")
    return application


def fill_draft(page, language: str, *, partner) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#draft-form label[for='id_description']")).to_have_text(
        translated(language, "Description")
    )
    page.locator("#id_description").fill("Trois ASBL partagent une comptable et leur logiciel.")
    page.locator(f"input[name=axes][value='{Axis.SUPPORT_FUNCTIONS}']").check()
    page.locator(f"input[name=axes][value='{Axis.NETWORKS}']").check()
    page.locator(f"input[name=types][value='{MutualisationType.HR_SUPPORT}']").check()
    page.locator(f"input[name=logics][value='{Logic.MANAGERIAL}']").check()
    page.locator(f"input[name=logics][value='{Logic.SOLIDARITY}']").check()
    page.locator("#id_initiative_legal_form").select_option(InitiativeLegalForm.AGREEMENT)
    page.locator("#id_start_date").fill((date.today() + timedelta(days=30)).isoformat())
    page.locator("#id_end_date").fill((date.today() + timedelta(days=395)).isoformat())
    page.locator("#id_requested_amount").fill("30000")
    page.locator("#id_expected_effects").fill("Moins d'attente pour le public grâce au temps gagné.")
    page.locator("#id_partners").fill(partner.enterprise_number)
    # No line is saved yet, so the blank lines are unfolded.
    expect(page.locator("details#new-lines")).to_have_attribute("open", "")
    page.locator("#id_budget-0-category").select_option(BudgetCategory.COORDINATION_HOURS)
    page.locator("#id_budget-0-description").fill("Coordination")
    page.locator("#id_budget-0-hours").fill("200")
    page.locator("#id_budget-0-hourly_cost").fill("45")
    page.locator("#id_budget-1-category").select_option(BudgetCategory.EQUIPMENT)
    page.locator("#id_budget-1-description").fill("Logiciel comptable / Boekhoudsoftware")
    page.locator("#id_budget-1-amount").fill("25000")
    submit(page, "#draft-form button[name=save][value=budget]")


def assert_draft_saved(page, application: GrantApplication, *, partner) -> None:
    application.refresh_from_db()
    assert application.description.startswith("Trois ASBL")
    assert (application.axes, application.types, application.logics) == (
        [Axis.SUPPORT_FUNCTIONS, Axis.NETWORKS],
        [MutualisationType.HR_SUPPORT],
        [Logic.MANAGERIAL, Logic.SOLIDARITY],
    )
    assert application.initiative_legal_form == InitiativeLegalForm.AGREEMENT
    assert application.requested_amount == Decimal("30000.00")
    assert list(application.partners.all()) == [partner]
    lines = application.budget_lines.order_by("pk")
    assert [(line.category, line.hours, line.hourly_cost, line.amount) for line in lines] == [
        (BudgetCategory.COORDINATION_HOURS, Decimal("200.00"), Decimal("45.00"), Decimal("9000.00")),
        (BudgetCategory.EQUIPMENT, None, None, Decimal("25000.00")),
    ]
    # The page says nothing is missing, and shows what was saved.
    expect(page.locator("#completeness .outcome-pass")).to_be_visible()
    expect(page.locator("#completeness ul.missing")).to_have_count(0)
    expect(page.locator(f"#partner-list li[data-partner='{partner.enterprise_number}']")).to_have_count(1)
    expect(page.locator("#budget .budget-line")).to_have_count(4)  # two saved, two blank (folded)
    expect(page.locator("#id_budget-0-hours")).to_have_value("200.00")


def submit_application(page, base_url: str, language: str, application: GrantApplication) -> None:
    transition(page, "submit")
    # Submitting has its own page (an optional comment); one competent administration: no choice.
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text(translated(language, "Submit the application"))
    expect(page.locator("#id_administration")).to_have_count(0)
    submit(page)
    expect(page).to_have_url(f"{base_url}{application.get_absolute_url()}")
    expect_state(page, State.SUBMITTED, language, "Submitted")
    expect(page.locator("#reference")).to_have_text(f"MUT-{timezone.localdate().year}-00001")
    expect(page.locator("#receipt-link")).to_be_visible()
    expect(page.locator("#edit-link")).to_have_count(0)
    expect(page.locator("main [data-transition='withdraw']")).to_have_count(1)


# -- the officer ----------------------------------------------------------------------------------


def screen_and_admit(page, base_url: str, language: str, application: GrantApplication) -> None:
    page.goto(f"{base_url}{reverse('core:work_queue')}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text(translated(language, "Work queue"))
    link = page.locator(f"#work-queue a[href='{application.get_absolute_url()}']")
    expect(link).to_have_text(f"MUT-{timezone.localdate().year}-00001")
    expect(page.locator("#work-queue tbody tr")).to_have_count(1)
    with page.expect_navigation():
        link.click()
    expect_state(page, State.SUBMITTED, language, "Submitted")
    expect(page.locator("#review-link")).to_have_count(0)

    transition(page, "start_screening")
    expect_state(page, State.SCREENING, language, "Screening")
    transition(page, "admit")
    expect_state(page, State.UNDER_REVIEW, language, "Under review")


def record_review(page, language: str, application: GrantApplication, officer) -> None:
    # A reviewer first declares any conflict of interest with the file's organisations.
    expect(page.locator("#review-link")).to_have_count(0)
    page.locator("#instruction input[name=has_conflict][value=no]").check()
    submit(page, "#instruction form.conflict-declaration button[type=submit]")
    expect(page.locator("#my-declaration")).to_have_attribute("data-conflict", "no")
    submit(page, "#review-link")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text(translated(language, "Review the application"))
    for name, score in SCORES.items():
        page.locator(f"#review-form input[name={name}][value='{score}']").check()
        page.locator(f"#review-form textarea[name={name}_comment]").fill(f"{name}: {score}/5")
    page.locator(f"#review-form input[name=recommendation][value='{Recommendation.AWARD}']").check()
    submit(page, "#review-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"{re.escape(application.get_absolute_url())}#reviews$"))
    expect_state(page, State.UNDER_REVIEW, language, "Under review")
    expect(page.locator(f"#reviews article.review[data-reviewer='{officer.pk}']")).to_have_count(1)
    expect(page.locator("#review-table [data-average='overall']")).to_have_text(re.compile(r"^\s*4[.,]0\s*$"))
    review = application.reviews.get()
    assert (review.reviewer, review.recommendation) == (officer, Recommendation.AWARD)
    assert {name: getattr(review, name) for name in SCORES} == SCORES


def assert_no_decision_offered(page, base_url: str, application: GrantApplication) -> None:
    """Four eyes: the officer who screened the file may not decide it, even holding the approver role."""
    for name in ("approve", "reject"):
        expect(page.locator(f"main [data-transition='{name}']")).to_have_count(0)
    response = page.goto(
        f"{base_url}{reverse('grants:application_transition', args=[application.pk, 'approve'])}"
    )
    assert response.status == 403


# -- the approver ---------------------------------------------------------------------------------


def approve(page, base_url: str, language: str, application: GrantApplication) -> None:
    page.goto(f"{base_url}{application.get_absolute_url()}")
    expect_state(page, State.UNDER_REVIEW, language, "Under review")
    expect(page.locator("main [data-transition='reject']")).to_have_count(1)
    transition(page, "approve")
    expect(page).to_have_url(
        f"{base_url}{reverse('grants:application_transition', args=[application.pk, 'approve'])}"
    )
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text(translated(language, "Award the grant"))
    expect(page.locator("label[for='id_awarded_amount']")).to_contain_text(
        translated(language, "Awarded amount (EUR)")
    )
    page.locator("#id_awarded_amount").fill("28000")
    page.locator("#id_comment").fill("Budget logiciel revu / Softwarebudget herzien.")
    submit(page)
    expect(page).to_have_url(f"{base_url}{application.get_absolute_url()}")
    expect_state(page, State.APPROVED, language, "Approved")
    expect(page.locator("#awarded-amount")).to_have_text(re.compile(r"28\W?000,00"))
    expect(page.locator("#award-letter-link")).to_be_visible()
    for name in ("approve", "reject"):
        expect(page.locator(f"main [data-transition='{name}']")).to_have_count(0)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_grant_is_applied_for_screened_reviewed_and_awarded_by_two_people(
    language, live_server, reference_data, new_context
):
    base_url = live_server.url
    call = CallFactory(envelopes={"cocof": Decimal("500000")})
    organisation = RecognitionFactory().organisation
    partner = OrganisationFactory()
    applicant = person(f"applicant.{language}@asbl.example", language, organisation=organisation)
    officer = person(
        f"officer.{language}@cocof.example",
        language,
        staff_roles=[StaffRole.Role.OFFICER, StaffRole.Role.APPROVER],
    )
    approver = person(f"approver.{language}@cocof.example", language, staff_roles=[StaffRole.Role.APPROVER])

    # 1. The applicant drafts, completes and submits the application.
    applicant_page = sign_in(new_context, base_url, applicant, language)
    application = start_application(applicant_page, base_url, language, call=call, organisation=organisation)
    fill_draft(applicant_page, language, partner=partner)
    expect(applicant_page).to_have_url(
        f"{base_url}{reverse('grants:application_edit', args=[application.pk])}"
    )
    assert_draft_saved(applicant_page, application, partner=partner)
    applicant_page.screenshot(path=f"/tmp/grants-journey-{language}-draft.png", full_page=True)
    submit_application(applicant_page, base_url, language, application)

    # 2. An officer lands on their home page (their tasks and the way to the work queue), takes the
    # file from the work queue, screens, admits and reviews it.
    officer_page = sign_in(new_context, base_url, officer, language)
    expect(officer_page).to_have_url(f"{base_url}{reverse('home')}")
    expect(officer_page.locator("#tasks-title")).to_have_text(translated(language, "My tasks"))
    screen_and_admit(officer_page, base_url, language, application)
    record_review(officer_page, language, application, officer)
    assert_no_decision_offered(officer_page, base_url, application)

    # 3. Another person, an approver, awards the grant.
    approver_page = sign_in(new_context, base_url, approver, language)
    approve(approver_page, base_url, language, application)
    approver_page.screenshot(path=f"/tmp/grants-journey-{language}-approved.png", full_page=True)

    application.refresh_from_db()
    assert (application.state, application.reference) == (
        State.APPROVED,
        f"MUT-{timezone.localdate().year}-00001",
    )
    assert application.administration.code == "cocof"
    assert application.screened_by == officer
    assert (application.awarded_amount, application.reserved_amount) == (Decimal("28000.00"),) * 2

    # The applicant sees the award in their language.
    applicant_page.reload()
    expect_state(applicant_page, State.APPROVED, language, "Approved")
    expect(applicant_page.locator("main [data-transition='accept']")).to_have_count(1)
