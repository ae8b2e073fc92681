"""Whom each grant transition hands the ball to: an inbox message and an e-mail, after commit."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from core.exceptions import Conflict
from core.models import Notification
from grants.workflow import State
from tests.factories import applicant, staff
from tests.grants.factories import (
    CallFactory,
    GrantApplicationFactory,
    StaffCast,
    act,
    advance_to,
    ready_for_decision,
)

pytestmark = pytest.mark.django_db


def recipients() -> set:
    return {notification.recipient for notification in Notification.objects.all()}


# -- submission: the officers of the file's administration ---------------------------------------------


def test_after_submission_the_officers_of_the_files_administration_get_an_inbox_message(
    django_capture_on_commit_callbacks,
):
    application = GrantApplicationFactory()
    officers = {staff("officer"), staff("officer")}
    staff("officer", "iriscare")

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "submit", applicant(application.lead_organisation))

    assert recipients() == officers


def test_after_submission_the_officers_get_an_email(django_capture_on_commit_callbacks, mailoutbox):
    application = GrantApplicationFactory()
    officer = staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "submit", applicant(application.lead_organisation))

    assert [message.to for message in mailoutbox] == [[officer.email]]
    assert mailoutbox[0].subject


def test_the_submission_message_names_the_files_reference(django_capture_on_commit_callbacks):
    application = GrantApplicationFactory()
    staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        submitted = act(application, "submit", applicant(application.lead_organisation))

    assert submitted.reference in Notification.objects.get().subject


# -- information request: the lead's members, each in their language ------------------------------------


def screening_with_bilingual_lead():
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    dutch_member = applicant(
        application.lead_organisation, role=Membership.Role.MEMBER, preferred_language="nl"
    )
    applicant(application.partners.first())  # partners read the file, they are not asked anything
    return advance_to(application, State.SCREENING, cast), cast, dutch_member


def test_after_an_information_request_every_member_of_the_lead_is_notified(
    django_capture_on_commit_callbacks,
):
    application, cast, dutch_member = screening_with_bilingual_lead()

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "request_information", cast.officer, comment="Send the statutes.")

    assert recipients() == {cast.applicant, dutch_member}
    assert all(notification.subject for notification in Notification.objects.all())


def test_the_information_request_reaches_each_member_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    application, cast, dutch_member = screening_with_bilingual_lead()

    with django_capture_on_commit_callbacks(execute=True):
        asked = act(application, "request_information", cast.officer, comment="Send the statutes.")

    with translation.override("nl"):
        expected = _("Grant %(reference)s: %(state)s") % {
            "reference": asked.reference,
            "state": State.INFORMATION_REQUESTED.label,
        }
    assert Notification.objects.get(recipient=dutch_member).subject == expected


def test_the_information_request_is_emailed_with_the_officers_comment(
    django_capture_on_commit_callbacks, mailoutbox
):
    application, cast, dutch_member = screening_with_bilingual_lead()

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "request_information", cast.officer, comment="Send the statutes.")

    assert {message.to[0] for message in mailoutbox} == {cast.applicant.email, dutch_member.email}
    assert all("Send the statutes." in message.body for message in mailoutbox)


# -- acceptance: the finance staff --------------------------------------------------------------------------


def test_after_acceptance_the_finance_staff_of_the_administration_are_notified(
    django_capture_on_commit_callbacks,
):
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    application = advance_to(application, State.APPROVED, cast)
    finance = {staff("finance"), staff("finance")}
    staff("finance", "iriscare")

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "accept", cast.applicant)

    assert recipients() == finance


# -- nothing when nothing happened --------------------------------------------------------------------------


def test_a_refused_approval_notifies_nobody(django_capture_on_commit_callbacks, mailoutbox):
    application, cast = ready_for_decision(call=CallFactory(envelopes={"cocof": Decimal("1000.00")}))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        act(application, "approve", cast.approver, awarded_amount="35000.00")

    assert not Notification.objects.exists()
    assert mailoutbox == []
