"""State and kind labels: built once per field, still in the language of each call."""

from django.utils import translation

from core.models import PaymentOrder
from grants.models import GrantApplication
from grants.states import State


def test_a_state_label_follows_the_active_language_from_one_call_to_the_next():
    application = GrantApplication(state=State.SUBMITTED)
    with translation.override("en"):
        english = application.get_state_display()
    with translation.override("fr"):
        french = application.get_state_display()
    assert english == "Submitted"
    with translation.override("fr"):
        assert french == str(State.SUBMITTED.label) != english


def test_a_value_outside_the_choices_is_shown_as_it_is():
    order = PaymentOrder(kind="not-a-kind")
    assert order.get_kind_display() == "not-a-kind"


def test_a_payment_order_kind_has_its_label():
    with translation.override("en"):
        assert PaymentOrder(kind=PaymentOrder.Kind.GUARANTEE_FEE).get_kind_display() == "Guarantee fee"
