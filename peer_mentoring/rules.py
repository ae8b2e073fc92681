"""The checks of an agreement's pairing and of a declaration's lines (SPEC §6), each refusal with a
message next to the field or line concerned and a stable code. Pure functions of what they are
given, except `pairing_errors` which asks the grants once."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from grants.models import GrantApplication

from .calculations import hours_text, is_quarter_hours
from .error_codes import MentoringErrorCode as Code


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def share_a_grant(first_id: int, second_id: int) -> bool:
    """One leads a grant on which the other is a partner (either way round)."""
    return GrantApplication.objects.filter(
        Q(lead_organisation_id=first_id, partners__id=second_id)
        | Q(lead_organisation_id=second_id, partners__id=first_id)
    ).exists()


def pairing_errors(*, mentor, mentee, grant=None, starts_on=None, ends_on=None) -> dict:
    """Why this mentor and mentee cannot have an agreement (empty: they can)."""
    errors: dict[str, list] = {}
    mentor_status = getattr(mentor, "mentor", None) if mentor is not None else None
    if mentor is not None and (mentor_status is None or not mentor_status.is_active):
        errors["mentor"] = [(_("This organisation is not an active mentor."), Code.NOT_A_MENTOR)]
    if mentor is not None and mentee is not None:
        if mentor.pk == mentee.pk:
            errors.setdefault("mentee", []).append(
                (_("An organisation cannot mentor itself."), Code.SAME_ORGANISATION)
            )
        elif share_a_grant(mentor.pk, mentee.pk):
            errors.setdefault("mentee", []).append(
                (
                    _("The mentor and the mentee lead and partner the same grant: they cannot be paired."),
                    Code.SAME_GRANT,
                )
            )
    if grant is not None and mentee is not None and grant.lead_organisation_id != mentee.pk:
        errors["grant"] = [(_("This grant is not the mentee's."), Code.GRANT_NOT_THE_MENTEES)]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [(_("The agreement must end after it starts."), Code.INVALID_PERIOD)]
    return errors


def line_errors(*, agreement, month: date, lines: list[dict], daily_maximum: Decimal) -> dict:
    """Errors keyed by `lines.<index>.<field>` (and `lines` itself), for lines given as dicts with
    `date`, `hours`, `activity`."""
    errors: dict[str, list] = defaultdict(list)
    today = timezone.localdate()
    last = month_end(month)
    per_day: dict[date, Decimal] = defaultdict(Decimal)
    first_index: dict[tuple, int] = {}
    for index, line in enumerate(lines):
        day, hours, activity = line["date"], Decimal(line["hours"]), line["activity"]
        if not (month <= day <= last):
            errors[f"lines.{index}.date"].append(
                (
                    _("This day is not in the month declared (%(month)s).")
                    % {"month": formats.date_format(month, "F Y")},
                    Code.LINE_OUTSIDE_MONTH,
                )
            )
        elif not (agreement.starts_on <= day <= agreement.ends_on):
            errors[f"lines.{index}.date"].append(
                (
                    _("This day is outside the agreement's period (%(start)s – %(end)s).")
                    % {
                        "start": formats.date_format(agreement.starts_on),
                        "end": formats.date_format(agreement.ends_on),
                    },
                    Code.LINE_OUTSIDE_PERIOD,
                )
            )
        elif day > today:
            errors[f"lines.{index}.date"].append(
                (_("Hours cannot be declared in advance."), Code.LINE_IN_FUTURE)
            )
        if not is_quarter_hours(hours):
            errors[f"lines.{index}.hours"].append(
                (_("Declare hours in quarter-hour steps (0.25, 0.5, 0.75…)."), Code.NOT_QUARTER_HOURS)
            )
        key = (day, activity)
        if key in first_index:
            errors[f"lines.{index}.activity"].append(
                (
                    _("This activity is already declared on this day (line %(line)s).")
                    % {"line": first_index[key] + 1},
                    Code.DUPLICATE_LINE,
                )
            )
        else:
            first_index[key] = index
        per_day[day] += hours
    for index, line in enumerate(lines):
        if per_day[line["date"]] > daily_maximum:
            errors[f"lines.{index}.hours"].append(
                (
                    _("%(hours)s hours on %(day)s: at most %(maximum)s hours may be declared on one day.")
                    % {
                        "hours": hours_text(per_day[line["date"]]),
                        "day": formats.date_format(line["date"]),
                        "maximum": hours_text(daily_maximum),
                    },
                    Code.DAILY_MAXIMUM,
                )
            )
    return dict(errors)
