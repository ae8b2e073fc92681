"""The benchmark's guarantee requests (bench.guarantees_volume), at a small size."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from bench.volume import build_volume
from core.search import text_of
from guarantees.models import FeePeriod, GuaranteeRequest, LenderDeclaration, Recovery
from guarantees.states import RUNNING_STATES, State
from guarantees.uploads import lender_loans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the volume is built on PostgreSQL"),
]


@pytest.fixture
def volume():
    return build_volume(files=400, organisations=40)


def test_one_request_for_four_grant_files_in_every_state(volume):
    states = Counter(GuaranteeRequest.objects.values_list("state", flat=True))

    assert volume.counts["guarantee_requests"] == 100
    assert set(states) == set(State.values)


def test_references_in_submission_order_and_search_text_as_save_writes_it(volume):
    submitted = GuaranteeRequest.objects.exclude(submitted_at=None).order_by("submitted_at")
    references = list(submitted.values_list("reference", flat=True))

    assert references == [f"GAR-2026-{number:05d}" for number in range(1, len(references) + 1)]
    for request in GuaranteeRequest.objects.select_related("borrower", "lender"):
        assert request.search_text == text_of(request)


def test_disbursed_loans_have_a_schedule_summing_to_the_loan_and_their_fees(volume):
    for request in GuaranteeRequest.objects.exclude(disbursed_on=None):
        total = request.schedule_lines.aggregate(total=Sum("principal"))["total"]
        assert total == request.disbursed_amount
        assert FeePeriod.objects.filter(request=request).exists()
    assert not FeePeriod.objects.filter(billed_at__isnull=False, amount__gt=0, payment_order=None).exists()


def test_stored_deadlines_of_offers_and_the_lender_has_running_loans(volume):
    for request in GuaranteeRequest.objects.filter(state=State.OFFERED):
        assert request.deadline == request.offer_expires_on
    assert not GuaranteeRequest.objects.filter(state=State.ACTIVE).exclude(deadline=None).exists()
    assert lender_loans(volume.lender)
    assert LenderDeclaration.objects.filter(request__state__in=RUNNING_STATES).exists()
    assert not Recovery.objects.exclude(request__state__in=[State.CLAIM_PAID, State.CLOSED]).exists()
    assert not Recovery.objects.filter(fund_share__lte=Decimal("0")).exists()
