"""Web pages of the shared app: the inbox and the officer work queue."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Administration, StaffRole
from accounts.selectors import administration_ids_where, has_staff_role, is_staff_member

from .dashboards import cache_key as dashboard_cache_key
from .dashboards import cache_seconds as dashboard_cache_seconds
from .dashboards import dashboard
from .exceptions import InvalidInput
from .models import Notification, PaymentOrder
from .notifications import inbox
from .pagination import WEB_PAGE_SIZE, LateLookupPaginator, counted_page
from .payments import filter_payment_orders, payment_orders_visible_to
from .search import COUNT_CAP, search_count, search_files
from .search import describe as describe_results
from .sepa import download_batch, export_payment_orders, sepa_batches_visible_to
from .todo import describe as describe_tasks
from .todo import task_rows
from .web import TransitionView, workflow_panel_context
from .work_queue import describe_rows, queue_sources, state_choices, work_queue, work_queue_count


@login_required
def inbox_view(request):
    page = Paginator(inbox(request.user), WEB_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.link or "core:inbox")


class WorkQueueFilterForm(forms.Form):
    assignment = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("All")), ("mine", _("Mine")), ("unassigned", _("Unassigned"))],
    )
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    deadline_before = forms.DateField(
        label=_("Deadline before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline (soonest first)")),
            ("-deadline", _("Deadline (latest first)")),
            ("reference", _("Reference")),
            ("state", _("State")),
        ],
    )

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [("", _("All"))] + [(s.code, s.label) for s in queue_sources()]
        self.fields["state"].choices = [("", _("All")), *state_choices()]
        self.fields["administration"].choices = [("", _("All"))] + [(a.code, a.name) for a in administrations]


@login_required
def work_queue_view(request):
    if not is_staff_member(request.user):
        raise Http404
    administrations = Administration.objects.filter(pk__in=administration_ids_where(request.user))
    form = WorkQueueFilterForm(request.GET or None, administrations=administrations)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = counted_page(
        request.GET.get("page"),
        WEB_PAGE_SIZE,
        count=work_queue_count(request.user, filters),
        rows_upto=lambda upto: work_queue(request.user, filters, upto=upto),
    )
    if page is not None:
        names = {administration.code: administration.name for administration in administrations}
        page.object_list = [
            {**row, "administration_name": names.get(row["administration_code"], row["administration_code"])}
            for row in describe_rows(page.object_list)
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/work_queue.html",
        {"form": form, "page": page, "administrations": administrations, "query": query.urlencode()},
    )


@login_required
def dashboards_view(request):
    """The staff's figures (core.dashboards): 404 to anyone without a staff role."""
    if not is_staff_member(request.user):
        raise Http404
    administrations = Administration.objects.filter(pk__in=administration_ids_where(request.user))
    # The sections' rendering (a few hundred table cells and the charts) is cached beside their
    # figures, for as long: under load, rendering them was most of the page's time.
    key = f"{dashboard_cache_key(request.user)}:html"
    sections = cache.get(key)
    if sections is None:
        sections = render_to_string(
            "core/includes/dashboard_sections.html", {"sections": dashboard(request.user)}, request=request
        )
        cache.set(key, sections, dashboard_cache_seconds())
    return render(
        request,
        "core/dashboards.html",
        {"sections_html": mark_safe(sections), "administrations": administrations},  # noqa: S308 (rendered above)
    )


@login_required
def tasks_view(request):
    """Everything the user must do next (core.todo), paginated."""
    rows = task_rows(request.user)
    page = Paginator(rows if rows is not None else [], WEB_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = describe_tasks(page.object_list)
    return render(request, "core/tasks.html", {"page": page})


# -- payment orders -----------------------------------------------------------------------------------


class PaymentOrderFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    due_from = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    receivables = forms.BooleanField(label=_("Receivables still owed"), required=False)

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [("", _("All")), *PaymentOrder.Scheme.choices]
        self.fields["direction"].choices = [("", _("All")), *PaymentOrder.Direction.choices]
        self.fields["state"].choices = [("", _("All")), *PaymentOrder.State.choices]
        self.fields["kind"].choices = [("", _("All")), *PaymentOrder.Kind.choices]
        self.fields["administration"].choices = [("", _("All"))] + [(a.code, a.name) for a in administrations]


def _staff_only(user) -> None:
    if not is_staff_member(user):
        raise Http404


@login_required
def payment_order_list(request):
    """Payment orders of the user's administrations; finance exports the approved ones as SEPA."""
    _staff_only(request.user)
    administrations = Administration.objects.filter(pk__in=administration_ids_where(request.user))
    form = PaymentOrderFilterForm(request.GET or None, administrations=administrations)
    orders = payment_orders_visible_to(request.user).order_by("-created_at", "-id")
    if form.is_bound and form.is_valid():
        for name, lookup in [
            ("state", "state"),
            ("kind", "kind"),
            ("administration", "administration__code"),
        ]:
            if form.cleaned_data[name]:
                orders = orders.filter(**{lookup: form.cleaned_data[name]})
        orders = filter_payment_orders(
            orders,
            scheme=form.cleaned_data["scheme"],
            direction=form.cleaned_data["direction"],
            due_from=form.cleaned_data["due_from"],
            due_to=form.cleaned_data["due_to"],
            receivables=form.cleaned_data["receivables"],
        )
    page = LateLookupPaginator(orders, WEB_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    finance_administrations = Administration.objects.filter(
        pk__in=administration_ids_where(request.user, StaffRole.Role.FINANCE)
    )
    return render(
        request,
        "core/payment_order_list.html",
        {
            "form": form,
            "page": page,
            "receivables_query": "receivables=on",
            "query": query.urlencode(),
            "finance_administrations": finance_administrations,
            "sepa_batches": sepa_batches_visible_to(request.user).select_related(
                "created_by", "administration"
            )[:20],
        },
    )


@login_required
def sepa_batch_download(request, pk: int):
    """An exported SEPA file again, byte for byte as it was first exported (finance of its
    administration only; anyone else: 404). The download is recorded in the batch's history."""
    batch = get_object_or_404(sepa_batches_visible_to(request.user), pk=pk)
    return HttpResponse(
        download_batch(batch=batch, acting_user=request.user),
        content_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{batch.filename}"'},
    )


@login_required
def payment_order_detail(request, pk: int):
    _staff_only(request.user)
    order = get_object_or_404(payment_orders_visible_to(request.user), pk=pk)
    file_url = getattr(order.file, "get_absolute_url", lambda: "")()
    return render(
        request,
        "core/payment_order_detail.html",
        {"order": order, "file_url": file_url, **workflow_panel_context(order, request.user)},
    )


class PaymentOrderTransitionView(TransitionView):
    def get_queryset(self):
        _staff_only(self.request.user)
        return payment_orders_visible_to(self.request.user)


@login_required
@require_POST
def sepa_export(request):
    """Download the pain.001 file of an administration's approved orders (finance only)."""
    _staff_only(request.user)
    code = request.POST.get("administration", "")
    if "\x00" in code:  # no code has one, and PostgreSQL refuses a NUL in text (a server error)
        raise Http404
    administration = get_object_or_404(Administration, code=code)
    if not has_staff_role(request.user, administration.pk, StaffRole.Role.FINANCE):
        raise PermissionDenied(_("Only finance staff of the administration may export its payments."))
    try:
        export = export_payment_orders(administration=administration, acting_user=request.user)
    except InvalidInput as refusal:
        messages.error(request, refusal.message)
        return redirect("core:payment_order_list")
    return HttpResponse(
        export.xml,
        content_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@login_required
def search_view(request):
    """Officers: one search box across every file of their administrations."""
    if not is_staff_member(request.user):
        raise Http404
    text = request.GET.get("q", "")
    page = None
    if search_files(request.user, text) is not None:
        page = counted_page(
            request.GET.get("page"),
            WEB_PAGE_SIZE,
            count=search_count(request.user, text),
            rows_upto=lambda upto: search_files(request.user, text, upto=upto),
        )
        page.object_list = describe_results(page.object_list)
    return render(
        request,
        "core/search.html",
        {
            "q": " ".join(text.split())[:200],
            "page": page,
            "query": f"q={quote(text[:200])}",
            "capped": page is not None and page.paginator.count >= COUNT_CAP,
        },
    )
