"""What a mentoring decision page shows before the click (`TransitionSpec.summary`)."""

from django.utils import formats
from django.utils.translation import gettext as _

from core.money import format_money

from . import calculations
from .calculations import hours_text
from .models import ProgrammeSettings


def _hours(value) -> str:
    return _("%(hours)s h") % {"hours": hours_text(value)} if value is not None else "—"


def agreement_summary(agreement, user) -> list[tuple[str, str]]:
    return [
        (_("Mentor"), agreement.mentor.name),
        (_("Mentee"), agreement.mentee.name),
        (_("Project"), agreement.project),
        (_("Objectives"), agreement.objectives),
        (
            _("Period"),
            f"{formats.date_format(agreement.starts_on)} – {formats.date_format(agreement.ends_on)}",
        ),
        (_("Planned hours"), _hours(agreement.planned_hours)),
    ]


def agreement_approval_summary(agreement, user) -> list[tuple[str, str]]:
    defaults = ProgrammeSettings.current()
    return [
        *agreement_summary(agreement, user),
        (_("Default hourly rate"), format_money(defaults.default_hourly_rate)),
        (_("Default hours cap"), _hours(defaults.default_hours_cap)),
    ]


def declaration_summary(declaration, user) -> list[tuple[str, str]]:
    agreement = declaration.agreement
    return [
        (_("Agreement"), f"{agreement.reference} – {agreement.project}"),
        (_("Mentor"), agreement.mentor.name),
        (_("Mentee"), agreement.mentee.name),
        (_("Month"), formats.date_format(declaration.month, "F Y")),
        (_("Lines"), str(declaration.lines.count())),
        (_("Hours declared"), _hours(declaration.total_hours)),
    ]


def validation_summary(declaration, user) -> list[tuple[str, str]]:
    from .services import hours_counted

    agreement = declaration.agreement
    counted = hours_counted(agreement.pk, excluding=declaration.pk)
    rows = declaration_summary(declaration, user)
    rows += [
        (_("Hourly rate"), format_money(agreement.hourly_rate)),
        (
            _("Compensation to order"),
            format_money(calculations.compensation(declaration.total_hours, agreement.hourly_rate)),
        ),
        (_("Paid to"), f"{agreement.mentor.name} – {agreement.mentor.iban}"),
        (_("Hours cap"), _hours(agreement.hours_cap)),
        (_("Other hours validated or pending"), _hours(counted)),
    ]
    return rows
