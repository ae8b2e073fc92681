"""Web pages of mentoring: thin views that parse a form, call one service or selector, and render.

Scope: every file is looked up in `visible_to(user)` (outside it: 404); an action the user may see
but not perform answers 403 (the shared middleware shows the reason); a refused input comes back with
each error next to its field or line and everything typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import NON_PROFIT_LEGAL_FORMS, Organisation
from accounts.selectors import (
    administration_ids_where,
    has_staff_role,
    is_staff_member,
    membership_roles_by_organisation,
)
from core import instruction, messaging
from core.exceptions import InvalidInput
from core.models import Document
from core.pagination import WEB_PAGE_SIZE, LateLookupPaginator
from core.payments import payment_orders_of
from core.pdf import pdf_response
from core.permissions import require
from core.web import TransitionView, workflow_panel_context

from . import permissions, selectors, services
from .directory import Project, project_of, ranked_mentors, reasons
from .forms import (
    AgreementDraftForm,
    AgreementFilterForm,
    AgreementForm,
    ApplicationForm,
    DecisionForm,
    DeclarationFilterForm,
    DirectoryForm,
    LineFormSet,
    MonthForm,
    ProfileForm,
    show_errors,
)
from .models import Agreement, HoursDeclaration, Mentor, MentorApplication
from .states import AgreementState, DeclarationState, MentorApplicationState, MentorState


def _agreement_in_scope(request, pk: int) -> Agreement:
    agreements = selectors.with_hours_used(selectors.agreements_visible_to(request.user)).select_related(
        "mentor", "mentee", "administration", "grant"
    )
    return get_object_or_404(agreements, pk=pk)


def _declaration_in_scope(request, pk: int) -> HoursDeclaration:
    declarations = selectors.declarations_visible_to(request.user).select_related(
        "agreement__mentor", "agreement__mentee", "administration"
    )
    return get_object_or_404(declarations, pk=pk)


def _page(request, queryset, size: int = WEB_PAGE_SIZE):
    page = LateLookupPaginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# -- the mentor space ---------------------------------------------------------------------------------


@login_required
def home(request):
    """A member's mentoring: its organisations' mentor status, agreements with hours used against
    the cap, declarations and what awaits it (agreements and hours to confirm)."""
    user = request.user
    organisation_ids = list(membership_roles_by_organisation(user))
    agreements = list(
        selectors.with_hours_used(
            selectors.agreements_visible_to(user).filter(
                Q(mentor_id__in=organisation_ids) | Q(mentee_id__in=organisation_ids)
            )
        )
        .select_related("mentor", "mentee")
        .order_by("-created_at", "-pk")[:50]
    )
    for agreement in agreements:
        agreement.as_mentor = agreement.mentor_id in organisation_ids
        cap = agreement.hours_cap or 0
        agreement.used_percent = min(100, round(agreement.hours_counted * 100 / cap)) if cap else 0
    declarations = list(
        selectors.declarations_visible_to(user)
        .filter(agreement__mentor_id__in=organisation_ids)
        .select_related("agreement")
        .order_by("-month", "-pk")[:50]
    )
    to_confirm_declarations = list(
        HoursDeclaration.objects.filter(
            agreement__mentee_id__in=organisation_ids, state=DeclarationState.SUBMITTED
        )
        .select_related("agreement__mentor")
        .order_by("month", "pk")
    )
    to_confirm_agreements = [
        a
        for a in agreements
        if a.state == AgreementState.PROPOSED
        and ((a.initiated_by == "mentor" and not a.as_mentor) or (a.initiated_by == "mentee" and a.as_mentor))
    ]
    mentors = list(Mentor.objects.filter(organisation_id__in=organisation_ids).select_related("organisation"))
    may_apply = Organisation.objects.filter(pk__in=organisation_ids).exclude(mentor__isnull=False).exists()
    return render(
        request,
        "peer_mentoring/home.html",
        {
            "agreements": agreements,
            "declarations": declarations,
            "to_confirm_declarations": to_confirm_declarations,
            "to_confirm_agreements": to_confirm_agreements,
            "mentors": mentors,
            "may_apply": may_apply,
            "is_staff": is_staff_member(user),
        },
    )


# -- the directory ------------------------------------------------------------------------------------


@login_required
def directory(request):
    organisations = Organisation.objects.filter(pk__in=list(membership_roles_by_organisation(request.user)))
    own = organisations.order_by("pk").first()
    if request.GET:
        form = DirectoryForm(request.GET)
    else:
        default = project_of(own) if own else Project()
        form = DirectoryForm(
            initial={
                "types": default.types,
                "legal_form": default.legal_form,
                "joint_committee": default.joint_committee,
                "language": default.language,
            }
        )
    data = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
    committee = data.get("joint_committee")
    project = Project(
        types=list(data.get("types") or []),
        legal_form=data.get("legal_form") or "",
        joint_committee=getattr(committee, "number", committee) or "",
        language=data.get("language") or "",
    )
    mentors = ranked_mentors(
        project, filters={"q": data.get("q"), "available": data.get("available")}, profiles=False
    )
    if organisations:
        mentors = mentors.exclude(organisation_id__in=[o.pk for o in organisations])
    page, query = _page(request, mentors, 20)
    for mentor in page.object_list:
        mentor.reasons = reasons(mentor, project)
    return render(request, "peer_mentoring/directory.html", {"form": form, "page": page, "query": query})


# -- agreements ---------------------------------------------------------------------------------------


@login_required
def agreement_list(request):
    user = request.user
    form = AgreementFilterForm(request.GET or None)
    agreements = selectors.filter_files(
        selectors.with_hours_used(selectors.agreements_visible_to(user)),
        form.filters() if form.is_bound else {},
    ).select_related("mentor", "mentee", "administration")
    page, query = _page(request, agreements.order_by("-created_at", "-pk"))
    return render(
        request,
        "peer_mentoring/agreement_list.html",
        {"form": form, "page": page, "query": query, "is_staff": is_staff_member(user)},
    )


@login_required
def agreement_start(request):
    user = request.user
    mine = Organisation.objects.filter(pk__in=list(membership_roles_by_organisation(user)))
    mentors = Organisation.objects.filter(mentor__state=MentorState.ACTIVE)
    form = AgreementForm(
        request.POST or None,
        mentors=mentors,
        # Any non-profit may be mentored (its eligibility is checked when the agreement is proposed).
        mentees=Organisation.objects.filter(legal_form__in=NON_PROFIT_LEGAL_FORMS).order_by(
            "name_fr", "name_nl"
        ),
        initial={
            "mentor": request.GET.get("mentor"),
            "mentee": mine.exclude(mentor__state=MentorState.ACTIVE).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agreement = services.create_agreement(
                acting_user=user, mentor=data.pop("mentor"), mentee=data.pop("mentee"), **data
            )
        except InvalidInput as refusal:
            show_errors(form, refusal.errors)
        else:
            messages.success(request, _("The draft agreement is saved; propose it when it is ready."))
            return redirect(agreement.get_absolute_url())
    return render(request, "peer_mentoring/agreement_form.html", {"form": form})


@login_required
def agreement_edit(request, pk: int):
    """A draft's terms, changed by a member of either organisation until it is proposed."""
    agreement = _agreement_in_scope(request, pk)
    require(permissions.may_edit_agreement(agreement, request.user), file=agreement)
    form = AgreementDraftForm(
        request.POST or None,
        initial={name: getattr(agreement, name) for name in AgreementDraftForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(agreement=agreement, acting_user=request.user, data=form.cleaned_data)
        except InvalidInput as refusal:
            show_errors(form, refusal.errors)
        else:
            messages.success(request, _("The draft agreement is saved; propose it when it is ready."))
            return redirect(agreement.get_absolute_url())
    return render(request, "peer_mentoring/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
def agreement_detail(request, pk: int):
    agreement = _agreement_in_scope(request, pk)
    user = request.user
    declarations = agreement.declarations.order_by("-month", "-pk")
    cap = agreement.hours_cap or 0
    context = {
        "agreement": agreement,
        "declarations": declarations,
        "used_percent": min(100, round(agreement.hours_counted * 100 / cap)) if cap else 0,
        "hours_left": max(cap - agreement.hours_counted, 0) if cap else None,
        "may_declare": bool(permissions.may_declare(agreement, user)),
        "may_edit": bool(permissions.may_edit_agreement(agreement, user)),
        "is_file_staff": has_staff_role(user, agreement.administration_id),
        **workflow_panel_context(agreement, user),
        **messaging.summary(agreement, user, url_name="mentoring:agreement_messages"),
        **instruction.panel_context(agreement, user, url_name="mentoring:agreement_instruction"),
    }
    return render(request, "peer_mentoring/agreement_detail.html", context)


class AgreementTransitionView(TransitionView):
    def get_queryset(self):
        return selectors.agreements_visible_to(self.request.user).select_related(
            "mentor", "mentee", "administration"
        )


# -- declarations -------------------------------------------------------------------------------------


@login_required
def declaration_list(request):
    user = request.user
    form = DeclarationFilterForm(request.GET or None)
    declarations = selectors.filter_files(
        selectors.declarations_visible_to(user), form.filters() if form.is_bound else {}
    ).select_related("agreement__mentor", "agreement__mentee", "administration")
    page, query = _page(request, declarations.order_by("-month", "-pk"))
    return render(
        request,
        "peer_mentoring/declaration_list.html",
        {"form": form, "page": page, "query": query, "is_staff": is_staff_member(user)},
    )


@login_required
def declaration_start(request, pk: int):
    agreement = _agreement_in_scope(request, pk)
    require(permissions.may_declare(agreement, request.user), file=agreement)
    form = MonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.create_declaration(
                acting_user=request.user, agreement=agreement, month=form.cleaned_data["month"]
            )
        except InvalidInput as refusal:
            show_errors(form, refusal.errors)
        else:
            return redirect(reverse("mentoring:declaration_edit", args=[declaration.pk]))
    return render(request, "peer_mentoring/declaration_start.html", {"form": form, "agreement": agreement})


def _line_errors_on(formset, kept: list[int], errors: dict) -> None:
    """`lines.<i>.<field>` of the service (i among the filled lines) next to the form's field."""
    for key, messages_ in errors.items():
        parts = key.split(".")
        texts = [m["message"] if isinstance(m, dict) else str(m) for m in messages_]
        if len(parts) == 3 and parts[0] == "lines" and int(parts[1]) < len(kept):
            form = formset.forms[kept[int(parts[1])]]
            for text in texts:
                form.add_error(parts[2] if parts[2] in form.fields else None, text)
        else:
            formset.refusals = [*getattr(formset, "refusals", []), *texts]


@login_required
def declaration_edit(request, pk: int):
    """The lines of a draft (or contested) declaration, saved as they are typed: a refused line comes
    back with its error next to it, nothing typed is lost."""
    declaration = _declaration_in_scope(request, pk)
    require(permissions.may_edit_declaration(declaration, request.user), file=declaration)
    saved = [
        {"date": line.date, "hours": line.hours, "activity": line.activity, "description": line.description}
        for line in declaration.lines.order_by("date", "pk")
    ]
    if request.method == "POST":
        formset = LineFormSet(request.POST, prefix="lines")
        if formset.is_valid():
            kept = [i for i, form in enumerate(formset.forms) if not form.is_blank()]
            lines = [formset.forms[i].cleaned_data for i in kept]
            try:
                services.save_lines(declaration=declaration, acting_user=request.user, lines=lines)
            except InvalidInput as refusal:
                _line_errors_on(formset, kept, refusal.errors)
            else:
                messages.success(request, _("The declaration's lines are saved."))
                if request.POST.get("then") == "submit":
                    name = "resubmit" if declaration.state == DeclarationState.CONTESTED else "submit"
                    return redirect(f"{declaration.get_absolute_url()}transitions/{name}/")
                return redirect(reverse("mentoring:declaration_edit", args=[declaration.pk]))
        status = 400
    else:
        formset = LineFormSet(initial=saved + [{}] * 3, prefix="lines")
        formset.extra = 0
        status = 200
    return render(
        request,
        "peer_mentoring/declaration_edit.html",
        {"declaration": declaration, "formset": formset, "agreement": declaration.agreement},
        status=status,
    )


@login_required
def declaration_detail(request, pk: int):
    declaration = _declaration_in_scope(request, pk)
    user = request.user
    context = {
        "declaration": declaration,
        "agreement": declaration.agreement,
        "lines": declaration.lines.order_by("date", "pk"),
        "may_edit": bool(permissions.may_edit_declaration(declaration, user)),
        "has_statement": bool(permissions.may_get_statement(declaration, user)),
        "payment_orders": payment_orders_of(declaration).order_by("created_at", "pk"),
        **workflow_panel_context(declaration, user),
        **messaging.summary(declaration, user, url_name="mentoring:declaration_messages"),
        **instruction.panel_context(declaration, user, url_name="mentoring:declaration_instruction"),
    }
    return render(request, "peer_mentoring/declaration_detail.html", context)


class DeclarationTransitionView(TransitionView):
    def get_queryset(self):
        return selectors.declarations_visible_to(self.request.user).select_related(
            "agreement__mentor", "agreement__mentee", "administration"
        )


@login_required
def statement_pdf(request, pk: int):
    from .pdf import compensation_statement_pdf

    declaration = _declaration_in_scope(request, pk)
    require(permissions.may_get_statement(declaration, request.user), file=declaration)
    return pdf_response(
        lambda: compensation_statement_pdf(declaration),
        f"{declaration.reference}-statement.pdf".replace("/", "-"),
    )


# -- mentors: profile, applications, suspension -------------------------------------------------------


@login_required
def profile_edit(request, pk: int):
    mentor = get_object_or_404(Mentor.objects.select_related("organisation"), pk=pk)
    require(permissions.may_edit_profile(mentor, request.user))
    form = ProfileForm.for_mentor(mentor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.update_profile(mentor=mentor, acting_user=request.user, data=form.cleaned_data)
        messages.success(request, _("The mentor profile is saved."))
        return redirect(reverse("mentoring:home"))
    return render(request, "peer_mentoring/profile_form.html", {"form": form, "mentor": mentor})


@login_required
def apply(request):
    organisations = Organisation.objects.filter(pk__in=list(membership_roles_by_organisation(request.user)))
    form = ApplicationForm(
        request.POST or None, request.FILES or None, organisations=organisations.exclude(mentor__isnull=False)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_mentor_status(
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,
                evidence=form.cleaned_data["evidence"],
                documents=form.cleaned_data["documents"],
            )
        except InvalidInput as refusal:
            show_errors(form, refusal.errors)
        else:
            messages.success(request, _("Your application is sent to the administration."))
            return redirect(reverse("mentoring:home"))
    return render(request, "peer_mentoring/apply.html", {"form": form})


@login_required
def mentor_admin(request):
    """Officers: applications for mentor status to decide, and the mentors (suspend, restore)."""
    require(permissions.may_manage_mentors(request.user))
    applications = MentorApplication.objects.filter(
        administration_id__in=administration_ids_where(request.user), state=MentorApplicationState.PENDING
    ).select_related("organisation", "administration")
    mentors = Mentor.objects.select_related("organisation").order_by("organisation__name_fr", "pk")
    page, query = _page(request, mentors)
    applications = list(applications)
    evidence = {}
    for document in Document.objects.filter(
        content_type=ContentType.objects.get_for_model(MentorApplication),
        object_id__in=[application.pk for application in applications],
    ).order_by("pk"):
        evidence.setdefault(document.object_id, []).append(document)
    for application in applications:
        application.evidence_documents = evidence.get(application.pk, [])
    return render(
        request,
        "peer_mentoring/mentor_admin.html",
        {"applications": applications, "page": page, "query": query, "decision_form": DecisionForm()},
    )


@require_POST
@login_required
def decide_application(request, pk: int):
    application = get_object_or_404(MentorApplication, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.decide_mentor_application(
            application=application,
            acting_user=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except InvalidInput as refusal:
        for messages_ in refusal.errors.values():
            for message in messages_:
                messages.error(request, message["message"] if isinstance(message, dict) else str(message))
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect(reverse("mentoring:mentor_admin"))


@require_POST
@login_required
def set_mentor_state(request, pk: int):
    mentor = get_object_or_404(Mentor, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    state = (
        MentorState.SUSPENDED if request.POST.get("state") == MentorState.SUSPENDED else MentorState.ACTIVE
    )
    try:
        services.set_mentor_state(
            mentor=mentor, state=state, acting_user=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except InvalidInput as refusal:
        for messages_ in refusal.errors.values():
            for message in messages_:
                messages.error(request, message["message"] if isinstance(message, dict) else str(message))
    else:
        messages.success(request, _("The mentor status is changed."))
    return redirect(reverse("mentoring:mentor_admin"))


# -- the programme overview ---------------------------------------------------------------------------


@login_required
def overview(request):
    """Officers: hours declared and compensation per month and administration, as a chart with the
    same figures in a table beside it."""
    from django.utils.translation import get_language

    from .forms import OverviewForm

    if not is_staff_member(request.user):
        require(permissions.may_manage_mentors(request.user))
    form = OverviewForm(request.GET or None)
    year = form.year_or_current()
    rows = selectors.programme_overview(request.user, year)
    dutch = (get_language() or "fr").startswith("nl")
    highest = max((row["declared"] for row in rows), default=0) or 1
    bar_width, gap, height = 28, 10, 160
    bars = []
    for index, row in enumerate(rows):
        row["administration"] = (
            row["administration__name_nl"] if dutch else row["administration__name_fr"]
        ) or row["administration__code"]
        declared_height = float(row["declared"] / highest) * height
        validated_height = float(row["validated"] / highest) * height
        x = index * (bar_width + gap)
        bars.append(
            {
                "x": x,
                "declared_y": height - declared_height,
                "declared_height": declared_height,
                "validated_y": height - validated_height,
                "validated_height": validated_height,
                "row": row,
                "code": row["administration__code"],
            }
        )
    totals = {
        "declared": sum((row["declared"] for row in rows), 0),
        "validated": sum((row["validated"] for row in rows), 0),
        "compensation": sum((row["compensation"] for row in rows), 0),
    }
    return render(
        request,
        "peer_mentoring/overview.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "bars": bars,
            "totals": totals,
            "chart_width": max(len(rows) * (bar_width + gap), bar_width),
            "chart_height": height,
            "bar_width": bar_width,
        },
    )


@login_required
def application_document(request, pk: int, document_pk: int):
    """A document of an application for mentor status: for the organisation's members and the staff
    of the administration deciding it (anyone else: 404)."""
    user = request.user
    application = get_object_or_404(
        MentorApplication.objects.filter(
            Q(organisation_id__in=list(membership_roles_by_organisation(user)))
            | Q(administration_id__in=administration_ids_where(user))
        ),
        pk=pk,
    )
    document = get_object_or_404(Document.objects.for_file(application), pk=document_pk)
    return FileResponse(
        document.content.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.media_type,
    )
