"""Everyone's tasks: what each person must do next, across the schemes, with a deadline and a link,
on the home page and under /api/v1/tasks/, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core import instruction
from core.todo import describe, task_rows
from grants.states import State
from guarantees.models import LenderDeclaration
from guarantees.services import quarter_of
from guarantees.states import State as GuaranteeState
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import PaymentOrderFactory, UserFactory, applicant, staff
from tests.grants.factories import GrantApplicationFactory, application_in, ready_for_decision, review
from tests.grants.factories import act as grant_act
from tests.guarantees import factories as guarantee_factories
from tests.peer_mentoring import factories as mentoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for(api_client):
    def make(user):
        if user is not None:
            api_client.force_authenticate(user)
        return api_client

    return make


def tasks_of(user) -> list[tuple[str, str]]:
    rows = task_rows(user)
    return [] if rows is None else [(row["task"], row["url"]) for row in describe(rows)]


def test_an_applicant_is_asked_to_answer_an_information_request():
    application, cast = application_in(State.INFORMATION_REQUESTED)

    assert ("answer", f"/grants/applications/{application.pk}/") in tasks_of(cast.applicant)


def test_an_applicant_is_asked_to_accept_an_award_with_its_acceptance_deadline():
    application, cast = application_in(State.APPROVED)

    [task] = [row for row in describe(task_rows(cast.applicant)) if row["task"] == "accept_award"]

    assert task["due"] == application.acceptance_deadline
    assert task["reference"] == application.reference


def test_a_running_grant_asks_for_its_final_report():
    application, cast = application_in(State.IN_PROGRESS)

    assert ("final_report", f"/grants/applications/{application.pk}/") in tasks_of(cast.applicant)


def test_a_partner_organisation_only_reads_the_file_and_has_no_task_on_it():
    application, cast = application_in(State.INFORMATION_REQUESTED)
    partner = GrantApplicationFactory().lead_organisation
    application.partners.add(partner)

    assert all(url != f"/grants/applications/{application.pk}/" for _, url in tasks_of(applicant(partner)))


def test_a_file_leaves_the_applicants_tasks_once_answered():
    application, cast = application_in(State.INFORMATION_REQUESTED)

    grant_act(application, "resubmit", cast.applicant)

    assert all(url != f"/grants/applications/{application.pk}/" for _, url in tasks_of(cast.applicant))


def test_a_mentee_is_asked_to_confirm_the_hours_submitted():
    agreement, cast = mentoring.agreement_in(AgreementState.ACTIVE)
    declaration = mentoring.declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    assert ("confirm_hours", f"/mentoring/declarations/{declaration.pk}/") in tasks_of(cast.mentee)
    assert all(task != "confirm_hours" for task, _ in tasks_of(cast.mentor))


def test_the_side_that_did_not_propose_an_agreement_is_asked_to_accept_it():
    agreement, cast = mentoring.agreement_in(AgreementState.PROPOSED)

    assert ("accept_agreement", f"/mentoring/agreements/{agreement.pk}/") in tasks_of(cast.mentee)
    assert all(task != "accept_agreement" for task, _ in tasks_of(cast.mentor))


def test_a_lender_is_asked_for_the_quarters_declaration_of_each_running_loan_until_declared():
    request = guarantee_factories.advance_to(
        guarantee_factories.GuaranteeRequestFactory(), GuaranteeState.ACTIVE
    )
    lender = applicant(request.lender)
    assert ("declare_balance", f"/guarantees/requests/{request.pk}/") in tasks_of(lender)

    LenderDeclaration.objects.create(
        request=request,
        quarter=quarter_of(timezone.localdate()),
        as_of=timezone.localdate(),
        outstanding_principal=request.loan_amount,
        declared_by=lender,
    )

    assert ("declare_balance", f"/guarantees/requests/{request.pk}/") not in tasks_of(lender)


def test_an_officer_sees_the_files_assigned_to_them_and_not_the_others():
    assigned, cast = application_in(State.SCREENING)
    other, _ = application_in(State.SCREENING)
    instruction.assign(file=assigned, acting_user=cast.officer, officer=cast.reviewer)

    tasks = tasks_of(cast.reviewer)

    assert ("assigned", f"/grants/applications/{assigned.pk}/") in tasks
    assert all(url != f"/grants/applications/{other.pk}/" for _, url in tasks)


def test_a_requested_review_is_a_task_until_the_review_is_recorded():
    application, cast = application_in(State.UNDER_REVIEW)
    reviewer = staff("officer")
    instruction.request_reviews(file=application, acting_user=cast.approver, officers=[reviewer])
    assert ("review", f"/grants/applications/{application.pk}/") in tasks_of(reviewer)

    review(application, reviewer)

    assert ("review", f"/grants/applications/{application.pk}/") not in tasks_of(reviewer)


def test_an_approver_is_asked_to_decide_on_the_files_under_review_of_their_administration():
    application, cast = ready_for_decision()
    iriscare_approver = staff("approver", "iriscare")

    assert ("decide", f"/grants/applications/{application.pk}/") in tasks_of(cast.approver)
    assert ("decide", f"/grants/applications/{application.pk}/") not in tasks_of(iriscare_approver)


def test_an_approver_with_a_declared_conflict_is_not_asked_to_decide():
    application, cast = ready_for_decision()
    instruction.declare_conflict(
        file=application, acting_user=cast.approver, has_conflict=True, explanation="Board member"
    )

    assert ("decide", f"/grants/applications/{application.pk}/") not in tasks_of(cast.approver)


def test_finance_is_asked_to_approve_pending_orders_but_never_their_own():
    finance, colleague = staff("finance"), staff("finance")
    theirs = PaymentOrderFactory(created_by=finance)
    others = PaymentOrderFactory(created_by=colleague)

    tasks = tasks_of(finance)

    assert ("approve_payment", f"/payments/orders/{others.pk}/") in tasks
    assert ("approve_payment", f"/payments/orders/{theirs.pk}/") not in tasks


def test_tasks_come_soonest_deadline_first_and_overdue_ones_are_marked():
    finance = staff("finance")
    later = PaymentOrderFactory(due_date=timezone.localdate() + timedelta(days=20))
    late = PaymentOrderFactory(due_date=timezone.localdate() - timedelta(days=2))

    rows = describe(task_rows(finance))

    assert [row["pk"] for row in rows] == [late.pk, later.pk]
    assert [row["overdue"] for row in rows] == [True, False]


def test_the_tasks_cost_the_same_queries_for_one_file_or_many(django_assert_max_num_queries):
    _, cast = application_in(State.INFORMATION_REQUESTED)
    for _ in range(5):
        GrantApplicationFactory(lead_organisation=cast.applicant.memberships.first().organisation)

    with django_assert_max_num_queries(3):
        rows = list(task_rows(cast.applicant))

    assert len(rows) == 6


def test_someone_without_organisation_or_role_has_no_task():
    assert task_rows(UserFactory()) is None


# -- on the web and in the API ------------------------------------------------------------------


def test_the_applicants_home_page_lists_their_tasks_with_a_link(client_for):
    application, cast = application_in(State.INFORMATION_REQUESTED)

    page = client_for(cast.applicant).get("/")

    assert b'data-task="answer"' in page.content
    assert f'href="/grants/applications/{application.pk}/"'.encode() in page.content


def test_the_staff_home_page_lists_their_tasks(client_for):
    application, cast = ready_for_decision()

    page = client_for(cast.approver).get("/")

    assert page.status_code == 200
    assert b'data-task="decide"' in page.content
    assert b'href="/work-queue/"' in page.content


def test_the_tasks_page_lists_every_task_page_by_page(client_for):
    finance = staff("finance")
    PaymentOrderFactory.create_batch(30)

    first = client_for(finance).get("/tasks/")
    second = client_for(finance).get("/tasks/?page=2")

    assert first.content.count(b'data-task="approve_payment"') == 25
    assert second.content.count(b'data-task="approve_payment"') == 5


def test_the_home_page_links_to_all_tasks_when_there_are_more_than_it_shows(client_for):
    finance = staff("finance")
    PaymentOrderFactory.create_batch(12)

    page = client_for(finance).get("/")

    assert page.content.count(b'data-task="approve_payment"') == 10
    assert b'href="/tasks/"' in page.content


def test_the_api_lists_the_callers_tasks(api_for):
    application, cast = application_in(State.APPROVED)

    response = api_for(cast.applicant).get("/api/v1/tasks/")

    assert response.status_code == 200
    [task] = [row for row in response.json()["results"] if row["task"] == "accept_award"]
    assert task["id"] == application.pk
    assert task["reference"] == application.reference
    assert task["deadline"] == application.acceptance_deadline.isoformat()
    assert task["url"] == f"/grants/applications/{application.pk}/"
    assert task["overdue"] is False


def test_the_api_answers_an_empty_list_to_someone_without_tasks(api_for):
    response = api_for(UserFactory()).get("/api/v1/tasks/")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_tasks_are_for_signed_in_users_only(api_for, client_for):
    assert api_for(None).get("/api/v1/tasks/").status_code in (401, 403)
    assert client_for(None).get("/tasks/").status_code == 302
