"""A new applicant's first visit, in French and in Dutch, in a real browser: choose the language,
create an account, confirm the e-mail address, register the organisation and its recognition, and
run the eligibility check for a grant."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import JointCommittee, Membership, Organisation, RecognitionAuthority, User

pytestmark = pytest.mark.browser

PASSWORD = "Pooling-resources-in-Brussels-2026"
OTHER_LANGUAGE = {"fr": "nl", "nl": "fr"}
SUBMIT = "main form[method=post] button[type=submit]"
CONFIRMATION_LINK = re.compile(r"https?://\S+/auth/confirm-email/\S+/")
ELIGIBLE_VERDICT = (
    "No rule fails: the organisation may apply. Rules marked “to check” will be verified by an officer."
)
RULES = ["legal_form", "brussels_seat", "enterprise_number", "recognition", "joint_committee"]
PHONE = {"width": 390, "height": 844}


def translated(language: str, message: str) -> str:
    """What the compiled catalogue says today (the English source until the translation lands)."""
    with translation.override(language):
        return translation.gettext(message)


def submit(page, selector: str = SUBMIT) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def choose_language(page, language: str) -> None:
    submit(page, f"header form.language-switcher button[data-language='{language}']")
    expect(page.locator("html")).to_have_attribute("lang", language)


def sign_up(page, base_url: str, mailoutbox, *, email: str, language: str) -> None:
    page.goto(f"{base_url}{reverse('account_signup')}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_first_name").fill("Amina")
    page.locator("#id_last_name").fill("Vandenberghe")
    page.locator("#id_preferred_language").select_option(language)
    submit(page)

    assert [message.to for message in mailoutbox] == [[email]]
    link = CONFIRMATION_LINK.search(mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(link.group(0))
    submit(page)  # allauth confirms on POST only (ACCOUNT_CONFIRM_EMAIL_ON_GET = False)

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: the confirmation signs the new user in.
    expect(page.locator(f"header form[action='{reverse('account_logout')}']")).to_have_count(1)


def fill_organisation(page, *, enterprise_number: str, language: str, committee_pk: int) -> None:
    page.locator("#id_name_fr").fill("Maison des Solidarités")
    page.locator("#id_name_nl").fill("Huis van de Solidariteit")
    page.locator("#id_legal_form").select_option("asbl")
    page.locator("#id_enterprise_number").fill(enterprise_number)
    page.locator("#id_street").fill("Rue Haute 120")
    page.locator("#id_postal_code").fill("1000")
    page.locator("#id_city").fill("Bruxelles")
    page.locator("#id_iban").fill("BE71 0961 2345 6769")
    page.locator("#id_bic").fill("GKCCBEBB")
    page.locator("#id_email").fill("contact@solidarites.example")
    page.locator("#id_preferred_language").select_option(language)
    page.locator("#id_headcount_fte").fill("12.5")
    page.locator("#id_annual_budget").fill("750000")
    page.locator(f"input[name=joint_committees][value='{committee_pk}']").check()


def register_organisation(page, base_url: str, *, language: str) -> Organisation:
    committee_pk = JointCommittee.objects.get(number="319").pk
    page.goto(f"{base_url}{reverse('accounts:organisation_create')}")

    # A wrong check digit is reported next to the field, and nothing typed is lost.
    fill_organisation(page, enterprise_number="0403.170.702", language=language, committee_pk=committee_pk)
    submit(page)
    field = page.locator(".field").filter(has=page.locator("#id_enterprise_number"))
    expect(field.locator("#id_enterprise_number_errors, .errors")).not_to_have_count(0)
    expect(page.locator("#id_enterprise_number_errors")).to_be_visible()
    expect(page.locator("#id_enterprise_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name_fr")).to_have_value("Maison des Solidarités")
    expect(page.locator("#id_name_nl")).to_have_value("Huis van de Solidariteit")
    expect(page.locator("#id_legal_form")).to_have_value("asbl")
    expect(page.locator("#id_postal_code")).to_have_value("1000")
    expect(page.locator("#id_iban")).to_have_value(re.compile(r"^BE71\s?0961\s?2345\s?6769$"))
    expect(page.locator("#id_headcount_fte")).to_have_value("12.5")
    expect(page.locator(f"input[name=joint_committees][value='{committee_pk}']")).to_be_checked()
    assert not Organisation.objects.exists()

    page.locator("#id_enterprise_number").fill("0403.170.701")
    submit(page)
    organisation = Organisation.objects.get()
    expect(page).to_have_url(f"{base_url}{reverse('accounts:organisation_detail', args=[organisation.pk])}")
    assert organisation.enterprise_number == "0403170701"
    assert organisation.iban == "BE71096123456769"
    assert [c.number for c in organisation.joint_committees.all()] == ["319"]
    assert organisation.memberships.get().role == Membership.Role.ADMIN
    return organisation


def add_recognition(page, base_url: str, organisation: Organisation) -> None:
    add_url = reverse("accounts:recognition_add", args=[organisation.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{add_url}']").click()
    today = date.today()
    page.locator("#id_authority").select_option(str(RecognitionAuthority.objects.get(code="cocof").pk))
    page.locator("#id_joint_committee").select_option(str(JointCommittee.objects.get(number="319").pk))
    page.locator("#id_reference").fill("COCOF/ASBL/2023-117")
    page.locator("#id_valid_from").fill((today - timedelta(days=400)).isoformat())
    page.locator("#id_valid_until").fill((today + timedelta(days=400)).isoformat())
    page.locator("#id_under_agreement").check()
    submit(page)
    expect(page).to_have_url(f"{base_url}{reverse('accounts:organisation_detail', args=[organisation.pk])}")
    recognition = organisation.recognitions.get()
    assert (recognition.reference, recognition.under_agreement, recognition.verified_at) == (
        "COCOF/ASBL/2023-117",
        True,
        None,
    )


def check_eligibility(page, organisation: Organisation) -> None:
    eligibility_url = reverse("core:eligibility_check")
    with page.expect_navigation():
        page.locator(f"main a[href='{eligibility_url}?organisation={organisation.pk}']").click()
    expect(page.locator("#id_organisation")).to_have_value(str(organisation.pk))
    page.locator("#id_scheme").select_option("grants")
    submit(page, "main form[method=get] button[type=submit]")


def assert_eligibility_report(page, language: str) -> None:
    rows = page.locator("#eligibility-rules tbody tr")
    expect(rows).to_have_count(len(RULES))
    assert [rows.nth(i).get_attribute("data-rule") for i in range(len(RULES))] == RULES
    for rule in RULES:
        status = "to_check" if rule == "recognition" else "pass"  # declared, not yet verified
        expect(page.locator(f"#eligibility-rules tr[data-rule='{rule}']")).to_have_attribute(
            "data-status", status
        )
    expect(page.locator("#eligibility-verdict")).to_be_visible()

    # The page speaks the chosen language. The catalogues are compared as compiled, so this holds
    # before the translations land (English fallback) and after (then never the English text).
    expect(page.locator("html")).to_have_attribute("lang", language)
    expected_verdict = translated(language, ELIGIBLE_VERDICT)
    expect(page.locator("#eligibility-verdict")).to_have_text(expected_verdict)
    expect(page.locator("#eligibility-rules tr[data-rule='recognition'] .status")).to_have_text(
        translated(language, "To check")
    )
    if expected_verdict != ELIGIBLE_VERDICT:
        expect(page.locator("#eligibility-verdict")).not_to_have_text(ELIGIBLE_VERDICT)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_new_applicant_registers_an_organisation_and_checks_its_eligibility(
    language, live_server, reference_data, mailoutbox, new_context
):
    base_url = live_server.url
    other = OTHER_LANGUAGE[language]
    # The browser asks for the other language first, so the switcher visibly has to work.
    context = new_context(locale=f"{other}-BE")
    page = context.new_page()

    page.goto(f"{base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", other)
    choose_language(page, language)

    email = f"amina.{language}@solidarites.example"
    sign_up(page, base_url, mailoutbox, email=email, language=language)
    user = User.objects.get(email=email)
    assert (user.first_name, user.last_name, user.preferred_language) == ("Amina", "Vandenberghe", language)

    organisation = register_organisation(page, base_url, language=language)
    add_recognition(page, base_url, organisation)
    check_eligibility(page, organisation)
    assert_eligibility_report(page, language)
    page.screenshot(path=f"/tmp/journey-{language}-desktop.png", full_page=True)

    # The same result page on a phone, for the same signed-in user.
    phone = new_context(
        locale=f"{language}-BE",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        storage_state=context.storage_state(),
    )
    phone_page = phone.new_page()
    phone_page.goto(page.url)
    assert_eligibility_report(phone_page, language)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "the page scrolls sideways"
    )
    phone_page.screenshot(path=f"/tmp/journey-{language}.png", full_page=True)
