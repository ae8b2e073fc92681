"""The grants' section of the staff dashboard (core.dashboards): per call, each envelope of the
user's administrations against what is committed, paid and remaining — the figures of
`selectors.envelopes_with_budget`, the same definition as the call page and the exports."""

from django.utils.translation import gettext_lazy as _

from core.charts import bar_chart
from core.dashboards import MONEY, TEXT, Column, Section, staff_administrations

from .selectors import envelopes_with_budget

RECENT_CALLS = 12


def envelopes_per_call(user) -> Section | None:
    ids = staff_administrations(user)
    if not ids:
        return None
    envelopes = (
        envelopes_with_budget()
        .filter(administration_id__in=ids)
        .select_related("call")
        .order_by("-call__opens_on", "-call_id", "administration__code")[: RECENT_CALLS * len(ids)]
    )
    rows = [
        {
            "call": envelope.call.title,
            "administration": envelope.administration.name,
            "envelope": envelope.amount,
            "committed": envelope.committed,
            "paid": envelope.paid,
            "remaining": envelope.remaining,
        }
        for envelope in envelopes
    ]
    several = len(ids) > 1
    chart = bar_chart(
        [f"{row['call']} ({row['administration']})" if several else row["call"] for row in rows],
        {
            str(_("Envelope")): [row["envelope"] for row in rows],
            str(_("Committed")): [row["committed"] for row in rows],
            str(_("Paid")): [row["paid"] for row in rows],
            str(_("Remaining")): [row["remaining"] for row in rows],
        },
    )
    return Section(
        code="grant_envelopes",
        title=_("Grant envelopes per call"),
        columns=[
            Column("call", _("Call"), TEXT),
            Column("administration", _("Administration"), TEXT),
            Column("envelope", _("Envelope"), MONEY),
            Column("committed", _("Committed"), MONEY),
            Column("paid", _("Paid"), MONEY),
            Column("remaining", _("Remaining"), MONEY),
        ],
        rows=rows,
        chart=chart,
        note=_(
            "Committed: the amounts awarded and still reserved; paid: the payments made less the recoveries."
        ),
    )
