"""The mentor directory: active mentors ranked by how well they match a starting organisation's
project (types of mutualisation, legal form, joint committee, language, availability left this
month), computed in SQL; each result says why it matches."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import JointCommittee
from grants.choices import InitiativeLegalForm, MutualisationType

from .calculations import hours_text
from .choices import LANGUAGES
from .models import DeclarationLine, Expertise, Mentor
from .rules import first_of_month, month_end
from .states import DeclarationState, MentorState

HOURS = DecimalField(max_digits=8, decimal_places=2)
TYPE_WEIGHT = 2  # the types pooled matter most; the other criteria weigh 1 each


@dataclass
class Project:
    """What the searching organisation is starting (every part optional)."""

    types: list[str] = field(default_factory=list)
    legal_form: str = ""
    joint_committee: str = ""  # its number, e.g. "329"
    language: str = ""


def _has(kind: str, value: str) -> Exists:
    return Exists(Expertise.objects.filter(mentor_id=OuterRef("pk"), kind=kind, value=value))


def hours_this_month(today: date) -> dict[int, Decimal]:
    """Hours declared this month (any declaration not rejected) per mentor organisation: one grouped
    query over the month's declarations (the (agreement, month) unique index)."""
    month = first_of_month(today)
    rows = (
        DeclarationLine.objects.filter(
            declaration__month=month,
            # A line's day is in its declaration's month (rules.line_errors); said again for safety.
            date__gte=month,
            date__lte=month_end(month),
        )
        .exclude(declaration__state=DeclarationState.REJECTED)
        .order_by()
        .values("declaration__agreement__mentor_id")
        .annotate(total=Sum("hours"))
        .values_list("declaration__agreement__mentor_id", "total")
    )
    return {mentor_id: total for mentor_id, total in rows if total}


def _hours_used(today: date) -> Case | Value:
    """Each mentor's hours this month as constants of the ranking's SQL: summed once (above) rather
    than by a correlated subquery that the availability, the score, the filter and the count would
    each repeat for every mentor."""
    used = hours_this_month(today)
    if not used:
        return Value(Decimal("0.00"), output_field=HOURS)
    return Case(
        *[When(organisation_id=mentor_id, then=Value(total)) for mentor_id, total in sorted(used.items())],
        default=Value(Decimal("0.00")),
        output_field=HOURS,
    )


def ranked_mentors(
    project: Project, *, filters: dict | None = None, today: date | None = None, profiles: bool = True
) -> QuerySet:
    """Active mentors with `score`, `type_matches`, `legal_form_match`, `committee_match`,
    `language_match` and `availability_left`, best first.

    With `profiles` (the API), each mentor's whole profile is prefetched; without (the directory
    page, which shows the organisation's name, its presentation and the reasons), only the
    organisation's names, the presentation and the types the project shares (`shared_types`)."""
    filters = filters or {}
    today = today or timezone.localdate()
    false = Value(False, output_field=BooleanField())
    mentors = Mentor.objects.filter(state=MentorState.ACTIVE).select_related("organisation")
    if not profiles:
        mentors = mentors.only(
            "organisation_id",
            "availability_hours",
            "presentation",
            "organisation__name_fr",
            "organisation__name_nl",
        )
    type_matches = (
        Expertise.objects.filter(mentor_id=OuterRef("pk"), kind=Expertise.Kind.TYPE, value__in=project.types)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    mentors = mentors.annotate(
        type_matches=Coalesce(Subquery(type_matches), Value(0), output_field=IntegerField())
        if project.types
        else Value(0, output_field=IntegerField()),
        legal_form_match=_has(Expertise.Kind.LEGAL_FORM, project.legal_form) if project.legal_form else false,
        language_match=_has(Expertise.Kind.LANGUAGE, project.language) if project.language else false,
        committee_match=Exists(
            Mentor.joint_committees.through.objects.filter(
                mentor_id=OuterRef("pk"), jointcommittee__number=project.joint_committee
            )
        )
        if project.joint_committee
        else false,
        availability_left=ExpressionWrapper(F("availability_hours") - _hours_used(today), output_field=HOURS),
    )

    def point(condition) -> Case:
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    mentors = mentors.annotate(
        score=ExpressionWrapper(
            F("type_matches") * TYPE_WEIGHT
            + point(Q(legal_form_match=True))
            + point(Q(language_match=True))
            + point(Q(committee_match=True))
            + point(Q(availability_left__gt=0)),
            output_field=IntegerField(),
        )
    )
    if filters.get("q"):
        mentors = mentors.filter(
            Q(organisation__name_fr__icontains=filters["q"])
            | Q(organisation__name_nl__icontains=filters["q"])
        )
    if filters.get("available"):
        mentors = mentors.filter(availability_left__gt=0)
    if filters.get("language_required") and project.language:
        mentors = mentors.filter(language_match=True)
    if profiles:
        mentors = mentors.prefetch_related(
            Prefetch("expertise", queryset=Expertise.objects.order_by("kind", "value")),
            Prefetch("joint_committees", queryset=JointCommittee.objects.order_by("number")),
        )
    elif project.types:
        shared = Expertise.objects.filter(kind=Expertise.Kind.TYPE, value__in=project.types).order_by("value")
        mentors = mentors.prefetch_related(Prefetch("expertise", queryset=shared, to_attr="shared_types"))
    return mentors.order_by("-score", "-availability_left", "pk")


def reasons(mentor: Mentor, project: Project) -> list[str]:
    """Why this mentor matches the project, in the reader's language."""
    said = []
    if mentor.type_matches:
        labels = dict(MutualisationType.choices)
        values = [e.value for e in mentor.shared_types] if hasattr(mentor, "shared_types") else mentor.types
        shared = [str(labels.get(value, value)) for value in values if value in project.types]
        said.append(_("Has pooled: %(types)s") % {"types": ", ".join(shared)})
    if mentor.legal_form_match:
        said.append(
            _("Knows the legal form: %(form)s")
            % {"form": dict(InitiativeLegalForm.choices).get(project.legal_form, project.legal_form)}
        )
    if mentor.committee_match:
        said.append(_("Same joint committee (%(number)s)") % {"number": project.joint_committee})
    if mentor.language_match:
        said.append(
            _("Speaks %(language)s") % {"language": dict(LANGUAGES).get(project.language, project.language)}
        )
    if mentor.availability_left > 0:
        said.append(
            _("%(hours)s hours available this month") % {"hours": hours_text(mentor.availability_left)}
        )
    else:
        said.append(_("No hours left this month"))
    return said


def project_of(organisation) -> Project:
    """A starting organisation's project, as far as the system knows it: its latest grant's types and
    legal form, its first joint committee, its language."""
    from grants.models import GrantApplication

    grant = (
        GrantApplication.objects.filter(lead_organisation=organisation)
        .order_by("-created_at")
        .values("types", "initiative_legal_form")
        .first()
    )
    committee = organisation.joint_committees.order_by("number").values_list("number", flat=True).first()
    return Project(
        types=list(grant["types"]) if grant else [],
        legal_form=grant["initiative_legal_form"] if grant else "",
        joint_committee=committee or "",
        language=organisation.preferred_language,
    )
