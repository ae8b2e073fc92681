"""Scope defined once: a file type declares its parties and administration; `visible_to` builds the
one queryset every list, detail, export and download starts from, without joins or DISTINCT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.locking import lock_file, lock_rows
from core.models import PaymentOrder
from core.scope import party_organisation_ids, roles_of, visible_to
from grants.models import GrantApplication
from grants.states import State
from tests.factories import OrganisationFactory, PaymentOrderFactory, applicant, staff
from tests.grants.factories import GrantApplicationFactory, advance_to

pytestmark = pytest.mark.django_db


def test_members_of_the_lead_see_their_draft():
    application = GrantApplicationFactory()

    assert list(visible_to(GrantApplication, applicant(application.lead_organisation))) == [application]


def test_members_of_a_partner_see_the_file_but_are_not_applicants():
    application = GrantApplicationFactory()
    partner_member = applicant(application.partners.get())

    assert list(visible_to(GrantApplication, partner_member)) == [application]
    assert not application.acting_organisation_ids() & {application.partners.get().pk}
    assert roles_of(application, partner_member) == {"partner"}


def test_staff_do_not_see_drafts_but_see_submitted_files_of_their_administration():
    draft = GrantApplicationFactory()
    submitted = advance_to(GrantApplicationFactory(), State.SUBMITTED)

    assert list(visible_to(GrantApplication, staff("officer"))) == [submitted]
    assert draft not in visible_to(GrantApplication, staff("approver"))


def test_staff_of_the_other_administration_see_nothing():
    advance_to(GrantApplicationFactory(), State.SUBMITTED)

    assert not visible_to(GrantApplication, staff("officer", "iriscare")).exists()


def test_someone_unrelated_sees_nothing():
    GrantApplicationFactory()

    assert not visible_to(GrantApplication, applicant(OrganisationFactory())).exists()


def test_the_visibility_query_uses_no_distinct_and_no_join_on_partners():
    application = GrantApplicationFactory()
    user = applicant(application.lead_organisation)
    user.staff_roles.create(
        administration_id=staff("officer").staff_roles.get().administration_id, role="officer"
    )

    with CaptureQueriesContext(connection) as queries:
        list(visible_to(GrantApplication, user))

    sql = queries.captured_queries[-1]["sql"].upper()
    assert "DISTINCT" not in sql
    assert "JOIN" not in sql
    assert "UNION ALL" in sql  # lead and partner files, each through its own index


def test_payment_orders_are_visible_to_every_staff_role_of_their_administration_only():
    order = PaymentOrderFactory()

    assert list(visible_to(PaymentOrder, staff("finance"))) == [order]
    assert list(visible_to(PaymentOrder, staff("officer"))) == [order]
    assert not visible_to(PaymentOrder, staff("finance", "iriscare")).exists()


def test_party_organisation_ids_name_the_lead_and_partners_by_role():
    application = GrantApplicationFactory()

    assert party_organisation_ids(application, "lead") == {application.lead_organisation_id}
    assert party_organisation_ids(application) == {
        application.lead_organisation_id,
        application.partners.get().pk,
    }


@pytest.mark.django_db(transaction=True)
def test_locks_refuse_to_run_outside_a_transaction(reference_data):
    application = GrantApplicationFactory()

    with pytest.raises(RuntimeError):
        lock_file(GrantApplication, application.pk)
    with pytest.raises(RuntimeError):
        lock_rows(GrantApplication.objects.all())


def test_a_deep_page_holds_the_same_rows_in_the_same_order_as_plain_offsets():
    from django.core.paginator import Paginator

    from core.pagination import LateLookupPaginator

    for _ in range(7):
        GrantApplicationFactory(budget=False)
    applications = GrantApplication.objects.order_by("-created_at", "-id")

    late = [list(LateLookupPaginator(applications, 3).page(n)) for n in (1, 2, 3)]
    plain = [list(Paginator(applications, 3).page(n)) for n in (1, 2, 3)]

    assert late == plain
