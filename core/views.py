"""Web pages of the shared app: the inbox and the officer work queue."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Administration
from accounts.selectors import administration_ids_where, is_staff_member

from .models import Notification
from .notifications import inbox
from .work_queue import queue_sources, work_queue


@login_required
def inbox_view(request):
    page = Paginator(inbox(request.user), 25).get_page(request.GET.get("page"))
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
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    state = forms.CharField(label=_("State"), required=False, max_length=50)
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
        self.fields["administration"].choices = [("", _("All"))] + [(a.code, a.name) for a in administrations]


@login_required
def work_queue_view(request):
    if not is_staff_member(request.user):
        raise Http404
    administrations = Administration.objects.filter(pk__in=administration_ids_where(request.user))
    form = WorkQueueFilterForm(request.GET or None, administrations=administrations)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = work_queue(request.user, filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page")) if rows is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/work_queue.html",
        {"form": form, "page": page, "administrations": administrations, "query": query.urlencode()},
    )
