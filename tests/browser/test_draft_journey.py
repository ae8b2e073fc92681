"""The draft page never loses input, in a real browser, in French and in Dutch, on a phone (390 px)
and on a desktop: an applicant types in several sections, adds budget lines (the total follows the
typing), uploads a document (nothing typed is lost), then has one field refused (the other sections
are saved, the message sits next to the field, the completeness panel is right)."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from core.models import Document
from core.money import format_money
from grants.choices import Axis, BudgetCategory
from grants.models import GrantApplication
from tests.browser.test_grants_journey import person, sign_in, submit, translated
from tests.factories import OrganisationFactory, RecognitionFactory
from tests.grants.factories import CallFactory, GrantApplicationFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
MAXIMUM = Decimal("150000")


def pdf_file(name: str) -> dict:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Statuts / Statuten")
    page.save()
    return {"name": name, "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def money_pattern(amount: str) -> re.Pattern:
    """`1 500,00 €` or `€ 1.500,00`, whatever space the browser or Babel puts between the groups."""
    whole, cents = amount.split(",")
    return re.compile(r"\W?".join(re.escape(part) for part in whole.split(" ")) + "," + cents)


def empty_draft(organisation) -> GrantApplication:
    return GrantApplicationFactory(
        call=CallFactory(required_documents=["statutes"], max_amount_per_application=MAXIMUM),
        lead_organisation=organisation,
        title="Bureau partagé / Gedeeld kantoor",
        description="",
        axes=[],
        types=[],
        logics=[],
        initiative_legal_form="",
        start_date=None,
        end_date=None,
        requested_amount=None,
        expected_effects="",
        partners=[],
        budget=False,
    )


def open_draft(new_context, base_url, language, viewport, **options):
    organisation = RecognitionFactory().organisation
    user = person(f"drafter.{language}.{viewport}@asbl.example", language, organisation=organisation)
    application = empty_draft(organisation)
    page = sign_in_with(new_context, base_url, user, language, viewport, **options)
    page.goto(f"{base_url}{reverse('grants:application_edit', args=[application.pk])}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page, application


def sign_in_with(new_context, base_url, user, language, viewport, **options):
    def context(locale, **more):
        return new_context(locale=locale, viewport=VIEWPORTS[viewport], **options, **more)

    return sign_in(context, base_url, user, language)


def type_in_several_sections(page, partner) -> None:
    page.locator("#id_description").fill(
        "Trois ASBL partagent une comptable / Drie vzw's delen een boekhouder."
    )
    page.locator(f"input[name=axes][value='{Axis.SUPPORT_FUNCTIONS}']").check()
    page.locator("#id_start_date").fill((date.today() + timedelta(days=30)).isoformat())
    page.locator("#id_end_date").fill((date.today() + timedelta(days=395)).isoformat())
    page.locator("#id_partners").fill(partner.enterprise_number)
    page.locator("#id_budget-0-category").select_option(BudgetCategory.EQUIPMENT)
    page.locator("#id_budget-0-description").fill("Logiciel / Software")
    page.locator("#id_budget-0-amount").fill("1000")


def add_a_line_and_watch_the_total(page) -> None:
    total = page.locator("#budget-running-total-amount")
    expect(total).to_have_text(money_pattern("1 000,00"))
    lines = page.locator("#budget .budget-line")
    before = lines.count()
    page.locator("#add-line").click()  # JavaScript adds the line: no reload
    expect(lines).to_have_count(before + 1)
    expect(page.locator("input[name='budget-TOTAL_FORMS']")).to_have_value(str(before + 1))
    page.locator(f"#id_budget-{before}-category").select_option(BudgetCategory.COORDINATION_HOURS)
    page.locator(f"#id_budget-{before}-description").fill("Coordination")
    page.locator(f"#id_budget-{before}-hours").fill("10")
    page.locator(f"#id_budget-{before}-hourly_cost").fill("50")
    expect(total).to_have_text(money_pattern("1 500,00"))


def upload_keeps_everything(page, language, application, partner) -> None:
    page.locator("#id_document-document_type").select_option("statutes")
    page.locator("#id_document-content").set_input_files(pdf_file("statuts.pdf"))
    submit(page, "#draft-form button[name=upload]")
    expect(page.locator("#document-list tr[data-document]")).to_have_count(1)
    expect(page.locator("#id_description")).to_have_value(re.compile("^Trois ASBL"))
    expect(page.locator("#id_partners")).to_have_value(partner.enterprise_number)
    expect(page.locator("#id_budget-1-hours")).to_have_value("10.00")
    application.refresh_from_db()
    assert application.description.startswith("Trois ASBL")
    assert application.axes == [Axis.SUPPORT_FUNCTIONS]
    assert list(application.partners.all()) == [partner]
    assert application.budget_total == Decimal("1500.00")
    assert Document.objects.for_file(application).get().original_name == "statuts.pdf"
    # The statutes were the missing document: the panel no longer asks for them.
    expect(page.locator("#completeness")).not_to_contain_text(translated(language, "Statutes"))


def one_refused_field(page, language, application) -> None:
    page.locator("#id_requested_amount").fill("200000")
    page.locator("#id_expected_effects").fill("Moins d'attente / Minder wachttijd.")
    submit(page, "#draft-form button[name=save][value=period]")
    refusal = translated(language, "The requested amount exceeds the call's maximum of %(maximum)s.") % {
        "maximum": format_money(MAXIMUM, language)
    }
    expect(page.locator("#id_requested_amount_errors")).to_have_text(refusal)
    expect(page.locator("#id_requested_amount")).to_have_value("200000")
    expect(page.locator("#error-summary")).to_contain_text(
        translated(
            language,
            "What is marked below was not saved: please correct it. Everything else you typed was saved.",
        )
    )
    application.refresh_from_db()
    assert application.expected_effects.startswith("Moins d'attente")
    assert application.requested_amount is None
    completeness = page.locator("#completeness")
    expect(completeness).to_contain_text(translated(language, "Give the requested amount."))
    expect(completeness).not_to_contain_text(
        translated(language, "Describe the expected effects on the public.")
    )
    expect(completeness).not_to_contain_text(translated(language, "Add at least one budget line."))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_applicant_never_loses_what_they_typed_on_the_draft(
    language, viewport, live_server, reference_data, new_context
):
    page, application = open_draft(new_context, live_server.url, language, viewport)
    partner = OrganisationFactory()

    type_in_several_sections(page, partner)
    add_a_line_and_watch_the_total(page)
    upload_keeps_everything(page, language, application, partner)
    one_refused_field(page, language, application)
    page.screenshot(path=f"/tmp/draft-journey-{language}-{viewport}.png", full_page=True)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_add_a_line_works_without_javascript(language, live_server, reference_data, new_context):
    page, application = open_draft(new_context, live_server.url, language, "phone", java_script_enabled=False)
    page.locator("#id_description").fill("Sans JavaScript / Zonder JavaScript")
    page.locator("#id_budget-0-category").select_option(BudgetCategory.EQUIPMENT)
    page.locator("#id_budget-0-description").fill("Logiciel / Software")
    page.locator("#id_budget-0-amount").fill("1000")
    page.locator("#id_budget-1-category").select_option(BudgetCategory.STAFF)
    page.locator("#id_budget-1-description").fill("Comptable / Boekhouder")
    page.locator("#id_budget-1-amount").fill("2000")

    submit(page, "#add-line")

    expect(page.locator("#budget .budget-line")).to_have_count(3)  # two saved, one blank
    expect(page.locator("#id_budget-2-category")).to_be_visible()
    expect(page.locator("#id_description")).to_have_value("Sans JavaScript / Zonder JavaScript")
    expect(page.locator("#budget-running-total-amount")).to_have_text(money_pattern("3 000,00"))
    application.refresh_from_db()
    assert application.budget_total == Decimal("3000.00")
