"""The staff's dashboards (SPEC §9): figures computed in SQL, each section a table and a chart of
the same numbers.

Core gives, for every registered file type, the files of the user's administrations by state and
the median number of days a file stays in each state (from the history: the time between entering
a state and leaving it; stays still running are not counted). Each scheme adds its own sections
(`Scheme.dashboard_sections`, dotted paths of `section(user) -> Section`): the grants' envelopes per
call, the guarantee fund's exposure against its capacity over time, mentoring hours and
compensation per month.

A dashboard is read often and changes slowly: each section is cached for a few minutes per set of
administrations (`DASHBOARD_CACHE_SECONDS`), and the page says as of when its figures are.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import Lead
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Administration
from accounts.selectors import administration_ids_where

from .charts import Chart, bar_chart
from .models import HistoryEntry
from .money import to_money
from .schemes import schemes

TEXT, NUMBER, MONEY, DAYS = "text", "number", "money", "days"


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    kind: str = TEXT


@dataclass
class Section:
    code: str
    title: object
    columns: list[Column]
    rows: list[dict]
    chart: Chart | None = None
    note: object = ""
    as_of: object = field(default_factory=timezone.now)


def cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 300))


def staff_administrations(user) -> list[int]:
    return sorted(administration_ids_where(user))


def administration_names(ids) -> dict[int, str]:
    return {a.pk: a.name for a in Administration.objects.filter(pk__in=ids)}


# -- files by state and the median days in each state -----------------------------------------------


def _stays(model, administration_ids: list[int]) -> str:
    """The history of the files as stays: each entry with the time the file left the state it entered
    (the next entry's time), leaving out entries that did not change the state."""
    entries = (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model._default_manager.filter(administration_id__in=administration_ids).values(
                "pk"
            ),
        )
        .exclude(source_state=F("target_state"))
        .annotate(
            left_at=Window(Lead("at"), partition_by=[F("object_id")], order_by=[F("at").asc(), F("id").asc()])
        )
        .order_by()
        .values("object_id", "target_state", "at", "left_at")
    )
    return entries.query.sql_with_params()


def median_days_in_state(model, administration_ids: list[int]) -> dict[tuple[int, str], Decimal]:
    """{(administration id, state): median days of the stays in it that ended}, in one query."""
    if not administration_ids:
        return {}
    sql, params = _stays(model, administration_ids)
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        query = (
            "SELECT f.administration_id, s.target_state, "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (s.left_at - s.at)) / 86400.0) "
            f"FROM ({sql}) s JOIN {table} f ON f.id = s.object_id "
            "WHERE s.left_at IS NOT NULL GROUP BY f.administration_id, s.target_state"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            rows = cursor.fetchall()
        return {(a, state): _days(value) for a, state, value in rows}
    # SQLite has no percentile: the durations come back (julianday differences) and Python takes
    # the median; the SQLite fallback is for a newcomer's small database.
    query = (
        "SELECT f.administration_id, s.target_state, julianday(s.left_at) - julianday(s.at) "
        f"FROM ({sql}) s JOIN {table} f ON f.id = s.object_id WHERE s.left_at IS NOT NULL"
    )
    durations = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for a, state, days in cursor.fetchall():
            durations[(a, state)].append(days)
    return {key: _days(statistics.median(values)) for key, values in durations.items()}


def _days(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def files_by_state(model, label, user) -> Section:
    """One file type's files of the user's administrations per state, with the median days in it."""
    ids = staff_administrations(user)
    counts = (
        model._default_manager.filter(administration_id__in=ids)
        .exclude(state__in=getattr(model, "HIDDEN_FROM_STAFF", ()))
        .order_by()
        .values("administration_id", "state")
        .annotate(files=Count("pk"))
    )
    found = {(row["administration_id"], row["state"]): row["files"] for row in counts}
    medians = median_days_in_state(model, ids)
    names = administration_names(ids)
    states = [
        (value, text)
        for value, text in model._meta.get_field("state").choices
        if value not in getattr(model, "HIDDEN_FROM_STAFF", ())
    ]
    rows = [
        {
            "administration": names.get(a, ""),
            "state": str(text),
            "state_code": value,
            "files": found.get((a, value), 0),
            "median_days": medians.get((a, value)),
        }
        for a in ids
        for value, text in states
        if found.get((a, value)) or medians.get((a, value)) is not None
    ]
    shown = [(value, text) for value, text in states if any(row["state_code"] == value for row in rows)]
    chart = bar_chart(
        [str(text) for _, text in shown],
        {
            names.get(a, ""): [found.get((a, value), 0) for value, _ in shown]
            for a in ids
            if any(found.get((a, value)) for value, _ in shown)
        },
    )
    return Section(
        code=f"states_{model._meta.model_name}",
        title=_("%(files)s by state") % {"files": label},
        columns=[
            Column("administration", _("Administration")),
            Column("state", _("State")),
            Column("files", _("Files"), NUMBER),
            Column("median_days", _("Median days in the state"), DAYS),
        ],
        rows=rows,
        chart=chart,
        note=_("The median counts the stays that ended: the time from entering the state to leaving it."),
    )


# -- the dashboard ----------------------------------------------------------------------------------


def _sections(user) -> list[Section]:
    sections = []
    for scheme in schemes():
        for path in scheme.dashboard_sections:
            section = import_string(path)(user)
            if section is not None:
                sections.append(section)
    for scheme in schemes():
        for model in scheme.models():
            sections.append(files_by_state(model, model._meta.verbose_name_plural.capitalize(), user))
    return sections


def cache_key(user) -> str:
    """What the figures depend on: the set of administrations, the language and the day."""
    ids = ",".join(str(pk) for pk in staff_administrations(user))
    return f"dashboard:{ids}:{get_language()}:{timezone.localdate().isoformat()}"


def dashboard(user) -> list[Section]:
    """Every section the user's administrations have figures for, the schemes' own first; all of
    them kept together in the cache (one read) per set of administrations, language and day."""
    key = cache_key(user)
    sections = cache.get(key)
    if sections is None:
        sections = _sections(user)
        cache.set(key, sections, cache_seconds())
    return sections


def section_data(section: Section) -> dict:
    """A section as the API answers it: its columns, and rows of plain values (amounts as strings)."""

    def plain(value, kind):
        if kind == MONEY and value is not None:
            return str(to_money(value))
        return str(value) if isinstance(value, Decimal) else value

    return {
        "code": section.code,
        "title": str(section.title),
        "note": str(section.note),
        "as_of": section.as_of,
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in section.columns],
        "rows": [{c.key: plain(row.get(c.key), c.kind) for c in section.columns} for row in section.rows],
    }
