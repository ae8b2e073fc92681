"""Paid peer mentoring in a real browser, in French and in Dutch: the mentor declares a month's
hours (a line refused next to it, nothing typed lost), the mentee confirms them, an approver
validates them and the compensation is ordered."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership
from core.models import PaymentOrder
from peer_mentoring.models import HoursDeclaration
from peer_mentoring.states import AgreementState, DeclarationState
from tests.browser.test_grants_journey import person, sign_in, submit, transition, translated
from tests.peer_mentoring.factories import Cast, agreement_in, last_month

pytestmark = pytest.mark.browser


def people(language: str):
    """The cast of one agreement, each with a verified e-mail address and the journey's language."""
    cast = Cast()
    mentor = person(f"mentor-{language}@example.org", language)
    mentee = person(f"mentee-{language}@example.org", language)
    approver = person(f"approver-{language}@example.org", language, staff_roles=["approver"])
    Membership.objects.create(user=mentor, organisation=cast.mentor_organisation, role=Membership.Role.ADMIN)
    Membership.objects.create(user=mentee, organisation=cast.mentee_organisation, role=Membership.Role.ADMIN)
    cast.approver = approver
    agreement, cast = agreement_in(AgreementState.ACTIVE, cast, cap="20")
    return agreement, mentor, mentee, approver


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_mentor_declares_the_mentee_confirms_and_an_approver_validates(
    language, live_server, reference_data, new_context
):
    base_url = live_server.url
    agreement, mentor, mentee, approver = people(language)
    month = last_month()

    page = sign_in(new_context, base_url, mentor, language)
    page.goto(f"{base_url}{agreement.get_absolute_url()}")
    submit(page, "#declare-link")
    page.locator("#id_month").fill(month.strftime("%Y-%m"))
    submit(page)
    declaration = HoursDeclaration.objects.get()
    page.locator("#id_lines-0-date").fill(month.isoformat())
    page.locator("#id_lines-0-hours").fill("2.5")
    page.locator("#id_lines-0-activity").select_option("meeting")
    page.locator("#id_lines-0-description").fill("Réunion de lancement / Startvergadering")
    page.locator("#id_lines-1-date").fill(month.isoformat())
    page.locator("#id_lines-1-hours").fill("1")
    page.locator("#id_lines-1-activity").select_option("meeting")
    submit(page, "#declaration-lines button[value=save]")
    # The second line repeats the date and activity: refused next to it, with everything kept.
    expect(page.locator("#line-1 .errors")).to_contain_text(
        translated(language, "This activity is already declared on this day (line %(line)s).") % {"line": 1}
    )
    expect(page.locator("#id_lines-0-description")).to_have_value("Réunion de lancement / Startvergadering")
    page.locator("#id_lines-1-activity").select_option("document_review")
    page.locator("#id_lines-2-date").fill((month + timedelta(days=7)).isoformat())
    page.locator("#id_lines-2-hours").fill("1.25")
    page.locator("#id_lines-2-activity").select_option("workshop")
    submit(page, "#declaration-lines button[value=submit]")
    submit(page, "main form[method=post] button[type=submit]")
    expect(page.locator("#state")).to_have_attribute("data-state", DeclarationState.SUBMITTED)
    expect(page.locator("#total-hours")).to_contain_text("4,75")

    page = sign_in(new_context, base_url, mentee, language)
    page.goto(f"{base_url}{reverse('mentoring:home')}")
    submit(page, f"[data-confirm-declaration='{declaration.pk}'] a")
    transition(page, "confirm")
    expect(page.locator("#state")).to_have_attribute("data-state", DeclarationState.CONFIRMED)

    page = sign_in(new_context, base_url, approver, language)
    page.goto(f"{base_url}{reverse('core:work_queue')}")
    submit(page, f"main a[href='{declaration.get_absolute_url()}']")
    transition(page, "validate")
    expect(page.locator("main")).to_contain_text(translated(language, "Compensation to order"))
    submit(page, "main form[method=post] button[type=submit]")
    expect(page.locator("#state")).to_have_attribute("data-state", DeclarationState.VALIDATED)
    expect(page.locator("#state")).to_have_text(translated(language, "Validated"))
    order = PaymentOrder.objects.get(kind=PaymentOrder.Kind.MENTORING_COMPENSATION)
    assert order.amount == Decimal("285.00")  # 4.75 h × 60 €
