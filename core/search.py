"""One search box for officers across every file type of their administrations (SPEC §9, issue 9):
reference, enterprise number, organisation names, title and description.

A file type lists what is searched in `SEARCH_FIELDS` (paths from the file, e.g.
`"lead_organisation__name_fr"`) and how a result is titled in `SEARCH_TITLE`. On PostgreSQL the
words are matched with full-text search in the French and the Dutch configurations (stemming:
"mutualisation" finds "mutualisations", "gedeelde" finds "gedeeld"), ranked; a reference or an
enterprise number is also matched as typed. Elsewhere (SQLite, the newcomer's default) every word
must appear in one of the fields. Each file type is one `SELECT` of the same columns, and they are
combined with `UNION ALL`: a page of results is two queries (its count and its rows) whatever the
number of file types or results.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import CharField, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where

from .schemes import schemes

MAX_QUERY_LENGTH = 200


def _models():
    for scheme in schemes():
        for model in scheme.models():
            if getattr(model, "SEARCH_FIELDS", ()):
                yield scheme, model


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _exact(model, text: str) -> Q:
    """A reference or an enterprise number as typed (with or without dots and spaces)."""
    condition = Q(reference__iexact=text.strip())
    digits = _digits(text)
    if len(digits) == 10:
        for path in model.SEARCH_FIELDS:
            if path.endswith("enterprise_number"):
                condition |= Q(**{path: digits})
    return condition


def _matching(model, text: str, staff_of: list[int]) -> QuerySet:
    files = model._default_manager.filter(administration_id__in=staff_of)
    hidden = tuple(getattr(model, "HIDDEN_FROM_STAFF", ()))
    if hidden:
        files = files.exclude(state__in=hidden)
    fields = list(model.SEARCH_FIELDS)
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="french") + SearchVector(*fields, config="dutch")
        query = SearchQuery(text, config="french", search_type="websearch") | SearchQuery(
            text, config="dutch", search_type="websearch"
        )
        files = files.annotate(document=vector).filter(Q(document=query) | _exact(model, text))
        rank = SearchRank(F("document"), query)
    else:
        for word in text.split():
            files = files.filter(
                Q(*[Q(**{f"{path}__icontains": word}) for path in fields], _connector=Q.OR)
                | _exact(model, word)
            )
        rank = Value(0.0, output_field=FloatField())
    return files.annotate(
        title_shown=Coalesce(
            F(getattr(model, "SEARCH_TITLE", "reference")), Value(""), output_field=CharField()
        ),
        administration_code=F("administration__code"),
        rank=rank,
    )


def search_files(user, text: str) -> QuerySet | None:
    """The files of the user's administrations matching `text`, best first (None: nothing to search)."""
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    staff_of = sorted(administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER))
    if not text or not staff_of:
        return None
    parts = []
    for _scheme, model in _models():
        rows = _matching(model, text, staff_of).annotate(
            kind=Value(model._meta.label_lower, output_field=CharField())
        )
        parts.append(
            rows.order_by().values(
                "kind", "pk", "reference", "state", "title_shown", "administration_code", "deadline", "rank"
            )
        )
    if not parts:
        return None
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-rank", "-deadline", "reference")


def describe(rows) -> list[dict]:
    """Scheme and state labels and each result's link, for the page and the API."""
    kinds = {model._meta.label_lower: (scheme, model) for scheme, model in _models()}
    described = []
    for row in rows:
        scheme, model = kinds.get(row["kind"], (None, None))
        states = dict(model._meta.get_field("state").flatchoices) if model else {}
        instance = model(pk=row["pk"]) if model else None
        described.append(
            {
                "scheme": scheme.code if scheme else "",
                "scheme_label": scheme.label if scheme else row["kind"],
                "id": row["pk"],
                "reference": row["reference"],
                "state": row["state"],
                "state_label": states.get(row["state"], row["state"]),
                "title": row["title_shown"],
                "administration": row["administration_code"],
                "deadline": row["deadline"],
                "url": instance.get_absolute_url() if instance is not None else "",
            }
        )
    return described
