"""One search box for officers across every file type of their administrations (SPEC §9, issue 9):
reference, enterprise number, organisation names, title and description.

A file type lists what is searched in `SEARCH_FIELDS` (paths from the file, e.g.
`"lead_organisation__name_fr"`) and how a result is titled in `SEARCH_TITLE`. Their values are
kept in the file's `search_text` (on save, and when a party organisation changes), from which
PostgreSQL keeps a stored French-and-Dutch vector with a GIN index (core.search_vector). On PostgreSQL the
words are matched with full-text search in the French and the Dutch configurations (stemming:
"mutualisation" finds "mutualisations", "gedeelde" finds "gedeeld"); a reference or an
enterprise number is also matched as typed. Elsewhere (SQLite, the newcomer's default) every word
must appear in one of the fields. Each file type is one `SELECT` of the same columns, and they are
combined with `UNION ALL`, newest file first: a page of results is one count per file type (each
stopping at `COUNT_CAP`) and one query for its rows, each file type reading only up to the page
asked for, whatever the number of results.
"""

import re

from django.db import connection
from django.db.models import BooleanField, CharField, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from accounts.models import StaffRole
from accounts.selectors import administration_ids_where

from .schemes import schemes

MAX_QUERY_LENGTH = 200
# A file reference as officers type it (MUT-2026-00042, gar-2026-00007): answered by the references'
# unique indexes alone, never by the full-text indexes (whose plans scan a whole administration's
# agreements or declarations when the words are rare).
REFERENCE = re.compile(r"[A-Za-z]{2,5}-\d{4}-\d{1,8}")
ORGANISATION_FIELDS = {"name_fr", "name_nl", "enterprise_number"}  # what a renamed organisation changes


def _models():
    for scheme in schemes():
        for model in scheme.models():
            if getattr(model, "SEARCH_FIELDS", ()):
                yield scheme, model


def _value(file, path: str) -> str:
    target = file
    for hop in path.split("__"):
        target = getattr(target, hop, None)
        if target is None:
            return ""
    return str(target)


def text_of(file) -> str:
    """The searchable text of a file: its `SEARCH_FIELDS` values, one per line."""
    return "\n".join(value for path in type(file).SEARCH_FIELDS if (value := _value(file, path).strip()))


def refresh_for_organisation(organisation_id: int) -> int:
    """After an organisation's name or number changed: the files that search on it, re-indexed."""
    count = 0
    for _scheme, model in _models():
        relations = {
            path.rsplit("__", 1)[0]
            for path in model.SEARCH_FIELDS
            if "__" in path and path.rsplit("__", 1)[1] in ORGANISATION_FIELDS
        }
        for relation in relations:
            for file in model._default_manager.filter(**{relation: organisation_id}).iterator():
                model._default_manager.filter(pk=file.pk).update(search_text=text_of(file))
                count += 1
    return count


def _matching(model, text: str, staff_of: list[int]) -> QuerySet:
    files = model._default_manager.filter(administration_id__in=staff_of)
    hidden = tuple(getattr(model, "HIDDEN_FROM_STAFF", ()))
    if hidden:
        files = files.exclude(state__in=hidden)
    if REFERENCE.fullmatch(text):
        files = files.filter(reference=text.upper())
    elif connection.vendor == "postgresql":
        # The stored vector (core.search_vector), French and Dutch together, against the words
        # read in either language; the GIN index answers without recomputing any file's vector.
        table = connection.ops.quote_name(model._meta.db_table)
        files = files.annotate(
            words_match=RawSQL(
                f"{table}.search_vector @@ (websearch_to_tsquery('french', %s) || websearch_to_tsquery('dutch', %s))",
                [text, text],
                output_field=BooleanField(),
            )
        ).filter(words_match=True)
    else:
        for word in text.split():
            files = files.filter(Q(search_text__icontains=word) | Q(reference__iexact=word))
    return files.annotate(
        title_shown=Coalesce(
            F(getattr(model, "SEARCH_TITLE", "reference")), Value(""), output_field=CharField()
        ),
        administration_code=F("administration__code"),
        created=F("created_at"),  # as an annotation: a UNION orders by its own columns only
    )


# Counting every match of a frequent word reads them all; past this many, the page says "more than".
COUNT_CAP = 1000
COLUMNS = ("kind", "pk", "reference", "state", "title_shown", "administration_code", "deadline", "created")


def _query(text: str) -> str:
    # PostgreSQL refuses a NUL in text (a server error): it separates words, like a space.
    text = " ".join((text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    if re.fullmatch(r"[\d .]{10,14}", text) and len(re.sub(r"\D", "", text)) == 10:
        text = re.sub(r"\D", "", text)  # an enterprise number written 0403.170.701
    return text


def _parts(user, text: str) -> list[QuerySet]:
    text = _query(text)
    staff_of = sorted(administration_ids_where(user, StaffRole.Role.OFFICER, StaffRole.Role.APPROVER))
    if not text or not staff_of:
        return []
    return [
        _matching(model, text, staff_of)
        .annotate(kind=Value(model._meta.label_lower, output_field=CharField()))
        .order_by()
        for _scheme, model in _models()
    ]


def search_count(user, text: str) -> int:
    """How many files match, counted file type by file type and each up to `COUNT_CAP` (the page
    says "more than" at the cap): a frequent word's count never reads every match."""
    return min(sum(rows[:COUNT_CAP].count() for rows in _parts(user, text)), COUNT_CAP)


def search_files(user, text: str, *, upto: int | None = None) -> QuerySet | None:
    """The files of the user's administrations matching `text`, the newest first (None: nothing to
    search). With `upto` (the last row of the page asked for), each file type gives only its first
    `upto` rows in that order — which its (administration, -created_at, -id) index walks, stopping
    early for a frequent word — rather than every match for the union to sort."""
    parts = [rows.values(*COLUMNS) for rows in _parts(user, text)]
    if not parts:
        return None
    if upto is not None and len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        parts = [rows.order_by("-created_at", "-id")[:upto] for rows in parts]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-created", "kind", "-pk")


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
