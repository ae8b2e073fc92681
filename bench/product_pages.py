"""What the proof issue's volume benchmark adds to the pages of each scheme (issue 10, §1).

- the remaining officer lists and queues, filtered, on the web and in the API, the grant receipt,
  the portfolio's stress scenario with rates of its own and the organisation page across schemes
  (`product_pages`: read-only, driven like every other page);
- a transition of each file type, each request on a file of its own (`transition_runs`: the grant
  and the guarantee taken into screening, an agreement approved, hours validated, a payment order
  approved), through the API as the staff member who may perform it;
- one SEPA export of 1,000 orders and one 1,000-row lender CSV, sent over HTTP once the pages have
  been measured (`prepare_sepa_export`, `lender_csv`), since each changes what it touches.

Everything is read from the volume database before gunicorn starts, except the SEPA preparation,
which writes the orders it exports and runs after the pages.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Administration, Organisation, User
from bench.guarantees_volume import ready_for_export
from core.models import PaymentOrder
from grants.models import GrantApplication
from guarantees.models import GuaranteeRequest
from peer_mentoring.models import Agreement, HoursDeclaration

JSON = {"Content-Type": "application/json"}
STRESS = "A=0.5&B=1.5&C=4&D=9&E=20"


def api_headers(user: User) -> dict[str, str]:
    token = Token.objects.get_or_create(user=user)[0]
    return {"Host": "127.0.0.1", "Authorization": f"Token {token.key}", "X-Forwarded-Proto": "https"}


def _organisation_across_schemes() -> Organisation:
    """The organisation with the most grant files among those that also borrow and mentor or are mentored."""
    in_agreement = Agreement.objects.filter(Q(mentor_id=OuterRef("pk")) | Q(mentee_id=OuterRef("pk")))
    borrowing = GuaranteeRequest.objects.filter(borrower_id=OuterRef("pk"))
    candidates = Organisation.objects.filter(Exists(borrowing), Exists(in_agreement))
    lead_counts = (
        GrantApplication.objects.filter(lead_organisation__in=candidates)
        .values_list("lead_organisation_id")
        .order_by()
    )
    best = lead_counts.annotate(files=Count("pk")).order_by("-files", "lead_organisation_id").first()
    return Organisation.objects.get(pk=best[0]) if best else candidates.order_by("pk").first()


def product_pages(volume, officer_web, officer_api, finance_web, finance_api) -> list[tuple]:
    """(label, path, headers, export) of the pages the scheme modules do not already measure."""
    receipt = (
        GrantApplication.objects.filter(administration__code="cocof", state="submitted")
        .order_by("pk")
        .first()
    )
    organisation = _organisation_across_schemes()
    lender_api = api_headers(volume.lender)
    return [
        # Filtered lists, web and API
        (
            "grants ?state=submitted&administration",
            "/grants/applications/?state=submitted&administration=cocof",
            officer_web,
            False,
        ),
        ("API grants ?state=submitted", "/api/v1/grants/applications/?state=submitted", officer_api, False),
        (
            "guarantees ?state=active&rating=C",
            "/guarantees/requests/?state=active&rating=C",
            officer_web,
            False,
        ),
        ("API guarantees ?state=active", "/api/v1/guarantees/requests/?state=active", officer_api, False),
        ("agreements ?state=active", "/mentoring/agreements/?state=active", officer_web, False),
        (
            "API agreements ?state=submitted",
            "/api/v1/mentoring/agreements/?state=submitted",
            officer_api,
            False,
        ),
        ("declarations ?state=confirmed", "/mentoring/declarations/?state=confirmed", officer_web, False),
        (
            "API declarations ?state=confirmed",
            "/api/v1/mentoring/declarations/?state=confirmed",
            officer_api,
            False,
        ),
        (
            "finance orders ?state=approved&scheme",
            "/payments/orders/?state=approved&scheme=grants",
            finance_web,
            False,
        ),
        ("API orders ?state=pending", "/api/v1/payments/orders/?state=pending", finance_api, False),
        ("API payments/batches/", "/api/v1/payments/batches/", finance_api, False),
        # The other staff lists and queues
        ("officer /recognitions/to-verify/", "/recognitions/to-verify/", officer_web, False),
        ("officer /organisations/", "/organisations/", officer_web, False),
        ("API organisations/", "/api/v1/organisations/", officer_api, False),
        ("officer /mentoring/mentors/", "/mentoring/mentors/", officer_web, False),
        ("API mentoring/mentor-applications/", "/api/v1/mentoring/mentor-applications/", officer_api, False),
        ("officer /grants/calls/", "/grants/calls/", officer_web, False),
        ("API grants/calls/", "/api/v1/grants/calls/", officer_api, False),
        ("API search/ (words)", "/api/v1/search/?q=mutualisation+partenaires", officer_api, False),
        ("officer /inbox/", "/inbox/", officer_web, False),
        ("API notifications/", "/api/v1/notifications/", officer_api, False),
        ("API tasks/ (officer)", "/api/v1/tasks/", officer_api, False),
        ("lender API guarantees/requests/", "/api/v1/guarantees/requests/", lender_api, False),
        # The organisation across the three schemes
        (
            "organisation page (three schemes)",
            f"/organisations/{organisation.pk}/",
            officer_web,
            False,
        ),
        ("API organisation", f"/api/v1/organisations/{organisation.pk}/", officer_api, False),
        # The remaining PDFs and the stress scenario with rates of its own
        ("grant receipt PDF (web)", receipt.get_absolute_url() + "receipt.pdf", officer_web, False),
        ("grant receipt PDF (API)", f"/api/v1/grants/applications/{receipt.pk}/receipt/", officer_api, False),
        ("portfolio stress scenario (web)", f"/guarantees/portfolio/?{STRESS}", officer_web, False),
        ("API portfolio stress scenario", f"/api/v1/guarantees/portfolio/?{STRESS}", officer_api, False),
        # The other schemes' exports
        ("export guarantees CSV", "/guarantees/requests/export.csv", officer_web, True),
        ("export declarations CSV", "/mentoring/declarations/export.csv", officer_web, True),
    ]


def transition_runs(volume, requests: int) -> list[tuple[str, list[str], dict]]:
    """(label, paths, headers) of one transition per file type: each path a file of its own, in the
    state the transition leaves from, performed by whom the rules allow (`requests`, the warm-up included)."""
    wanted = requests
    staff = volume.staff
    officer, approver, finance = (
        api_headers(staff["officer.cocof"]),
        api_headers(staff["approver.cocof"]),
        api_headers(staff["finance.cocof"]),
    )
    cocof = Administration.objects.get(code="cocof")

    def paths(queryset, prefix: str, name: str) -> list[str]:
        return [
            f"{prefix}{pk}/transitions/{name}/"
            for pk in queryset.order_by("pk").values_list("pk", flat=True)[:wanted]
        ]

    runs = [
        (
            "transition: grant start_screening",
            paths(
                GrantApplication.objects.filter(administration=cocof, state="submitted"),
                "/api/v1/grants/applications/",
                "start_screening",
            ),
            officer,
        ),
        (
            "transition: guarantee start_screening",
            paths(
                GuaranteeRequest.objects.filter(administration=cocof, state="submitted"),
                "/api/v1/guarantees/requests/",
                "start_screening",
            ),
            officer,
        ),
        (
            "transition: agreement approve",
            paths(
                Agreement.objects.filter(administration=cocof, state="submitted"),
                "/api/v1/mentoring/agreements/",
                "approve",
            ),
            approver,
        ),
        (
            "transition: hours validate",
            paths(
                HoursDeclaration.objects.filter(administration=cocof, state="confirmed"),
                "/api/v1/mentoring/declarations/",
                "validate",
            ),
            approver,
        ),
        (
            "transition: payment order approve",
            paths(
                PaymentOrder.objects.filter(administration=cocof, state="pending")
                .exclude(created_by=staff["finance.cocof"])
                .exclude(kind__in=PaymentOrder.RECEIVABLE_KINDS),
                "/api/v1/payments/orders/",
                "approve",
            ),
            finance,
        ),
    ]
    return [(label, found, {**headers, **JSON}) for label, found, headers in runs if found]


def prepare_sepa_export(volume, count: int = 1_000) -> tuple[str, dict, int]:
    """Iriscare's finance gets `count` approved, not yet exported outgoing orders (the others of
    Iriscare are marked exported); returns the export's path, its headers and the order count."""
    ready = ready_for_export(Administration.objects.get(code="iriscare"), count)
    headers = api_headers(volume.staff["finance.iriscare"])
    return "/api/v1/payments/orders/export/?administration=iriscare", headers, ready


def lender_csv(volume, rows: int = 1_000) -> tuple[str, dict, bytes, int]:
    """A quarter's declarations for up to `rows` of the bench lender's running loans, as the
    multipart body of `declarations-upload/`; returns path, headers, body and row count."""
    from guarantees.uploads import lender_loans_queryset

    loans = list(
        lender_loans_queryset(volume.lender)
        .order_by("reference")
        .values_list("reference", "disbursed_amount")[:rows]
    )
    today = timezone.localdate().isoformat()
    lines = ["reference,as_of,outstanding_principal,arrears_amount,arrears_days"] + [
        f"{reference},{today},{(amount * Decimal('0.75')).quantize(Decimal('0.01'))},"
        f"{'0.00' if index % 10 else '600.00'},{0 if index % 10 else 35}"
        for index, (reference, amount) in enumerate(loans)
    ]
    boundary = "bench-boundary-7d1f0c"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="quarter"\r\n\r\n{today}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="declarations.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n" + "\n".join(lines) + f"\n\r\n--{boundary}--\r\n"
    ).encode()
    headers = {**api_headers(volume.lender), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return "/api/v1/guarantees/requests/declarations-upload/", headers, body, len(loans)
