"""The fee run, lender declarations one by one and by CSV upload, and the officer queue's flags."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.exceptions import Conflict, InvalidInput, NotPermitted
from core.models import HistoryEntry, PaymentOrder
from core.work_queue import work_queue
from guarantees.fees import bill_due_fees
from guarantees.models import GuaranteeRequest, LenderDeclaration
from guarantees.selectors import fund_exposure
from guarantees.services import declare, quarter_of
from guarantees.states import State
from guarantees.uploads import template_csv, upload_declarations
from tests.factories import applicant, staff

from .factories import GuaranteeRequestFactory, advance_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The messages and the queue's reasons are asserted in English (the site's default is French)."""
    with translation.override("en"):
        yield


def running(**fields):
    return advance_to(GuaranteeRequestFactory(**fields), State.ACTIVE)


def fee_orders():
    return PaymentOrder.objects.filter(kind=PaymentOrder.Kind.GUARANTEE_FEE)


def this_quarter():
    return quarter_of(timezone.localdate())


# -- fees -------------------------------------------------------------------------------------------


def test_the_fee_run_bills_each_started_period_owed_by_the_borrower():
    request = running()
    started = request.fee_periods.filter(starts_on__lte=timezone.localdate()).count()

    created = bill_due_fees()

    assert created == started == 3  # disbursed 200 days ago: three quarters have started
    first = fee_orders().order_by("due_date").first()
    assert first.amount == Decimal("187.50")  # 1 % a year on 75 000 € for a quarter
    assert first.counterparty_name == request.borrower.name
    assert first.is_receivable


def test_the_fee_run_twice_bills_each_period_once():
    running()

    bill_due_fees()
    again = bill_due_fees()

    assert again == 0
    assert fee_orders().count() == 3


def test_later_fees_shrink_with_the_repayments():
    running()
    bill_due_fees()

    amounts = list(fee_orders().order_by("due_date").values_list("amount", flat=True))
    assert amounts[0] > amounts[1] > amounts[2]


def test_a_one_off_fee_is_billed_once_on_the_guaranteed_amount():
    from .factories import scheme_parameters

    scheme_parameters(fee_frequency="one_off", fee_rate=Decimal("2.00"))
    running()

    bill_due_fees()

    assert list(fee_orders().values_list("amount", flat=True)) == [Decimal("1500.00")]


# -- declarations, one by one ------------------------------------------------------------------------


def test_the_lender_declares_a_balance_which_then_drives_the_exposure():
    request = running()
    lender = applicant(request.lender)

    declare(
        acting_user=lender,
        request=request,
        as_of=timezone.localdate(),
        outstanding_principal=Decimal("90000.00"),
    )

    assert fund_exposure() == Decimal("67500.00")
    assert HistoryEntry.objects.for_file(request).filter(transition="balance_declared").exists()


def test_a_second_declaration_for_the_quarter_replaces_the_first_and_says_so():
    request = running()
    lender = applicant(request.lender)

    declare(
        acting_user=lender,
        request=request,
        as_of=timezone.localdate(),
        outstanding_principal=Decimal("90000.00"),
    )
    declare(
        acting_user=lender,
        request=request,
        as_of=timezone.localdate(),
        outstanding_principal=Decimal("85000.00"),
    )

    assert list(request.declarations.values_list("outstanding_principal", flat=True)) == [Decimal("85000.00")]
    assert HistoryEntry.objects.for_file(request).filter(transition="declaration_replaced").exists()


def test_the_borrower_and_another_lender_cannot_declare():
    request = running()

    with pytest.raises(NotPermitted):
        declare(
            acting_user=applicant(request.borrower),
            request=request,
            as_of=timezone.localdate(),
            outstanding_principal=Decimal("1"),
        )
    with pytest.raises(NotPermitted):
        declare(
            acting_user=applicant(running().lender),
            request=request,
            as_of=timezone.localdate(),
            outstanding_principal=Decimal("1"),
        )


def test_a_declaration_above_the_disbursed_amount_is_refused_next_to_the_balance():
    request = running()

    with pytest.raises(InvalidInput) as refusal:
        declare(
            acting_user=applicant(request.lender),
            request=request,
            as_of=timezone.localdate(),
            outstanding_principal=Decimal("100000.01"),
        )

    assert "outstanding_principal" in refusal.value.errors


def test_nothing_is_declared_on_a_guarantee_that_does_not_run():
    request = advance_to(GuaranteeRequestFactory(), State.OFFERED)

    with pytest.raises(Conflict):
        declare(
            acting_user=applicant(request.lender),
            request=request,
            as_of=timezone.localdate(),
            outstanding_principal=Decimal("1"),
        )


# -- CSV upload ---------------------------------------------------------------------------------------


def two_loans_of_one_lender():
    first = running()
    second = running(lender=first.lender)
    return first, second, applicant(first.lender)


def csv_of(*rows, header="reference,as_of,outstanding_principal,arrears_amount,arrears_days"):
    return ("\n".join([header, *rows]) + "\n").encode()


def test_a_good_upload_declares_every_loan_of_the_quarter():
    first, second, lender = two_loans_of_one_lender()
    today = timezone.localdate().isoformat()

    outcome = upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=csv_of(
            f"{first.reference},{today},90000.00,0,0", f"{second.reference},{today},88000,1200.50,35"
        ),
    )

    assert outcome["applied"] == 2
    assert LenderDeclaration.objects.get(request=second).arrears_days == 35


def test_a_bad_upload_reports_each_bad_row_by_its_line_and_applies_nothing():
    first, second, lender = two_loans_of_one_lender()
    stranger = running()
    today = timezone.localdate()
    outside = (this_quarter() - timedelta(days=1)).isoformat()

    with pytest.raises(InvalidInput) as refusal:
        upload_declarations(
            acting_user=lender,
            quarter=this_quarter(),
            content=csv_of(
                f"{first.reference},{today.isoformat()},90000.00,0,0",
                "GAR-1999-99999,2026-01-01,1,0,0",
                f"{stranger.reference},{today.isoformat()},1,0,0",
                f"{second.reference},{today.isoformat()},-5,0,0",
                f"{second.reference},{today.isoformat()},abc,0,0",
            ),
        )
    messages = [error["message"] for error in refusal.value.errors["file"]]

    assert any(m.startswith("Line 3:") and "unknown reference" in m for m in messages)
    assert any(m.startswith("Line 4:") for m in messages)  # not this lender's loan
    assert any(m.startswith("Line 5:") and "negative" in m for m in messages)
    assert any(m.startswith("Line 6:") for m in messages)  # twice, and not a number
    assert LenderDeclaration.objects.count() == 0
    with pytest.raises(InvalidInput) as dated:
        upload_declarations(
            acting_user=lender, quarter=this_quarter(), content=csv_of(f"{first.reference},{outside},1,0,0")
        )
    assert dated.value.errors["file"][0]["message"].startswith(
        "Line 2: The date must fall within the quarter"
    )


def test_non_numeric_amounts_are_reported_with_their_value():
    first, _second, lender = two_loans_of_one_lender()

    with pytest.raises(InvalidInput) as refusal:
        upload_declarations(
            acting_user=lender,
            quarter=this_quarter(),
            content=csv_of(f"{first.reference},{timezone.localdate()},12k,0,0"),
        )

    assert "12k" in refusal.value.errors["file"][0]["message"]


def test_a_reupload_of_the_quarter_replaces_its_declarations_and_the_history_says_so():
    first, second, lender = two_loans_of_one_lender()
    today = timezone.localdate().isoformat()
    upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=csv_of(f"{first.reference},{today},90000,0,0", f"{second.reference},{today},90000,0,0"),
    )

    outcome = upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=csv_of(f"{first.reference};{today};80000;0;0".replace(";", ",")),
    )

    assert outcome["replaced"] == 1
    assert list(LenderDeclaration.objects.values_list("request", "outstanding_principal")) == [
        (first.pk, Decimal("80000.00"))
    ]
    assert HistoryEntry.objects.for_file(first).filter(transition="declaration_replaced").exists()


def test_semicolon_separated_files_are_read_too():
    first, _second, lender = two_loans_of_one_lender()

    outcome = upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=csv_of(
            f"{first.reference};{timezone.localdate()};90000,00;0;0",
            header="reference;as_of;outstanding_principal;arrears_amount;arrears_days",
        ),
    )

    assert outcome["applied"] == 1
    assert LenderDeclaration.objects.get().outstanding_principal == Decimal("90000.00")


def test_the_template_lists_the_lenders_loans():
    first, second, _lender = two_loans_of_one_lender()

    template = template_csv([first.reference, second.reference])

    assert template.splitlines()[0] == "reference,as_of,outstanding_principal,arrears_amount,arrears_days"
    assert first.reference in template and second.reference in template


# -- the officers' queue ----------------------------------------------------------------------------


def queue_titles(user):
    return {row["reference"]: row["title"] for row in work_queue(user, {"scheme": "guarantees"})}


def test_loans_in_arrears_are_flagged_in_the_officer_queue_with_the_reason():
    request = running()
    declare(
        acting_user=applicant(request.lender),
        request=request,
        as_of=timezone.localdate(),
        outstanding_principal=Decimal("50000"),
        arrears_days=65,
    )
    officer = staff("officer", preferred_language="en")

    assert "60+ days in arrears" in queue_titles(officer)[request.reference]


def test_a_balance_lagging_the_schedule_is_flagged():
    request = running()
    declare(
        acting_user=applicant(request.lender),
        request=request,
        as_of=timezone.localdate(),
        outstanding_principal=Decimal("99999"),
    )

    assert "lags the schedule" in queue_titles(staff("officer"))[request.reference]


def test_a_running_loan_on_schedule_is_not_in_the_queue():
    request = running()
    declare(
        acting_user=applicant(request.lender),
        request=request,
        as_of=timezone.localdate(),
        outstanding_principal=Decimal("1000"),
    )

    assert request.reference not in queue_titles(staff("officer"))


def test_an_uploaded_arrears_flags_the_loan_and_a_corrected_reupload_takes_it_out_of_the_queue():
    first, second, lender = two_loans_of_one_lender()
    today = timezone.localdate().isoformat()
    officer = staff("officer", preferred_language="en")
    upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=csv_of(f"{first.reference},{today},1000,0,0", f"{second.reference},{today},1000,900,95"),
    )
    assert "90+ days in arrears" in queue_titles(officer)[second.reference]

    upload_declarations(
        acting_user=lender, quarter=this_quarter(), content=csv_of(f"{first.reference},{today},1000,0,0")
    )

    assert second.reference not in queue_titles(officer)
    assert GuaranteeRequest.objects.get(pk=second.pk).monitoring_flag == ""


def test_refreshing_flags_that_did_not_change_rewrites_no_loan():
    from guarantees.selectors import refresh_monitoring_flags

    first, second, lender = two_loans_of_one_lender()
    today = timezone.localdate().isoformat()
    upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=csv_of(f"{first.reference},{today},1000,0,0", f"{second.reference},{today},1000,900,95"),
    )

    assert refresh_monitoring_flags([first.pk, second.pk]) == 0


def test_a_file_saved_with_a_byte_order_mark_is_read():
    first, _second, lender = two_loans_of_one_lender()

    outcome = upload_declarations(
        acting_user=lender,
        quarter=this_quarter(),
        content=b"\xef\xbb\xbf" + csv_of(f"{first.reference},{timezone.localdate()},90000.00,0,0"),
    )

    assert outcome["applied"] == 1


def test_a_file_in_another_encoding_is_refused_and_applies_nothing():
    first, _second, lender = two_loans_of_one_lender()
    latin1 = csv_of(f"{first.reference},{timezone.localdate()},90000.00,0,0").replace(
        b"as_of", "dât".encode("latin-1")
    )

    with pytest.raises(InvalidInput) as refusal:
        upload_declarations(acting_user=lender, quarter=this_quarter(), content=latin1)

    assert "UTF-8" in str(refusal.value.errors)
    assert not LenderDeclaration.objects.exists()


def test_a_cell_holding_a_spreadsheet_formula_is_refused_on_its_line():
    first, _second, lender = two_loans_of_one_lender()

    with pytest.raises(InvalidInput) as refusal:
        upload_declarations(
            acting_user=lender,
            quarter=this_quarter(),
            content=csv_of(f'{first.reference},{timezone.localdate()},"=HYPERLINK(""http://x"")",0,0'),
        )

    assert "Line 2" in str(refusal.value.errors)
    assert not LenderDeclaration.objects.exists()
