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


def last_notification() -> int:
    """Where the step under test starts: earlier steps notified people too."""
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def recipients(after: int = 0) -> set:
    notifications = Notification.objects.filter(pk__gt=after)
    return {notification.recipient for notification in notifications}


# -- submission: the officers of the file's administration ---------------------------------------------


def test_after_submission_the_officers_of_the_files_administration_get_an_inbox_message(
    django_capture_on_commit_callbacks,
):
    application = GrantApplicationFactory()
    officers = {staff("officer"), staff("officer")}
    staff("officer", "iriscare")

    member = applicant(application.lead_organisation)

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "submit", member)

    assert recipients() - {member} == officers


def test_after_submission_the_officers_get_an_email(django_capture_on_commit_callbacks, mailoutbox):
    application = GrantApplicationFactory()
    officer = staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "submit", applicant(application.lead_organisation))

    to_officer = [message for message in mailoutbox if message.to == [officer.email]]
    assert len(to_officer) == 1
    assert to_officer[0].subject


def test_after_submission_the_applicant_receives_a_receipt_naming_the_handling_administration(
    django_capture_on_commit_callbacks,
):
    application = GrantApplicationFactory()
    member = applicant(application.lead_organisation)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = act(application, "submit", member)

    receipt = Notification.objects.get(recipient=member)
    assert submitted.reference in receipt.subject
    assert submitted.administration.name in receipt.body
    assert receipt.link == submitted.get_absolute_url()


def test_the_submission_message_names_the_files_reference(django_capture_on_commit_callbacks):
    application = GrantApplicationFactory()
    staff("officer")

    officer = staff("officer")

    with django_capture_on_commit_callbacks(execute=True):
        submitted = act(application, "submit", applicant(application.lead_organisation))

    assert submitted.reference in Notification.objects.get(recipient=officer).subject


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
    before = last_notification()

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "request_information", cast.officer, comment="Send the statutes.")

    assert recipients(after=before) == {cast.applicant, dutch_member}
    assert all(notification.subject for notification in Notification.objects.filter(pk__gt=before))


def test_the_information_request_reaches_each_member_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    application, cast, dutch_member = screening_with_bilingual_lead()
    before = last_notification()

    with django_capture_on_commit_callbacks(execute=True):
        asked = act(application, "request_information", cast.officer, comment="Send the statutes.")

    with translation.override("nl"):
        expected = _("Grant %(reference)s: %(state)s") % {
            "reference": asked.reference,
            "state": State.INFORMATION_REQUESTED.label,
        }
    assert Notification.objects.get(recipient=dutch_member, pk__gt=before).subject == expected


def test_the_information_request_is_emailed_with_the_officers_comment(
    django_capture_on_commit_callbacks, mailoutbox
):
    application, cast, dutch_member = screening_with_bilingual_lead()
    mailoutbox.clear()

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
    before = last_notification()

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "accept", cast.applicant)

    assert recipients(after=before) == finance


# -- nothing when nothing happened --------------------------------------------------------------------------


def test_a_refused_approval_notifies_nobody(django_capture_on_commit_callbacks, mailoutbox):
    application, cast = ready_for_decision(call=CallFactory(envelopes={"cocof": Decimal("1000.00")}))
    before = last_notification()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        act(application, "approve", cast.approver, awarded_amount="35000.00")

    assert not Notification.objects.filter(pk__gt=before).exists()
    assert mailoutbox == []


def test_the_award_message_gives_the_amount_the_deadline_and_what_to_do(django_capture_on_commit_callbacks):
    application, cast = ready_for_decision()
    before = last_notification()

    with django_capture_on_commit_callbacks(execute=True):
        awarded = act(application, "approve", cast.approver, awarded_amount="35000.00")

    message = Notification.objects.get(recipient=cast.applicant, pk__gt=before)
    assert "35" in message.subject
    assert awarded.acceptance_deadline.strftime("%Y") in message.body
    assert message.link == awarded.get_absolute_url()


def test_admission_tells_the_applicant_the_file_is_under_review(django_capture_on_commit_callbacks):
    application = GrantApplicationFactory()
    cast = StaffCast(application)
    application = advance_to(application, State.SCREENING, cast)
    before = last_notification()

    with django_capture_on_commit_callbacks(execute=True):
        act(application, "admit", cast.officer)

    assert cast.applicant in recipients(after=before)
