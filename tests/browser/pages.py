"""The pages the accessibility checks visit, per demo person: every list and the main detail pages,
found in the demo data (`manage.py load_demo_data`) so that each page shows real rows."""

import io
from dataclasses import dataclass

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, User
from core.models import PaymentOrder
from grants.models import Call, GrantApplication
from guarantees.models import GuaranteeRequest
from peer_mentoring.models import Agreement, HoursDeclaration

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Visitor:
    """A demo person (None: anonymous) and the pages they visit; `lists` are the pages made of tables."""

    email: str | None
    pages: list[str]
    lists: list[str]


def load_demo() -> None:
    call_command("load_demo_data", stdout=io.StringIO())


def _file_pk(**filters) -> int:
    return GrantApplication.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def _file(**filters) -> str:
    return reverse("grants:application_detail", args=[_file_pk(**filters)])


def _guarantee(**filters) -> str:
    guarantee = GuaranteeRequest.objects.filter(**filters).order_by("pk").first()
    return reverse("guarantees:request_detail", args=[guarantee.pk])


def visitors() -> dict[str, Visitor]:
    applicant_org = Organisation.objects.get(enterprise_number="0412345614")
    mine = {"lead_organisation": applicant_org}
    order = PaymentOrder.objects.filter(administration__code="cocof", state="pending").order_by("pk").first()
    call = Call.objects.order_by("pk").first()
    applicant_lists = [reverse("grants:call_list"), reverse("grants:application_list")]
    officer_lists = [
        reverse("core:work_queue"),
        reverse("grants:application_list"),
        reverse("grants:call_list"),
        reverse("core:payment_order_list"),
    ]
    active = Agreement.objects.get(state="active", mentor__enterprise_number="0434567819")
    declarations = {d.state: d for d in HoursDeclaration.objects.filter(agreement=active)}
    mentoring_lists = [
        reverse("mentoring:agreement_list"),
        reverse("mentoring:declaration_list"),
        reverse("mentoring:overview"),
        reverse("mentoring:mentor_admin"),
    ]
    return {
        "mentor": Visitor(
            "mentor@demo.example",
            [
                reverse("mentoring:home"),
                reverse("mentoring:directory"),
                active.get_absolute_url(),
                reverse("mentoring:declaration_edit", args=[declarations["draft"].pk]),
                declarations["validated"].get_absolute_url(),
                reverse("mentoring:agreement_start"),
            ],
            [reverse("mentoring:home"), reverse("mentoring:agreement_list")],
        ),
        "anonymous": Visitor(
            None,
            [
                "/",
                reverse("account_login"),
                reverse("account_signup"),
                reverse("account_reset_password"),
                reverse("open_data"),
                "/no-such-page/",
            ],
            [],
        ),
        "applicant": Visitor(
            "applicant@demo.example",
            [
                "/",
                *applicant_lists,
                _file(state="in_progress", **mine),
                _file(state="draft", **mine),
                reverse("core:inbox"),
                reverse("accounts:organisation_list"),
                reverse("accounts:organisation_detail", args=[applicant_org.pk]),
                reverse("grants:call_detail", args=[call.pk]),
                reverse("accounts:profile"),
                reverse("core:eligibility_check"),
                # Reviews are for officers: the refusal page (403) with its reason.
                reverse("grants:review", args=[_file_pk(state="in_progress", **mine)]),
                reverse("guarantees:request_list"),
                reverse("guarantees:request_new"),
                _guarantee(state="active", borrower=applicant_org),
                _guarantee(state="draft", borrower=applicant_org),
            ],
            [
                *applicant_lists,
                reverse("core:inbox"),
                reverse("accounts:organisation_list"),
                reverse("guarantees:request_list"),
            ],
        ),
        "lender": Visitor(
            "lender@demo.example",
            [
                reverse("guarantees:request_list"),
                reverse("guarantees:lender_loans"),
                _guarantee(state="active", lender__is_financial_institution=True, declarations__isnull=False),
            ],
            [reverse("guarantees:request_list"), reverse("guarantees:lender_loans")],
        ),
        "officer": Visitor(
            "officer.cocof@demo.example",
            [
                *officer_lists,
                "/",
                reverse("core:dashboards"),
                reverse("core:tasks"),
                _file(state="under_review", administration__code="cocof"),
                _file(state="screening", administration__code="cocof"),
                reverse("grants:call_detail", args=[call.pk]),
                reverse("guarantees:request_list"),
                reverse("guarantees:portfolio"),
                _guarantee(state="closed", administration__code="cocof"),
                _guarantee(state="active", administration__code="cocof"),
                *mentoring_lists,
            ],
            [
                *officer_lists,
                reverse("core:dashboards"),
                reverse("guarantees:request_list"),
                reverse("guarantees:portfolio"),
                *mentoring_lists,
            ],
        ),
        "approver": Visitor(
            "approver.cocof@demo.example",
            [
                reverse("core:work_queue"),
                _file(state="approved", administration__code="cocof"),
                f"{declarations['confirmed'].get_absolute_url()}transitions/validate/",
            ],
            [reverse("core:work_queue")],
        ),
        "finance": Visitor(
            "finance.cocof@demo.example",
            [
                "/",
                reverse("core:tasks"),
                reverse("core:payment_order_list"),
                order.get_absolute_url(),
                f"{order.get_absolute_url()}transitions/cancel/",
                _file(state="closed", administration__code="cocof"),
            ],
            [reverse("core:payment_order_list"), reverse("core:work_queue"), reverse("core:tasks")],
        ),
    }


def open_as(new_context, base_url: str, visitor: Visitor, language: str, viewport: dict):
    """A browser page signed in as the visitor (through a session cookie), reading `language`."""
    context = new_context(locale=f"{language}-BE", viewport=viewport)
    if visitor.email is not None:
        user = User.objects.get(email=visitor.email)
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
        )
    return context.new_page()
