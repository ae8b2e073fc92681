"""Core's answers to what accounts announces (`accounts/signals.py`): the organisation's history rows
(SPEC §9 "Audit"), written in the transaction of the change, and the notices to its members.

Connected once in `CoreConfig.ready`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import signals

from .audit import record_event
from .notifications import members_of, notify


def record_organisation_creation(*, organisation, acting_user, **_kwargs):
    record_event(
        target=organisation,
        event="organisation_created",
        acting_user=acting_user,
        parameters={"enterprise_number": organisation.enterprise_number, "name": str(organisation)},
    )


def record_organisation_change(*, organisation, acting_user, changes, **_kwargs):
    record_event(
        target=organisation,
        event="organisation_changed",
        acting_user=acting_user,
        parameters={"fields": sorted(changes), "changes": changes},
    )


def record_enterprise_number_correction(*, organisation, acting_user, before, after, reason, **_kwargs):
    record_event(
        target=organisation,
        event="enterprise_number_corrected",
        acting_user=acting_user,
        parameters={"before": before, "after": after},
        comment=reason,
    )


def _recognition_parameters(recognition) -> dict:
    return {
        "recognition": recognition.pk,
        "authority": recognition.authority.code,
        "reference": recognition.reference,
    }


def record_recognition_added(*, recognition, acting_user, **_kwargs):
    record_event(
        target=recognition.organisation,
        event="recognition_added",
        acting_user=acting_user,
        parameters=_recognition_parameters(recognition),
    )


def record_recognition_verified(*, recognition, acting_user, **_kwargs):
    record_event(
        target=recognition.organisation,
        event="recognition_verified",
        acting_user=acting_user,
        parameters=_recognition_parameters(recognition),
    )


def tell_members_a_recognition_is_verified(*, recognition, **_kwargs):
    """Inbox row now, e-mail once committed (`notify`), each in the member's language."""
    organisation = recognition.organisation
    notify(
        recipients=members_of([organisation.pk]),
        subject=_("Recognition verified: %(authority)s %(reference)s"),
        body=_(
            "An officer verified the recognition %(reference)s of %(organisation)s by %(authority)s. "
            "The eligibility rule on recognitions can now pass."
        ),
        context={
            "authority": recognition.authority,
            "reference": recognition.reference,
            "organisation": organisation,
        },
        link=reverse("accounts:organisation_detail", args=[organisation.pk]),
    )


def refresh_search_text(*, organisation, **_kwargs):
    """A renamed organisation (or a corrected enterprise number) is found under its new name."""
    from .search import refresh_for_organisation

    refresh_for_organisation(organisation.pk)


def connect() -> None:
    signals.organisation_changed.connect(refresh_search_text, dispatch_uid="core.search.organisation")
    signals.enterprise_number_corrected.connect(
        refresh_search_text, dispatch_uid="core.search.enterprise_number"
    )
    signals.organisation_created.connect(
        record_organisation_creation, dispatch_uid="core.audit.organisation_created"
    )
    signals.organisation_changed.connect(record_organisation_change, dispatch_uid="core.audit.organisation")
    signals.enterprise_number_corrected.connect(
        record_enterprise_number_correction, dispatch_uid="core.audit.enterprise_number"
    )
    signals.recognition_added.connect(record_recognition_added, dispatch_uid="core.audit.recognition_added")
    signals.recognition_verified.connect(
        record_recognition_verified, dispatch_uid="core.audit.recognition_verified"
    )
    signals.recognition_verified.connect(
        tell_members_a_recognition_is_verified, dispatch_uid="core.notify.recognition_verified"
    )
