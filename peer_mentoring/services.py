"""Every write of mentoring: mentor status and profile, applications for it, agreement drafts and
the effects their transitions declare, declaration drafts (lines saved as you go) and the effects of
their transitions (the cap checked under the agreement's row lock, the compensation ordered).

Effects are called by `core.workflow.perform_transition` inside its transaction, with the file
already locked, as `effect(file=..., acting_user=..., **parameters)`."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.selectors import membership_roles_by_organisation
from core.audit import record_event
from core.documents import attach_document, validate_upload
from core.exceptions import InvalidInput, field_errors
from core.locking import lock_file, lock_row
from core.models import DocumentType, PaymentOrder
from core.payments import create_payment_order
from core.permissions import deny, require
from core.submission import prepare_submission, route_to_administration

from . import calculations
from .calculations import hours_text
from .choices import MentorSource, Side
from .error_codes import MentoringErrorCode as Code
from .models import (
    Agreement,
    DeclarationLine,
    Expertise,
    HoursDeclaration,
    Mentor,
    MentorApplication,
    ProgrammeSettings,
)
from .permissions import (
    may_apply_for_mentor_status,
    may_decide_application,
    may_declare,
    may_edit_agreement,
    may_edit_declaration,
    may_edit_profile,
    may_manage_mentors,
)
from .rules import first_of_month, line_errors, pairing_errors
from .states import DECLARATION_COUNTING, DECLARATION_PENDING, MentorApplicationState, MentorState

# -- mentor status -----------------------------------------------------------------------------------


def _sync_flag(organisation_id: int, state: str) -> None:
    """`Organisation.is_mentor` mirrors the status (the status is the source of truth)."""
    Organisation.objects.filter(pk=organisation_id).update(is_mentor=state == MentorState.ACTIVE)


def grant_mentor_status(*, organisation, source: str, acting_user=None, grant=None) -> Mentor:
    """Make `organisation` an active mentor (kept as it is if it already is one), with a history row."""
    mentor, created = Mentor.objects.get_or_create(
        organisation=organisation, defaults={"source": source, "grant": grant}
    )
    if created:
        Expertise.objects.create(
            mentor=mentor, kind=Expertise.Kind.LANGUAGE, value=organisation.preferred_language
        )
        if grant is not None:
            Expertise.objects.bulk_create(
                Expertise(mentor=mentor, kind=Expertise.Kind.TYPE, value=value)
                for value in sorted(set(grant.types))
            )
            if grant.initiative_legal_form:
                Expertise.objects.create(
                    mentor=mentor, kind=Expertise.Kind.LEGAL_FORM, value=grant.initiative_legal_form
                )
        mentor.joint_committees.set(organisation.joint_committees.all())
        _sync_flag(organisation.pk, MentorState.ACTIVE)
        record_event(
            target=organisation,
            event="mentor_status_granted",
            acting_user=acting_user,
            parameters={"source": source, "grant": grant.reference if grant else None},
        )
    return mentor


def grant_status_for_closed_grant(sender, instance, name, source, target, **kwargs) -> None:
    """django-fsm's `post_transition` on a grant: closing it makes its lead a mentor (in the
    transition's transaction; grants knows nothing of mentoring)."""
    if target != "closed":
        return
    by = (kwargs.get("method_kwargs") or {}).get("by")
    grant_mentor_status(
        organisation=instance.lead_organisation,
        source=MentorSource.CLOSED_GRANT,
        acting_user=by,
        grant=instance,
    )


@transaction.atomic
def set_mentor_state(*, mentor: Mentor, state: str, acting_user, reason: str) -> Mentor:
    """Suspend or restore a mentor status (an officer, with a reason)."""
    require(may_manage_mentors(acting_user))
    if not reason.strip():
        raise field_errors({"reason": [_("Give the reason.")]})
    mentor = lock_row(Mentor.objects.filter(pk=mentor.pk))
    mentor.state = state
    mentor.save(update_fields=["state"])
    _sync_flag(mentor.organisation_id, state)
    record_event(
        target=mentor.organisation,
        event="mentor_status_suspended" if state == MentorState.SUSPENDED else "mentor_status_restored",
        acting_user=acting_user,
        comment=reason,
    )
    return mentor


PROFILE_FIELDS = ("availability_hours", "presentation")
EXPERTISE_FIELDS = {
    "types": Expertise.Kind.TYPE,
    "legal_forms": Expertise.Kind.LEGAL_FORM,
    "languages": Expertise.Kind.LANGUAGE,
}


@transaction.atomic
def update_profile(*, mentor: Mentor, acting_user, data: dict) -> Mentor:
    require(may_edit_profile(mentor, acting_user))
    changed = []
    for name in PROFILE_FIELDS:
        if name in data and getattr(mentor, name) != data[name]:
            setattr(mentor, name, data[name])
            changed.append(name)
    mentor.save()
    for name, kind in EXPERTISE_FIELDS.items():
        if name in data and sorted(set(data[name])) != mentor.expertise_values(kind):
            mentor.expertise.filter(kind=kind).delete()
            Expertise.objects.bulk_create(
                Expertise(mentor=mentor, kind=kind, value=value) for value in sorted(set(data[name]))
            )
            changed.append(name)
    if "joint_committees" in data:
        mentor.joint_committees.set(data["joint_committees"])
        changed.append("joint_committees")
    record_event(
        target=mentor.organisation,
        event="mentor_profile_changed",
        acting_user=acting_user,
        parameters={"fields": changed},
    )
    return mentor


@transaction.atomic
def apply_for_mentor_status(
    *, organisation, acting_user, evidence: str, administration=None, documents=()
) -> MentorApplication:
    """With the evidence described, and the documents that show it (each checked by its content,
    as every document is; a refused one is named and nothing is sent)."""
    require(may_apply_for_mentor_status(organisation, acting_user))
    if not evidence.strip():
        raise field_errors({"evidence": [_("Describe the mutualisation your organisation completed.")]})
    for upload in documents:
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise field_errors(
                {"documents": [f"{getattr(upload, 'name', '')}: {message}" for message in error.messages]}
            ) from None
    if organisation.mentor_applications.filter(state=MentorApplicationState.PENDING).exists():
        raise field_errors(
            {"evidence": [(_("An application is already awaiting a decision."), Code.APPLICATION_PENDING)]},
            code=Code.APPLICATION_PENDING,
        )
    administration = route_to_administration(organisation, administration)
    application = MentorApplication.objects.create(
        organisation=organisation, administration=administration, evidence=evidence, submitted_by=acting_user
    )
    for upload in documents:
        attach_document(
            file=application,
            document_type=DocumentType.ACTIVITY_REPORT,
            upload=upload,
            acting_user=acting_user,
        )
    record_event(target=organisation, event="mentor_application_submitted", acting_user=acting_user)
    from .notifications import mentor_application_submitted

    mentor_application_submitted(application)
    return application


@transaction.atomic
def decide_mentor_application(
    *, application: MentorApplication, acting_user, approve: bool, reason: str = ""
):
    application = lock_row(MentorApplication.objects.filter(pk=application.pk))
    require(may_decide_application(application, acting_user))
    if not approve and not reason.strip():
        raise field_errors({"reason": [_("Give the reason for the refusal.")]})
    application.state = MentorApplicationState.APPROVED if approve else MentorApplicationState.REFUSED
    application.reason = reason
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application.save()
    record_event(
        target=application.organisation,
        event="mentor_application_approved" if approve else "mentor_application_refused",
        acting_user=acting_user,
        comment=reason,
    )
    if approve:
        grant_mentor_status(
            organisation=application.organisation, source=MentorSource.APPLICATION, acting_user=acting_user
        )
    from .notifications import mentor_application_decided

    mentor_application_decided(application)
    return application


# -- agreements ---------------------------------------------------------------------------------------

AGREEMENT_FIELDS = ("grant", "project", "objectives", "starts_on", "ends_on", "planned_hours")


def _refuse_pairing(errors: dict) -> None:
    if errors:
        first_code = next(code for messages in errors.values() for _text, code in messages)
        raise field_errors(errors, code=first_code)


@transaction.atomic
def create_agreement(*, acting_user, mentor, mentee, **data) -> Agreement:
    """A draft agreement, started by a member of either organisation."""
    mine = set(membership_roles_by_organisation(acting_user))
    if mentor.pk in mine:
        side = Side.MENTOR
    elif mentee.pk in mine:
        side = Side.MENTEE
    else:
        require(deny(_("Only members of the mentor or the mentee organisation may start an agreement.")))
    _refuse_pairing(
        pairing_errors(
            mentor=mentor,
            mentee=mentee,
            grant=data.get("grant"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
    )
    agreement = Agreement.objects.create(
        mentor=mentor, mentee=mentee, initiated_by=side, created_by=acting_user, **data
    )
    record_event(
        target=agreement, event="draft_saved", acting_user=acting_user, parameters={"fields": list(data)}
    )
    return agreement


@transaction.atomic
def update_agreement(*, agreement: Agreement, acting_user, data: dict) -> Agreement:
    agreement = lock_file(Agreement, agreement.pk)
    require(may_edit_agreement(agreement, acting_user), file=agreement)
    changed = [name for name in AGREEMENT_FIELDS if name in data and getattr(agreement, name) != data[name]]
    for name in changed:
        setattr(agreement, name, data[name])
    _refuse_pairing(
        pairing_errors(
            mentor=agreement.mentor,
            mentee=agreement.mentee,
            grant=agreement.grant,
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
        )
    )
    agreement.save()
    record_event(
        target=agreement, event="draft_saved", acting_user=acting_user, parameters={"fields": changed}
    )
    return agreement


def check_agreement(*, file: Agreement, acting_user) -> None:
    """Proposal and confirmation: the pairing still holds (the mentor may have been suspended)."""
    _refuse_pairing(
        pairing_errors(
            mentor=file.mentor,
            mentee=file.mentee,
            grant=file.grant,
            starts_on=file.starts_on,
            ends_on=file.ends_on,
        )
    )


def propose_agreement(*, file: Agreement, acting_user, administration=None) -> None:
    """The mentee must be an eligible non-profit; the agreement is routed to its administration
    (chosen when its recognitions make several competent)."""
    check_agreement(file=file, acting_user=acting_user)
    prepare_submission(file, organisation=file.mentee, administration=administration)


def approve_agreement(*, file: Agreement, acting_user, hourly_rate=None, hours_cap=None) -> None:
    defaults = ProgrammeSettings.current()
    file.hourly_rate = hourly_rate if hourly_rate is not None else defaults.default_hourly_rate
    file.hours_cap = hours_cap if hours_cap is not None else defaults.default_hours_cap
    file.approved_at = timezone.now()


def complete_agreement(*, file: Agreement, acting_user, usefulness, pooled, would_recommend=False) -> None:
    from core.workflow import TransitionRefused

    if file.declarations.filter(state__in=DECLARATION_PENDING).exists():
        raise TransitionRefused(
            _(
                "Some hours declarations still await a decision: complete the agreement once they are settled."
            ),
            code=Code.DECLARATIONS_PENDING,
        )
    file.evaluation_usefulness = usefulness
    file.evaluation_pooled = pooled
    file.evaluation_would_recommend = would_recommend


# -- declarations --------------------------------------------------------------------------------------


def _line_refusal(errors: dict, message=None):
    first_code = next(code for messages in errors.values() for _text, code in messages)
    return field_errors(errors, message=message, code=first_code)


def _check_lines(agreement: Agreement, month, lines: list[dict]) -> None:
    errors = line_errors(
        agreement=agreement,
        month=month,
        lines=lines,
        daily_maximum=ProgrammeSettings.current().daily_maximum_hours,
    )
    if errors:
        raise _line_refusal(errors)


def _replace_lines(declaration: HoursDeclaration, lines: list[dict]) -> None:
    declaration.lines.all().delete()
    DeclarationLine.objects.bulk_create(
        DeclarationLine(
            declaration=declaration,
            date=line["date"],
            hours=line["hours"],
            activity=line["activity"],
            description=line.get("description", ""),
        )
        for line in lines
    )
    declaration.total_hours = sum((Decimal(line["hours"]) for line in lines), Decimal("0.00"))


@transaction.atomic
def create_declaration(
    *, acting_user, agreement: Agreement, month, lines: list[dict] | None = None
) -> HoursDeclaration:
    """The month's draft; a second declaration of the same month is refused, next to the month."""
    agreement = lock_file(Agreement, agreement.pk)
    require(may_declare(agreement, acting_user), file=agreement)
    month = first_of_month(month)
    if not (first_of_month(agreement.starts_on) <= month <= agreement.ends_on):
        raise field_errors(
            {"month": [(_("This month is outside the agreement's period."), Code.MONTH_OUTSIDE_PERIOD)]},
            code=Code.MONTH_OUTSIDE_PERIOD,
        )
    lines = lines or []
    if lines:
        _check_lines(agreement, month, lines)
    if HoursDeclaration.objects.filter(agreement=agreement, month=month).exists():
        raise _month_taken(month)
    try:
        with transaction.atomic():
            declaration = HoursDeclaration.objects.create(
                agreement=agreement,
                month=month,
                administration_id=agreement.administration_id,
                reference=f"{agreement.reference}/{month:%y%m}" if agreement.reference else None,
                created_by=acting_user,
            )
    except IntegrityError:  # the same month, created at the same moment by someone else
        raise _month_taken(month) from None
    _replace_lines(declaration, lines)
    declaration.save(update_fields=["total_hours"])
    record_event(
        target=declaration, event="draft_saved", acting_user=acting_user, parameters={"fields": ["lines"]}
    )
    return declaration


def _month_taken(month) -> InvalidInput:
    return field_errors(
        {
            "month": [
                (
                    _(
                        "Hours for %(month)s are already declared on this agreement: complete that declaration instead."
                    )
                    % {"month": formats.date_format(month, "F Y")},
                    Code.MONTH_ALREADY_DECLARED,
                )
            ]
        },
        code=Code.MONTH_ALREADY_DECLARED,
    )


@transaction.atomic
def save_lines(*, declaration: HoursDeclaration, acting_user, lines: list[dict]) -> HoursDeclaration:
    """The draft's lines, saved as they are typed; each line checked, its errors next to it."""
    declaration = lock_file(HoursDeclaration, declaration.pk)
    require(may_edit_declaration(declaration, acting_user), file=declaration)
    _check_lines(declaration.agreement, declaration.month, lines)
    _replace_lines(declaration, lines)
    declaration.save(update_fields=["total_hours", "updated_at"])
    record_event(
        target=declaration, event="draft_saved", acting_user=acting_user, parameters={"fields": ["lines"]}
    )
    return declaration


def hours_counted(agreement_id: int, *, excluding: int | None = None) -> Decimal:
    """Hours validated or pending on an agreement, in one query."""
    declarations = HoursDeclaration.objects.filter(agreement_id=agreement_id, state__in=DECLARATION_COUNTING)
    if excluding is not None:
        declarations = declarations.exclude(pk=excluding)
    return declarations.aggregate(total=Sum("total_hours"))["total"] or Decimal("0.00")


def _require_within_cap(declaration: HoursDeclaration, agreement: Agreement) -> None:
    counted = hours_counted(agreement.pk, excluding=declaration.pk)
    if counted + declaration.total_hours > agreement.hours_cap:
        left = calculations.hours_left(agreement.hours_cap, counted)
        message = _(
            "These %(hours)s hours would exceed the agreement's cap of %(cap)s hours: %(left)s hours remain."
        ) % {
            "hours": hours_text(declaration.total_hours),
            "cap": hours_text(agreement.hours_cap),
            "left": hours_text(left),
        }
        raise field_errors({"lines": [(message, Code.CAP_EXCEEDED)]}, message=message, code=Code.CAP_EXCEEDED)


def _locked_active_agreement(declaration: HoursDeclaration) -> Agreement:
    from core.workflow import TransitionRefused

    agreement = lock_row(Agreement.objects.filter(pk=declaration.agreement_id))
    if agreement.state != "active":
        raise TransitionRefused(
            _("Hours are declared on an active agreement only."), code=Code.AGREEMENT_NOT_ACTIVE
        )
    return agreement


def submit_declaration(*, file: HoursDeclaration, acting_user) -> None:
    """Submission and resubmission: the lines are checked again and the total (validated + pending)
    must stay within the cap. The agreement's row is locked (after the declaration), so two
    declarations of one agreement submitted at the same moment are checked one after the other."""
    agreement = _locked_active_agreement(file)
    lines = list(file.lines.values("date", "hours", "activity"))
    if not lines:
        raise field_errors({"lines": [(_("Declare at least one line."), Code.NO_LINES)]}, code=Code.NO_LINES)
    _check_lines(agreement, file.month, lines)
    file.total_hours = sum((line["hours"] for line in lines), Decimal("0.00"))
    _require_within_cap(file, agreement)


def validate(*, file: HoursDeclaration, acting_user) -> PaymentOrder:
    """Validated hours × the agreement's rate, ordered to the mentor organisation's account."""
    agreement = lock_row(Agreement.objects.filter(pk=file.agreement_id))
    _require_within_cap(file, agreement)
    file.amount = calculations.compensation(file.total_hours, agreement.hourly_rate)
    file.validated_at = timezone.now()
    mentor = agreement.mentor
    return create_payment_order(
        file=file,
        kind=PaymentOrder.Kind.MENTORING_COMPENSATION,
        amount=file.amount,
        counterparty_name=mentor.name,
        counterparty_iban=mentor.iban,
        counterparty_bic=mentor.bic,
        remittance_information=f"{file.reference or agreement.reference} mentoring {file.month:%m/%Y}",
        due_date=timezone.localdate() + timedelta(days=30),
        created_by=acting_user,
    )
