"""The guarantee demo data: produced by the real transitions, in most states, of both administrations."""

import pytest
from django.core.management import call_command

from core.models import PaymentOrder
from guarantees.demo import DEMO_STATES, load_guarantee_demo_data
from guarantees.models import GuaranteeRequest, LenderDeclaration
from guarantees.selectors import fund_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", verbosity=0)


def test_the_demo_files_reach_every_listed_state(demo):
    assert set(GuaranteeRequest.objects.values_list("state", flat=True)) == {
        str(state) for state in DEMO_STATES
    }


def test_the_demo_files_belong_to_both_administrations(demo):
    assert set(
        GuaranteeRequest.objects.exclude(administration=None).values_list("administration__code", flat=True)
    ) == {"cocof", "iriscare"}


def test_the_demo_lender_has_running_loans_with_schedules_declarations_and_fee_orders(demo):
    running = GuaranteeRequest.objects.filter(state="active", lender__enterprise_number="0445678970")

    assert running.exists()
    assert all(loan.schedule_lines.exists() for loan in running)
    assert LenderDeclaration.objects.filter(request__in=running).exists()
    assert PaymentOrder.objects.filter(kind=PaymentOrder.Kind.GUARANTEE_FEE).exists()
    assert PaymentOrder.objects.filter(kind=PaymentOrder.Kind.GUARANTEE_CLAIM_PAYOUT).exists()


def test_loading_the_demo_data_twice_adds_nothing(demo):
    count = GuaranteeRequest.objects.count()

    assert load_guarantee_demo_data() == 0
    assert GuaranteeRequest.objects.count() == count


def test_the_demo_fund_has_exposure_within_its_capacity(demo):
    status = fund_status()

    assert 0 < status["exposure"] < status["capacity"]
