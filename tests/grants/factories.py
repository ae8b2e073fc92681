"""Grant factories: an open call with envelopes, a complete draft, and a helper that walks an
application through the real transitions to any state."""

from datetime import date, timedelta
from decimal import Decimal

import factory

from core.workflow import perform_transition
from grants.choices import Axis, BudgetCategory, InitiativeLegalForm, Logic, MutualisationType, Recommendation
from grants.models import BudgetLine, Call, Envelope, GrantApplication, Review
from grants.services import file_report
from grants.workflow import State
from tests.factories import OrganisationFactory, RecognitionFactory, administration, applicant, staff


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    title_fr = factory.Sequence(lambda n: f"Appel mutualisation n°{n}")
    title_nl = factory.Sequence(lambda n: f"Oproep mutualisering nr. {n}")
    opens_on = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: date.today() + timedelta(days=50))
    max_amount_per_application = Decimal("150000.00")
    advance_percentage = Decimal("70.00")
    acceptance_days = 60
    required_documents = factory.LazyFunction(list)

    class Params:
        closed = factory.Trait(
            opens_on=factory.LazyFunction(lambda: date.today() - timedelta(days=90)),
            closes_on=factory.LazyFunction(lambda: date.today() - timedelta(days=1)),
        )

    @factory.post_generation
    def envelopes(obj, create, extracted, **kwargs):
        """`envelopes={"cocof": Decimal(...)}`; by default 500 000 € for each administration."""
        if not create:
            return
        amounts = (
            extracted
            if extracted is not None
            else {"cocof": Decimal("500000"), "iriscare": Decimal("500000")}
        )
        for code, amount in amounts.items():
            Envelope.objects.create(call=obj, administration=administration(code), amount=amount)


class GrantApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to submit: eligible lead (Cocof), one partner, one budget line."""

    class Meta:
        model = GrantApplication
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    lead_organisation = factory.LazyFunction(lambda: RecognitionFactory().organisation)
    title = "Shared accounting office"
    description = "Three associations pool an accountant and their bookkeeping software."
    axes = factory.LazyFunction(lambda: [Axis.SUPPORT_FUNCTIONS])
    types = factory.LazyFunction(lambda: [MutualisationType.HR_SUPPORT])
    logics = factory.LazyFunction(lambda: [Logic.MANAGERIAL, Logic.PROFESSIONALISATION])
    initiative_legal_form = InitiativeLegalForm.AGREEMENT
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=400))
    requested_amount = Decimal("40000.00")
    expected_effects = "Shorter waiting lists thanks to time saved on administration."

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create:
            obj.partners.set(extracted if extracted is not None else [OrganisationFactory()])

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            BudgetLine.objects.create(
                application=obj,
                category=BudgetCategory.COORDINATION_HOURS,
                description="Coordination",
                hours=Decimal("400"),
                hourly_cost=Decimal("50"),
                amount=Decimal("20000.00"),
            )
            BudgetLine.objects.create(
                application=obj,
                category=BudgetCategory.STAFF,
                description="Shared accountant",
                amount=Decimal("30000.00"),
            )


def review(application, reviewer=None, **scores) -> Review:
    values = dict.fromkeys(Review.SCORE_FIELDS, 4) | {"recommendation": Recommendation.AWARD} | scores
    return Review.objects.create(application=application, reviewer=reviewer or staff("officer"), **values)


class Cast:
    """The people acting on one application."""

    def __init__(self, application):
        self.applicant = applicant(application.lead_organisation)
        self.officer = staff("officer")
        self.reviewer = staff("officer")
        self.approver = staff("approver")


def advance_to(
    application: GrantApplication, target: str, cast: Cast | None = None, *, awarded=Decimal("35000.00")
):
    """Walk the application through the real transitions until it reaches `target`."""
    cast = cast or Cast(application)
    steps = {
        State.SUBMITTED: [("submit", cast.applicant, {})],
        State.SCREENING: [("start_screening", cast.officer, {})],
        State.UNDER_REVIEW: [("admit", cast.officer, {})],
        State.APPROVED: [("approve", cast.approver, {"awarded_amount": str(awarded)})],
        State.IN_PROGRESS: [("accept", cast.applicant, {})],
        State.FINAL_REPORT_SUBMITTED: [("submit_final_report", cast.applicant, {})],
        State.CLOSED: [("close", cast.approver, {"accepted_expenses": str(awarded)})],
    }
    order = [
        State.SUBMITTED,
        State.SCREENING,
        State.UNDER_REVIEW,
        State.APPROVED,
        State.IN_PROGRESS,
        State.FINAL_REPORT_SUBMITTED,
        State.CLOSED,
    ]
    for state in order[: order.index(target) + 1]:
        if state == State.APPROVED and not application.reviews.exists():
            review(application, cast.reviewer)
        if state == State.FINAL_REPORT_SUBMITTED:
            file_report(
                acting_user=cast.applicant,
                application=application,
                kind="final",
                activities="Done",
                expenses={line.pk: line.amount for line in application.budget_lines.all()},
            )
        for name, user, data in steps[state]:
            application = perform_transition(file=application, name=name, acting_user=user, data=data)
    return application


# -- helpers for the service-level tests of the grant workflow ------------------------------------


def act(application, name: str, user, **data):
    """Perform transition `name` as `user` through the shared service, as web views and the API do."""
    return perform_transition(file=application, name=name, acting_user=user, data=data)


class StaffCast(Cast):
    """The people acting on an application routed to `administration_code`."""

    def __init__(self, application, administration_code: str = "cocof"):
        self.applicant = applicant(application.lead_organisation)
        self.officer = staff("officer", administration_code)
        self.reviewer = staff("officer", administration_code)
        self.approver = staff("approver", administration_code)


def iriscare_application(**fields) -> GrantApplication:
    """A complete draft whose lead is recognised by COCOM/GGC, so that it is routed to Iriscare."""
    return GrantApplicationFactory(lead_organisation=RecognitionFactory(iriscare=True).organisation, **fields)


def ready_for_decision(application=None, cast=None, administration_code: str = "cocof", **fields):
    """An application under review with one review (by `cast.reviewer`), and the people acting on it."""
    application = application or GrantApplicationFactory(**fields)
    cast = cast or StaffCast(application, administration_code)
    application = advance_to(application, State.UNDER_REVIEW, cast)
    review(application, cast.reviewer)
    return application, cast


def application_in(state: str, **fields):
    """A new application walked to `state` through the real transitions, and the people acting on it.

    Besides the main path of `advance_to`, knows `information_requested`."""
    application = GrantApplicationFactory(**fields)
    cast = StaffCast(application)
    if state == State.DRAFT:
        return application, cast
    if state == State.INFORMATION_REQUESTED:
        application = advance_to(application, State.SCREENING, cast)
        return act(application, "request_information", cast.officer, comment="Send the statutes."), cast
    return advance_to(application, state, cast), cast


def pay(order, finance=None):
    """Approve (four eyes: by someone other than its creator) and mark a payment order paid."""
    finance = finance or staff("finance", order.administration.code)
    order = perform_transition(file=order, name="approve", acting_user=finance)
    return perform_transition(file=order, name="mark_paid", acting_user=finance)


def pdf_upload(name: str = "statuts.pdf", text: str = "Statuts de l'ASBL"):
    """A small but real PDF, as an uploaded file."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def past_deadline(application: GrantApplication) -> GrantApplication:
    """Move an approved application's acceptance deadline to yesterday (the award may now lapse)."""
    GrantApplication.objects.filter(pk=application.pk).update(
        acceptance_deadline=date.today() - timedelta(days=1)
    )
    application.refresh_from_db()
    return application


def declared_free_of_conflict(application, officer):
    """The officer declares no conflict of interest with the file's organisations (before a review)."""
    from core.instruction import declare_conflict

    return declare_conflict(file=application, acting_user=officer, has_conflict=False)
