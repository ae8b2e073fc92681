"""What every scheme does when a file is first submitted: eligibility, routing, reference."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration, Organisation

from .eligibility import administrations_for, require_eligibility
from .error_codes import ErrorCode
from .exceptions import InvalidInput
from .references import allocate_reference
from .schemes import find_scheme, scheme_of


def _refuse(field: str, message, code: str = ErrorCode.INVALID_INPUT):
    raise InvalidInput(message, code=code, errors={field: [{"message": str(message), "code": str(code)}]})


def route_to_administration(organisation: Organisation, chosen: Administration | None) -> Administration:
    """SPEC §1 routing: from the organisation's valid recognitions; the applicant chooses if several apply."""
    candidates = list(administrations_for(organisation))
    if not candidates:
        _refuse(
            "administration",
            _(
                "No administration is competent: the organisation has no valid recognition under the agreement."
            ),
            ErrorCode.NO_ADMINISTRATION,
        )
    if chosen is None:
        if len(candidates) > 1:
            _refuse("administration", _("Several administrations are competent: choose one."))
        return candidates[0]
    if chosen not in candidates:
        _refuse(
            "administration", _("This administration is not competent for the organisation's recognitions.")
        )
    return chosen


def prepare_submission(
    file: models.Model,
    *,
    organisation: Organisation,
    administration: Administration | None = None,
    scheme_code: str | None = None,
) -> None:
    """Call from a file's `submit` effect, inside the workflow transaction.

    Refuses while an eligibility rule fails; snapshots the outcome; routes the file; allocates its
    reference the first time (a resubmission keeps it). The scheme (its eligibility rules and its
    reference prefix) comes from the registry; `scheme_code` only for file types outside it.
    """
    scheme = find_scheme(scheme_code) if scheme_code else scheme_of(file)
    file.eligibility_snapshot = require_eligibility(organisation, scheme.code)
    file.administration = route_to_administration(organisation, administration)
    now = timezone.now()
    if not file.reference:
        prefix = file.REFERENCE_PREFIX or scheme.reference_prefix
        file.reference = allocate_reference(prefix=prefix, year=timezone.localdate(now).year)
    file.submitted_at = file.submitted_at or now
    Organisation.objects.filter(pk=organisation.pk, identity_locked_at__isnull=True).update(
        identity_locked_at=now
    )
