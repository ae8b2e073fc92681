"""In French and in Dutch, in a real browser: an officer writes to an applicant about a file, the
applicant reads it and answers, the officer reads the answer; a finance officer approves payment
orders (four eyes: another person created them) and downloads the SEPA file, then downloads the
same recorded file again from the list of batches."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import StaffRole
from core.models import Message, PaymentOrder, SepaBatch
from grants.states import State
from tests.browser.test_grants_journey import person, sign_in, submit, translated
from tests.factories import PaymentOrderFactory, administration, staff
from tests.grants.factories import application_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_officer_messages_an_applicant_who_answers(language, live_server, reference_data, new_context):
    base_url = live_server.url
    application, _cast = application_in(State.INFORMATION_REQUESTED)
    applicant = person(
        f"applicant.{language}@asbl.example", language, organisation=application.lead_organisation
    )
    officer = person(f"officer.{language}@cocof.example", language, staff_roles=[StaffRole.Role.OFFICER])
    thread_url = f"{base_url}{reverse('grants:messages', args=[application.pk])}"

    officer_page = sign_in(new_context, base_url, officer, language)
    officer_page.goto(thread_url)
    expect(officer_page.locator("main h1")).to_have_text(translated(language, "Messages"))
    officer_page.locator("#id_body").fill(
        "Pourriez-vous joindre vos statuts ? / Kunt u uw statuten toevoegen?"
    )
    submit(officer_page, "main form[method=post] button[type=submit]")
    expect(officer_page.locator("#thread .from-administration")).to_contain_text("statuts")

    applicant_page = sign_in(new_context, base_url, applicant, language)
    applicant_page.goto(f"{base_url}{reverse('core:inbox')}")
    expect(applicant_page.locator("main")).to_contain_text(application.reference)
    applicant_page.goto(thread_url)
    expect(applicant_page.locator("#thread .from-administration")).to_contain_text("statuts")
    applicant_page.locator("#id_body").fill("Les voici, merci. / Hierbij, dank u.")
    submit(applicant_page, "main form[method=post] button[type=submit]")
    expect(applicant_page.locator("#thread .from-applicant")).to_contain_text("merci")

    officer_page.goto(thread_url)
    expect(officer_page.locator("#thread .from-applicant")).to_contain_text("merci")
    # The officer's message shows it was read, in the officer's language.
    expect(officer_page.locator("#thread .from-administration .receipts")).to_contain_text(
        translated(language, "Read by")
    )
    assert Message.objects.filter(object_id=application.pk).count() == 2


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_finance_approves_orders_and_downloads_the_same_sepa_file_twice(
    language, live_server, reference_data, new_context
):
    base_url = live_server.url
    cocof = administration("cocof")
    cocof.iban, cocof.bic = "BE68539007547034", "GEBABEBB"
    cocof.save()
    creator = staff("approver")
    orders = PaymentOrderFactory.create_batch(2, created_by=creator)
    finance = person(f"finance.{language}@cocof.example", language, staff_roles=[StaffRole.Role.FINANCE])
    page = sign_in(new_context, base_url, finance, language)

    for order in orders:
        page.goto(f"{base_url}{order.get_absolute_url()}")
        submit(page, "main [data-transition='approve']")
        expect(page.locator("#state")).to_have_attribute("data-state", PaymentOrder.State.APPROVED)
        expect(page.locator("#state")).to_have_text(translated(language, "Approved"))

    page.goto(f"{base_url}{reverse('core:payment_order_list')}")
    with page.expect_download() as first:
        page.locator("main [data-sepa-export='cocof']").click()
    exported = first.value.path().read_bytes()
    assert b"<CstmrCdtTrfInitn>" in exported
    assert exported.count(b"<CdtTrfTxInf>") == 2

    page.goto(f"{base_url}{reverse('core:payment_order_list')}")
    batch = SepaBatch.objects.get()
    with page.expect_download() as again:
        page.locator(f"#sepa-batches [data-batch='{batch.pk}'] a").click()
    assert again.value.path().read_bytes() == exported
    assert set(PaymentOrder.objects.values_list("sepa_batch", flat=True)) == {batch.pk}
