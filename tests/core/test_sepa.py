"""SEPA credit transfer export (pain.001) of one administration's approved outgoing payment orders."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation

from core.exceptions import InvalidInput
from core.models import HistoryEntry, PaymentOrder, SepaBatch
from core.sepa import amount_in_cents, export_payment_orders, sepa_text
from tests.factories import PaymentOrderFactory, administration, applicant, staff
from tests.parallel import run_in_parallel

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
EXPORT_URL = "/api/v1/payments/orders/export/"
COCOF_IBAN = "BE68539007547034"
COCOF_BIC = "GEBABEBB"


@pytest.fixture
def client_for_web():
    from django.test import Client

    def make(user):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return make


@pytest.fixture
def cocof():
    found = administration("cocof")
    found.iban = COCOF_IBAN
    found.bic = COCOF_BIC
    found.save()
    return found


def approved_order(**fields) -> PaymentOrder:
    return PaymentOrderFactory(state=PaymentOrder.State.APPROVED, **fields)


def parse(xml: bytes) -> ET.Element:
    return ET.fromstring(xml)


def transactions(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//p:CdtTrfTxInf", NS)


def end_to_end_ids(root: ET.Element) -> set[str]:
    return {tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for tx in transactions(root)}


def test_there_is_one_transaction_per_approved_outgoing_order(cocof):
    approved_order()
    approved_order()

    root = parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml)

    assert len(transactions(root)) == 2
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"


def test_the_control_sum_is_the_exact_total_of_the_amounts(cocof):
    for amount in ("10500.00", "0.10", "1234.57"):
        approved_order(amount=Decimal(amount))

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert parse(export.xml).findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "11734.67"
    assert export.total == Decimal("11734.67")


def test_the_debtor_is_the_administration_and_its_account(cocof):
    approved_order()

    root = parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml)

    assert root.findtext(".//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == COCOF_IBAN
    assert root.findtext(".//p:PmtInf/p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == COCOF_BIC
    assert (
        root.findtext(".//p:PmtInf/p:Dbtr/p:Nm", namespaces=NS)
        == "Commission communautaire francaise (Cocof)"
    )


def test_each_creditor_gets_its_own_iban_bic_and_amount(cocof):
    first = approved_order(
        amount=Decimal("2500.00"), counterparty_iban="BE71096123456769", counterparty_bic="GKCCBEBB"
    )
    second = approved_order(
        amount=Decimal("99.99"), counterparty_iban="BE68539007547034", counterparty_bic="GEBABEBB"
    )

    root = parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml)

    by_reference = {tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): tx for tx in transactions(root)}
    for order, iban, bic, amount in [
        (first, "BE71096123456769", "GKCCBEBB", "2500.00"),
        (second, "BE68539007547034", "GEBABEBB", "99.99"),
    ]:
        tx = by_reference[order.reference]
        assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == iban
        assert tx.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == bic
        assert tx.find("p:Amt/p:InstdAmt", NS).text == amount
        assert tx.find("p:Amt/p:InstdAmt", NS).get("Ccy") == "EUR"


def test_the_end_to_end_id_is_the_order_reference_and_the_communication_is_kept(cocof):
    order = approved_order(remittance_information="MUT-2026-00007 avance")

    tx = transactions(parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml))[0]

    assert tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == order.reference
    assert order.reference.startswith("PAY-")
    assert tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "MUT-2026-00007 avance"


def test_accented_names_are_written_in_the_sepa_character_set(cocof):
    approved_order(counterparty_name="Maison des Solidarités & Coöperatie")

    tx = transactions(parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml))[0]

    assert tx.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Maison des Solidarites Cooperatie"


def test_the_file_validates_against_the_pain_001_schema_read_by_another_validator(cocof):
    import sepaxml
    import xmlschema

    for _ in range(3):
        approved_order(counterparty_name="Maison des Solidarités & Coöperatie")
    schema = xmlschema.XMLSchema(str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"))

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert schema.is_valid(export.xml.decode())
    assert len(transactions(parse(export.xml))) == 3


def test_a_file_that_does_not_validate_is_refused_and_marks_nothing(cocof, monkeypatch):
    order = approved_order()
    monkeypatch.setattr("core.sepa.sepa_text", lambda value, max_length: "")  # names are required

    with translation.override("en"), pytest.raises(InvalidInput) as refusal:
        export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert "does not validate against the pain.001.001.03 schema" in str(refusal.value)
    assert not SepaBatch.objects.exists()
    order.refresh_from_db()
    assert order.exported_at is None


def test_exported_orders_are_stamped_with_the_export_time(cocof):
    order = approved_order()
    before = timezone.now()

    export_payment_orders(administration=cocof, acting_user=staff("finance"))

    order.refresh_from_db()
    assert order.exported_at is not None
    assert order.exported_at >= before


def test_exported_orders_stay_approved_until_marked_paid(cocof):
    order = approved_order()

    export_payment_orders(administration=cocof, acting_user=staff("finance"))

    order.refresh_from_db()
    assert order.state == PaymentOrder.State.APPROVED


def test_pending_paid_and_cancelled_orders_are_left_out(cocof):
    included = approved_order()
    others = [
        PaymentOrderFactory(state=state)
        for state in (PaymentOrder.State.PENDING, PaymentOrder.State.PAID, PaymentOrder.State.CANCELLED)
    ]

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert end_to_end_ids(parse(export.xml)) == {included.reference}
    assert PaymentOrder.objects.filter(pk__in=[o.pk for o in others], exported_at__isnull=False).count() == 0


def test_receivable_orders_are_left_out(cocof):
    included = approved_order(kind=PaymentOrder.Kind.GRANT_BALANCE)
    for kind in PaymentOrder.RECEIVABLE_KINDS:
        approved_order(kind=kind)

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert end_to_end_ids(parse(export.xml)) == {included.reference}


def test_orders_of_another_administration_are_left_out(cocof):
    included = approved_order()
    other = approved_order(administration=administration("iriscare"))

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert end_to_end_ids(parse(export.xml)) == {included.reference}
    other.refresh_from_db()
    assert other.exported_at is None


def test_orders_already_exported_are_not_exported_twice(cocof):
    approved_order(exported_at=timezone.now())
    fresh = approved_order()

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert end_to_end_ids(parse(export.xml)) == {fresh.reference}


def test_an_order_due_in_the_past_is_executed_today(cocof):
    approved_order(due_date=timezone.localdate() - timedelta(days=10))

    root = parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml)

    assert root.findtext(".//p:PmtInf/p:ReqdExctnDt", namespaces=NS) == timezone.localdate().isoformat()


def test_orders_due_on_different_days_are_grouped_by_execution_date(cocof):
    later = timezone.localdate() + timedelta(days=40)
    approved_order(due_date=later)
    approved_order(due_date=later)
    approved_order(due_date=timezone.localdate() + timedelta(days=5))

    root = parse(export_payment_orders(administration=cocof, acting_user=staff("finance")).xml)

    batches = {
        info.findtext("p:ReqdExctnDt", namespaces=NS): info.findtext("p:NbOfTxs", namespaces=NS)
        for info in root.findall(".//p:PmtInf", NS)
    }
    assert batches[later.isoformat()] == "2"
    assert len(batches) == 2


def test_the_file_is_named_after_the_administration_and_the_day(cocof):
    approved_order()

    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert export.filename == f"pain001-cocof-{timezone.localdate().isoformat()}.xml"


def test_nothing_to_export_is_refused(cocof):
    PaymentOrderFactory(state=PaymentOrder.State.PENDING)

    with pytest.raises(InvalidInput):
        export_payment_orders(administration=cocof, acting_user=staff("finance"))


def test_an_administration_without_an_iban_is_refused(cocof):
    cocof.iban = ""
    cocof.save()
    approved_order()

    with pytest.raises(InvalidInput):
        export_payment_orders(administration=cocof, acting_user=staff("finance"))


def test_an_administration_without_a_bic_is_refused(cocof):
    cocof.bic = ""
    cocof.save()
    approved_order()

    with pytest.raises(InvalidInput):
        export_payment_orders(administration=cocof, acting_user=staff("finance"))


def test_an_unpayable_order_is_refused_before_the_file_is_built_and_marks_nothing(cocof):
    good = approved_order()
    approved_order(counterparty_iban="not an iban")

    with pytest.raises(InvalidInput, match="IBAN"):
        export_payment_orders(administration=cocof, acting_user=staff("finance"))

    good.refresh_from_db()
    assert good.exported_at is None


def test_amounts_become_whole_cents_exactly():
    assert amount_in_cents(Decimal("0.29")) == 29
    assert amount_in_cents(Decimal("12500.00")) == 1250000
    assert amount_in_cents(Decimal("1234567890.99")) == 123456789099


def test_amounts_in_cents_are_never_taken_from_a_float():
    with pytest.raises(TypeError):
        amount_in_cents(0.29)


def test_sepa_text_spells_out_ligatures():
    assert sepa_text("Œuvre des Ĳzerwerkers", 70) == "OEuvre des IJzerwerkers"


def test_sepa_text_is_cut_to_the_allowed_length():
    assert sepa_text("é" * 200, 140) == "e" * 140


# The API: POST /api/v1/payments/orders/export/?administration=<code>


def test_finance_of_the_administration_downloads_the_file(api_client, cocof):
    order = approved_order()
    api_client.force_authenticate(staff("finance"))

    response = api_client.post(f"{EXPORT_URL}?administration=cocof")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert (
        f'filename="pain001-cocof-{timezone.localdate().isoformat()}.xml"' in response["Content-Disposition"]
    )
    assert end_to_end_ids(parse(response.content)) == {order.reference}


def test_an_officer_may_not_export(api_client, cocof):
    approved_order()
    api_client.force_authenticate(staff("officer"))

    response = api_client.post(f"{EXPORT_URL}?administration=cocof")

    assert response.status_code == 403
    assert PaymentOrder.objects.filter(exported_at__isnull=False).count() == 0


def test_an_applicant_may_not_export(api_client, cocof):
    approved_order()
    api_client.force_authenticate(applicant())

    response = api_client.post(f"{EXPORT_URL}?administration=cocof")

    assert response.status_code == 403


def test_finance_of_another_administration_may_not_export(api_client, cocof):
    approved_order()
    api_client.force_authenticate(staff("finance", administration_code="iriscare"))

    response = api_client.post(f"{EXPORT_URL}?administration=cocof")

    assert response.status_code == 403


def test_an_unknown_administration_is_a_bad_request(api_client, cocof):
    api_client.force_authenticate(staff("finance"))

    response = api_client.post(f"{EXPORT_URL}?administration=atlantis")

    assert response.status_code == 400
    assert "administration" in response.json()["errors"]


def test_a_missing_administration_is_a_bad_request(api_client, cocof):
    api_client.force_authenticate(staff("finance"))

    response = api_client.post(EXPORT_URL)

    assert response.status_code == 400


def test_nothing_to_export_is_a_bad_request_through_the_api(api_client, cocof):
    api_client.force_authenticate(staff("finance"))

    response = api_client.post(f"{EXPORT_URL}?administration=cocof")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_an_anonymous_caller_may_not_export(api_client, cocof):
    response = api_client.post(f"{EXPORT_URL}?administration=cocof")

    assert response.status_code == 401


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_exports_never_pay_an_order_twice(reference_data):
    cocof = administration("cocof")
    cocof.iban, cocof.bic = COCOF_IBAN, COCOF_BIC
    cocof.save()
    orders = [approved_order() for _ in range(3)]
    finance = staff("finance")
    results = run_in_parallel(
        2, lambda _index: export_payment_orders(administration=cocof, acting_user=finance)
    )

    exported = [result for result in results if not isinstance(result, Exception)]
    refused = [result for result in results if isinstance(result, InvalidInput)]
    assert len(exported) == 1
    assert len(refused) == 1
    assert sorted(exported[0].order_ids) == sorted(order.pk for order in orders)


# -- batches: recorded once, downloaded again byte for byte --------------------------------------------


def test_an_export_is_recorded_as_a_batch_with_its_orders_count_and_total(cocof):
    first, second = approved_order(amount=Decimal("100.00")), approved_order(amount=Decimal("250.50"))
    finance = staff("finance")

    export = export_payment_orders(administration=cocof, acting_user=finance)

    batch = SepaBatch.objects.get(pk=export.batch_id)
    assert (batch.order_count, batch.total, batch.created_by) == (2, Decimal("350.50"), finance)
    assert bytes(batch.content) == export.xml
    assert set(batch.orders.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_a_batch_downloaded_twice_is_byte_identical_to_the_exported_file(client_for_web, cocof):
    approved_order()
    finance = staff("finance", preferred_language="en")
    export = export_payment_orders(administration=cocof, acting_user=finance)
    client = client_for_web(finance)

    downloads = [client.get(f"/payments/batches/{export.batch_id}/pain001.xml").content for _ in range(2)]

    assert downloads == [export.xml, export.xml]
    events = HistoryEntry.objects.filter(object_id=export.batch_id, transition__startswith="sepa_")
    assert [entry.transition for entry in events] == ["sepa_exported", "sepa_downloaded", "sepa_downloaded"]


def test_orders_of_a_batch_never_enter_a_second_one(cocof):
    approved_order()
    export_payment_orders(administration=cocof, acting_user=staff("finance"))
    approved_order()

    second = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert second.count == 1
    assert SepaBatch.objects.count() == 2
    assert second.filename.endswith("-2.xml")


def test_an_order_with_a_bad_iban_is_named_and_nothing_is_exported(cocof):
    good = approved_order()
    bad = approved_order(counterparty_iban="BE00 0000 0000 0000", counterparty_name="ASBL Fautive")

    with pytest.raises(InvalidInput) as refusal:
        export_payment_orders(administration=cocof, acting_user=staff("finance"))

    assert bad.reference in refusal.value.message and "ASBL Fautive" in refusal.value.message
    assert not PaymentOrder.objects.filter(pk__in=[good.pk, bad.pk], exported_at__isnull=False).exists()
    assert not SepaBatch.objects.exists()


def test_finance_of_another_administration_gets_404_on_a_batch(client_for_web, cocof):
    approved_order()
    export = export_payment_orders(administration=cocof, acting_user=staff("finance"))

    response = client_for_web(staff("finance", "iriscare", preferred_language="en")).get(
        f"/payments/batches/{export.batch_id}/pain001.xml"
    )

    assert response.status_code == 404


def test_the_api_lists_batches_and_downloads_one_as_recorded(api_client, cocof):
    approved_order()
    finance = staff("finance")
    export = export_payment_orders(administration=cocof, acting_user=finance)
    api_client.force_authenticate(finance)

    listed = api_client.get("/api/v1/payments/batches/").json()
    download = api_client.get(
        f"/api/v1/payments/batches/{export.batch_id}/download/", HTTP_ACCEPT="application/xml"
    )

    assert [batch["id"] for batch in listed["results"]] == [export.batch_id]
    assert download.content == export.xml


def test_an_officer_without_the_finance_role_sees_no_batch(api_client, cocof):
    approved_order()
    export_payment_orders(administration=cocof, acting_user=staff("finance"))
    api_client.force_authenticate(staff("officer"))

    assert api_client.get("/api/v1/payments/batches/").json()["count"] == 0
