"""What a decision page shows before the click: the facts the person is deciding on.

Each function returns `[(label, value), ...]`, rendered by the shared transition page above the
form (`TransitionSpec.summary`)."""

from decimal import Decimal

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from core.eligibility import administrations_for
from core.money import format_money

from . import calculations
from .choices import Recommendation
from .selectors import envelopes_with_budget, review_averages


def _money(amount) -> str:
    return format_money(amount) if amount is not None else "—"


def submission_summary(application, user) -> list[tuple[str, str]]:
    competent = list(administrations_for(application.lead_organisation))
    if len(competent) == 1:
        handled_by = competent[0].name
    elif competent:
        handled_by = _("%(administrations)s: choose one below") % {
            "administrations": ", ".join(a.name for a in competent)
        }
    else:
        handled_by = _("none: the organisation has no valid recognition under the agreement")
    partners = ", ".join(p.name for p in application.partners.all()) or "—"
    budget = sum((line.amount for line in application.budget_lines.all()), Decimal("0.00"))
    return [
        (_("Initiative"), application.title or "—"),
        (_("Lead organisation"), application.lead_organisation.name),
        (_("Partner organisations"), partners),
        (_("Call"), application.call.title),
        (_("Total budget"), _money(budget)),
        (_("Requested amount"), _money(application.requested_amount)),
        (_("Handled by"), handled_by),
        (
            _("Declaration"),
            _(
                "By submitting, you declare on behalf of %(organisation)s that the information given is "
                "complete and correct, and that the partners agreed to take part."
            )
            % {"organisation": application.lead_organisation.name},
        ),
    ]


def approval_summary(application, user) -> list[tuple[str, str]]:
    averages = review_averages(application)
    recommendations = dict(Recommendation.choices)
    counts = application.reviews.values("recommendation").annotate(n=Count("pk")).order_by("recommendation")
    envelope = (
        envelopes_with_budget(application.call)
        .filter(administration_id=application.administration_id)
        .first()
    )
    overall = averages.get("overall")
    return [
        (_("Initiative"), f"{application.reference} — {application.title}"),
        (_("Lead organisation"), application.lead_organisation.name),
        (_("Requested amount"), _money(application.requested_amount)),
        (
            _("Reviews' average"),
            _("%(average)s / 5") % {"average": formats.number_format(overall, 2)}
            if overall is not None
            else "—",
        ),
        (
            _("Recommendations"),
            ", ".join(
                f"{recommendations.get(row['recommendation'], row['recommendation'])}: {row['n']}"
                for row in counts
            )
            or "—",
        ),
        (
            _("Left on the envelope"),
            _("%(remaining)s of %(envelope)s")
            % {"remaining": _money(envelope.remaining), "envelope": _money(envelope.amount)}
            if envelope
            else "—",
        ),
    ]


def acceptance_summary(application, user) -> list[tuple[str, str]]:
    advance = calculations.advance_amount(application.awarded_amount, application.call.advance_percentage)
    return [
        (_("Initiative"), f"{application.reference} — {application.title}"),
        (_("Awarded amount"), _money(application.awarded_amount)),
        (
            _("Advance paid after acceptance"),
            _("%(advance)s (%(percentage)s %%)")
            % {
                "advance": _money(advance),
                "percentage": formats.number_format(application.call.advance_percentage, 0),
            },
        ),
        (
            _("Conditions"),
            _(
                "The grant funds the initiative as described in the application. File interim reports while "
                "it runs and the final report with the justified expenses by its end (%(end)s); the balance "
                "is min(award, accepted expenses) minus what was paid, and anything paid too much is recovered."
            )
            % {"end": formats.date_format(application.end_date) if application.end_date else "—"},
        ),
        (
            _("Accept before"),
            formats.date_format(application.acceptance_deadline) if application.acceptance_deadline else "—",
        ),
    ]
