"""What changed between two submissions of a file (SPEC §9 "Resubmission", issue 9): after an
information request, officers see the differences field by field, line by line and document by
document since the previous submission.

A file type declares which transitions submit it and what its applicant enters:

    SUBMISSION_TRANSITIONS = ("submit", "resubmit")
    SNAPSHOT_ROWS = {"budget_lines": ("category", "description", "hours", "hourly_cost", "amount")}

Its fields are every editable concrete field and many-to-many relation the applicant fills in (not
the workflow's own columns: state, reference, administration, deadlines, search text). At each
submission `perform_transition` calls `take_snapshot` in the same transaction; `changes_between`
compares two snapshots, and `latest_changes` the last two of a file.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import Document, SubmissionSnapshot

# The workflow's own columns: never the applicant's input, never compared.
NOT_ENTERED = {
    "id",
    "state",
    "reference",
    "administration",
    "eligibility_snapshot",
    "submitted_at",
    "state_entered_at",
    "deadline",
    "created_at",
    "updated_at",
    "search_text",
    "created_by",
}


def entered_fields(model) -> list:
    """The fields an applicant fills in: editable, concrete or many-to-many, not the workflow's."""
    fields = [f for f in model._meta.concrete_fields if f.editable and f.name not in NOT_ENTERED]
    fields += [f for f in model._meta.many_to_many if f.editable and f.name not in NOT_ENTERED]
    return fields


def _raw(file, field) -> object:
    """A field's value as stored in the snapshot: plain JSON, the related objects by their names."""
    if field.many_to_many:
        return sorted(str(related) for related in getattr(file, field.name).all())
    if field.is_relation:
        related = getattr(file, field.name)
        return str(related) if related is not None else None
    value = getattr(file, field.attname)
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return None if value is None else str(value) if not isinstance(value, (bool, int)) else value


def _documents(file) -> list[dict]:
    current = Document.objects.for_file(file).current().order_by("document_type", "series")
    return [
        {
            "series": str(document.series),
            "version": document.version,
            "document_type": document.document_type,
            "name": document.original_name,
            "sha256": document.sha256,
        }
        for document in current
    ]


def take_snapshot(file, *, transition: str, acting_user) -> SubmissionSnapshot:
    """Record what `file` says now, as submission number n + 1 (in the caller's transaction, which
    holds the file's row lock, so numbers never collide)."""
    model = type(file)
    content_type = ContentType.objects.get_for_model(model)
    done = SubmissionSnapshot.objects.filter(content_type=content_type, object_id=file.pk)
    number = (done.aggregate(n=Max("number"))["n"] or 0) + 1
    rows = {
        relation: [
            [_row_value(getattr(row, name)) for name in columns] for row in getattr(file, relation).all()
        ]
        for relation, columns in getattr(model, "SNAPSHOT_ROWS", {}).items()
    }
    return SubmissionSnapshot.objects.create(
        content_type=content_type,
        object_id=file.pk,
        number=number,
        transition=transition,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        fields={f.name: _raw(file, f) for f in entered_fields(model)},
        rows=rows,
        documents=_documents(file),
    )


def _row_value(value) -> object:
    return None if value is None else value if isinstance(value, (bool, int)) else str(value)


# -- the differences --------------------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class RowChange:
    relation: str
    label: str
    change: str  # "added" | "removed"
    cells: list[str]


@dataclass
class DocumentChange:
    change: str  # "added" | "replaced"
    document_type: str
    label: str
    name: str
    previous_name: str = ""


@dataclass
class Changes:
    previous: SubmissionSnapshot
    latest: SubmissionSnapshot
    fields: list[FieldChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    documents: list[DocumentChange] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.fields or self.rows or self.documents)


def _shown(field_, value) -> str:
    """A stored value as the reader reads it: choices by their label, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    choices = dict(field_.flatchoices) if getattr(field_, "choices", None) else {}
    if isinstance(value, list):
        base = getattr(field_, "base_field", None)
        labels = dict(base.flatchoices) if base is not None and base.choices else choices
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(choices.get(value, value))


def _cells(model, relation: str, row: list) -> list[str]:
    related = model._meta.get_field(relation).related_model
    columns = model.SNAPSHOT_ROWS[relation]
    return [_shown(related._meta.get_field(name), value) for name, value in zip(columns, row, strict=False)]


def changes_between(model, previous: SubmissionSnapshot, latest: SubmissionSnapshot) -> Changes:
    changes = Changes(previous=previous, latest=latest)
    for field_ in entered_fields(model):
        before, after = previous.fields.get(field_.name), latest.fields.get(field_.name)
        if before != after:
            changes.fields.append(
                FieldChange(
                    field_.name,
                    str(field_.verbose_name).capitalize(),
                    _shown(field_, before),
                    _shown(field_, after),
                )
            )
    for relation in getattr(model, "SNAPSHOT_ROWS", {}):
        label = str(model._meta.get_field(relation).related_model._meta.verbose_name).capitalize()
        before = [tuple(row) for row in previous.rows.get(relation, [])]
        after = [tuple(row) for row in latest.rows.get(relation, [])]
        remaining = list(before)
        for row in after:
            if row in remaining:
                remaining.remove(row)
            else:
                changes.rows.append(RowChange(relation, label, "added", _cells(model, relation, list(row))))
        unmatched = list(after)
        for row in before:
            if row in unmatched:
                unmatched.remove(row)
            else:
                changes.rows.append(RowChange(relation, label, "removed", _cells(model, relation, list(row))))
    labels = dict(Document._meta.get_field("document_type").flatchoices)
    earlier = {document["series"]: document for document in previous.documents}
    for document in latest.documents:
        kind = labels.get(document["document_type"], document["document_type"])
        before = earlier.get(document["series"])
        if before is None:
            changes.documents.append(
                DocumentChange("added", document["document_type"], str(kind), document["name"])
            )
        elif before["version"] != document["version"] or before["sha256"] != document["sha256"]:
            changes.documents.append(
                DocumentChange(
                    "replaced",
                    document["document_type"],
                    str(kind),
                    document["name"],
                    previous_name=before["name"],
                )
            )
    return changes


def latest_changes(file) -> Changes | None:
    """The differences between the file's last two submissions; None before a resubmission."""
    content_type = ContentType.objects.get_for_model(type(file))
    latest_two = list(
        SubmissionSnapshot.objects.filter(content_type=content_type, object_id=file.pk).order_by("-number")[
            :2
        ]
    )
    if len(latest_two) < 2:
        return None
    latest, previous = latest_two
    return changes_between(type(file), previous, latest)


def takes_snapshots(model: type[models.Model], transition: str) -> bool:
    return transition in getattr(model, "SUBMISSION_TRANSITIONS", ())
