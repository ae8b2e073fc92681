"""The pages and the API actions that present the schemes to an organisation: the dashboard (home
page) and the eligibility check, on the web and as `organisations/<id>/eligibility/` in the API
(with the organisation's `history/`, which core keeps).

They live in core, not in accounts, because they run the schemes' eligibility rules: accounts knows
organisations and people, never the schemes (dependencies go schemes → core → accounts).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import api as accounts_api
from accounts.forms import EligibilityCheckForm
from accounts.models import StaffRole
from accounts.selectors import (
    administration_ids_where,
    is_staff_member,
    organisations_of,
    visible_organisations,
)

from .api import HistoryEntrySerializer
from .eligibility import check_eligibility, schemes
from .models import HistoryEntry
from .todo import home_tasks


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home.html", {"schemes": schemes()})
    tasks = home_tasks(request.user)
    if is_staff_member(request.user):
        is_finance = bool(administration_ids_where(request.user, StaffRole.Role.FINANCE))
        return render(request, "core/home_staff.html", {**tasks, "is_finance": is_finance})
    return render(
        request,
        "accounts/dashboard.html",
        {"organisations": organisations_of(request.user), "schemes": schemes(), **tasks},
    )


@login_required
def eligibility_check(request):
    # Applicants check their own organisations; officers may re-run the check for any organisation.
    organisations = (
        visible_organisations(request.user)
        if is_staff_member(request.user)
        else organisations_of(request.user)
    )
    form = EligibilityCheckForm(request.GET or None, organisations=organisations, schemes=schemes())
    report = None
    if form.is_bound and form.is_valid():
        report = check_eligibility(form.cleaned_data["organisation"], form.cleaned_data["scheme"])
    return render(request, "accounts/eligibility.html", {"form": form, "report": report})


class EligibilityOutcomeSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["pass", "fail", "to_check"])
    message = serializers.CharField()


class EligibilityReportSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    date = serializers.DateField()
    eligible = serializers.BooleanField()
    outcomes = EligibilityOutcomeSerializer(many=True)


class OrganisationViewSet(accounts_api.OrganisationViewSet):
    """The organisations endpoint of accounts, plus the eligibility check of every scheme and the
    organisation's history (changes, recognitions, corrections)."""

    @extend_schema(responses=HistoryEntrySerializer(many=True), summary="The organisation's history")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        entries = HistoryEntry.objects.for_file(self.get_object()).select_related("actor")
        return Response(HistoryEntrySerializer(entries, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("scheme", str, enum=["grants", "guarantees", "mentoring"], required=True),
            OpenApiParameter("date", str, description="ISO date; today when omitted"),
        ],
        responses=EligibilityReportSerializer,
        summary="Run the eligibility check for a scheme and see every rule",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def eligibility(self, request, pk=None):
        organisation = self.get_object()
        scheme = request.query_params.get("scheme", "")
        known = {scheme_.code for scheme_ in schemes()}
        if scheme not in known:
            raise serializers.ValidationError(
                {"scheme": [_("Choose one of: %(schemes)s.") % {"schemes": ", ".join(sorted(known))}]}
            )
        day = timezone.localdate()
        if request.query_params.get("date"):
            try:
                day = serializers.DateField().to_internal_value(request.query_params["date"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"date": error.detail}) from None
        report = check_eligibility(organisation, scheme, day)
        return Response(
            {
                "scheme": scheme,
                "date": day,
                "eligible": report.eligible,
                "outcomes": [
                    {"rule": o.rule, "label": o.label, "status": str(o.status), "message": o.message}
                    for o in report.outcomes
                ],
            }
        )
