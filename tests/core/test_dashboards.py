"""The staff's dashboards: each figure equals a sum computed independently here; charts are drawn on
the server with their table beside them; staff only."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from core.charts import bar_chart
from core.dashboards import dashboard, files_by_state, median_days_in_state, section_data
from core.models import HistoryEntry, PaymentOrder
from grants.dashboards import envelopes_per_call
from grants.models import GrantApplication
from grants.states import RESERVING, State
from guarantees.dashboards import month_ends
from guarantees.selectors import exposure_history, fund_exposure
from guarantees.states import State as GuaranteeState
from peer_mentoring.dashboards import hours_per_month
from peer_mentoring.models import HoursDeclaration
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import administration, applicant, staff
from tests.grants.factories import CallFactory, GrantApplicationFactory, application_in, pay
from tests.guarantees import factories as guarantee_factories
from tests.peer_mentoring import factories as mentoring

pytestmark = pytest.mark.django_db


# -- the chart's geometry ---------------------------------------------------------------------------


def test_the_largest_value_draws_the_tallest_bar_and_heights_are_proportional():
    chart = bar_chart(["a", "b"], {"s": [Decimal("50"), Decimal("100")]})

    small, large = chart.bars

    assert large.height == pytest.approx(2 * small.height)
    assert large.y < small.y


def test_a_zero_or_negative_value_draws_no_bar_height():
    chart = bar_chart(["a", "b", "c"], {"s": [0, Decimal("-5"), 10]})

    assert [bar.height for bar in chart.bars[:2]] == [0, 0]


def test_each_category_has_one_bar_per_series_side_by_side():
    chart = bar_chart(["a", "b"], {"x": [1, 2], "y": [3, 4]})

    assert len(chart.bars) == 4
    assert chart.bars[0].x < chart.bars[1].x < chart.bars[2].x
    assert [bar.series for bar in chart.bars] == [0, 1, 0, 1]


def test_no_category_draws_nothing():
    assert bar_chart([], {"x": []}).bars == []


# -- files by state and the median time in each state ------------------------------------------------


def test_files_are_counted_by_state_per_administration():
    officer = staff("officer")
    application_in(State.SCREENING)
    application_in(State.SCREENING)
    application_in(State.UNDER_REVIEW)

    section = files_by_state(GrantApplication, "Grants", officer)

    counts = {row["state_code"]: row["files"] for row in section.rows}
    expected = {
        state: GrantApplication.objects.filter(administration__code="cocof", state=state).count()
        for state in (State.SCREENING, State.UNDER_REVIEW)
    }
    assert counts[State.SCREENING] == expected[State.SCREENING] == 2
    assert counts[State.UNDER_REVIEW] == expected[State.UNDER_REVIEW] == 1


def past_history(file, *steps):
    """History rows of transitions that happened in the past: (name, source, target, when)."""
    content_type = ContentType.objects.get_for_model(type(file))
    HistoryEntry.objects.bulk_create(
        HistoryEntry(
            content_type=content_type,
            object_id=file.pk,
            transition=name,
            source_state=source,
            target_state=target,
            at=when,
        )
        for name, source, target, when in steps
    )


def test_the_median_stay_in_a_state_is_the_middle_of_the_stays_that_ended():
    cocof = administration("cocof")
    start = timezone.now() - timedelta(days=30)
    for days in (2, 3, 10):  # days each file spent submitted before its screening started
        file = GrantApplicationFactory()
        GrantApplication.objects.filter(pk=file.pk).update(administration=cocof, state=State.SCREENING)
        past_history(
            file,
            ("submit", State.DRAFT, State.SUBMITTED, start),
            ("start_screening", State.SUBMITTED, State.SCREENING, start + timedelta(days=days)),
        )

    medians = median_days_in_state(GrantApplication, [cocof.pk])

    assert medians[(cocof.pk, State.SUBMITTED)] == Decimal("3.0")
    assert (cocof.pk, State.SCREENING) not in medians  # still running: not counted


def test_entries_that_do_not_change_the_state_do_not_split_a_stay():
    cocof = administration("cocof")
    start = timezone.now() - timedelta(days=30)
    file = GrantApplicationFactory()
    GrantApplication.objects.filter(pk=file.pk).update(administration=cocof, state=State.SCREENING)
    past_history(
        file,
        ("submit", State.DRAFT, State.SUBMITTED, start),
        ("document_added", State.SUBMITTED, State.SUBMITTED, start + timedelta(days=1)),
        ("start_screening", State.SUBMITTED, State.SCREENING, start + timedelta(days=4)),
    )

    assert median_days_in_state(GrantApplication, [cocof.pk])[(cocof.pk, State.SUBMITTED)] == Decimal("4.0")


def test_the_dashboard_shows_no_file_of_another_administration():
    application_in(State.SCREENING)
    iriscare_officer = staff("officer", "iriscare")

    section = files_by_state(GrantApplication, "Grants", iriscare_officer)

    assert section.rows == []


# -- the schemes' sections ---------------------------------------------------------------------------


def test_the_envelope_figures_equal_the_awards_and_payments_of_the_call():
    call = CallFactory(envelopes={"cocof": Decimal("200000")})
    approved, cast = application_in(State.APPROVED, call=call)
    running, _ = application_in(State.IN_PROGRESS, call=call)
    application_in(State.UNDER_REVIEW, call=call)
    for order in PaymentOrder.objects.filter(object_id=running.pk, state=PaymentOrder.State.PENDING):
        pay(order)

    [row] = [row for row in envelopes_per_call(cast.officer).rows if row["call"] == call.title]

    reserved = sum(a.reserved_amount for a in GrantApplication.objects.filter(call=call, state__in=RESERVING))
    paid = sum(
        o.amount
        for o in PaymentOrder.objects.filter(
            object_id__in=[approved.pk, running.pk], state=PaymentOrder.State.PAID, kind__startswith="grant"
        )
    )
    assert row["envelope"] == Decimal("200000.00")
    assert row["committed"] == reserved > 0
    assert row["paid"] == paid > 0
    assert row["remaining"] == Decimal("200000.00") - reserved


def test_todays_exposure_over_time_equals_the_funds_exposure_now():
    offered = guarantee_factories.advance_to(
        guarantee_factories.GuaranteeRequestFactory(), GuaranteeState.OFFERED
    )
    guarantee_factories.advance_to(guarantee_factories.GuaranteeRequestFactory(), GuaranteeState.ACTIVE)

    [today] = exposure_history([timezone.localdate()])

    assert today["exposure"] == fund_exposure() > offered.guaranteed_amount


def test_a_guarantee_weighs_on_the_fund_only_from_its_offer():
    offered = guarantee_factories.advance_to(
        guarantee_factories.GuaranteeRequestFactory(), GuaranteeState.OFFERED
    )
    before = timezone.localtime(offered.offered_at).date() - timedelta(days=1)

    earlier, now = exposure_history([before, timezone.localdate()])

    assert earlier["exposure"] == Decimal("0.00")
    assert now["exposure"] == offered.guaranteed_amount


def test_the_months_shown_end_on_each_months_last_day_then_today():
    days = month_ends(timezone.datetime(2026, 3, 15).date(), months=3)

    assert [d.isoformat() for d in days] == ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-15"]


def test_the_mentoring_months_equal_the_validated_declarations():
    agreement, cast = mentoring.agreement_in(AgreementState.ACTIVE)
    mentoring.declaration_in(DeclarationState.VALIDATED, agreement, cast, hours=("2", "1.5"))
    if mentoring.last_month().year != timezone.localdate().year:
        pytest.skip("last month is in another year: the section shows the current year")

    section = hours_per_month(cast.approver)

    validated = HoursDeclaration.objects.filter(state=DeclarationState.VALIDATED)
    assert (
        sum(row["validated"] for row in section.rows)
        == sum(d.total_hours for d in validated)
        == Decimal("3.5")
    )
    assert sum(row["compensation"] for row in section.rows) == sum(d.amount for d in validated)


# -- the page and the API ----------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_dashboard_page_draws_each_chart_without_script_and_with_its_table():
    application_in(State.SCREENING)

    page = signed_in(staff("officer")).get("/dashboards/")

    content = page.content.decode()
    assert page.status_code == 200
    assert '<svg class="chart"' in content
    assert 'aria-hidden="true"' in content
    assert 'data-section="states_grantapplication"' in content
    assert "<script" not in content.split("<main", 1)[-1].split("</main>", 1)[0]


def main_of(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_the_dashboard_page_is_served_again_from_its_cached_rendering(monkeypatch):
    application_in(State.SCREENING)
    client = signed_in(staff("officer"))
    first = main_of(client.get("/dashboards/"))

    monkeypatch.setattr("core.views.dashboard", lambda user: pytest.fail("the sections were computed again"))
    again = client.get("/dashboards/")

    assert again.status_code == 200
    assert main_of(again) == first


def test_the_cached_rendering_is_per_language():
    application_in(State.SCREENING)
    officer = staff("officer")
    english = signed_in(officer).get("/dashboards/").content.decode()

    officer.preferred_language = "nl"
    officer.save()
    dutch = signed_in(officer).get("/dashboards/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert 'data-section="states_grantapplication"' in dutch
    assert dutch.split("<main", 1)[1].split("</main>")[0] != english.split("<main", 1)[1].split("</main>")[0]


def test_applicants_do_not_find_the_dashboards():
    assert signed_in(applicant()).get("/dashboards/").status_code == 404


def test_the_api_answers_the_same_sections_as_the_page(api_client):
    application_in(State.SCREENING)
    officer = staff("officer")
    api_client.force_authenticate(officer)

    response = api_client.get("/api/v1/dashboards/")

    assert response.status_code == 200
    codes = [section["code"] for section in response.json()]
    assert codes == [section_data(s)["code"] for s in dashboard(officer)]
    assert "grant_envelopes" in codes and "states_grantapplication" in codes


def test_the_api_refuses_the_dashboards_to_applicants(api_client):
    api_client.force_authenticate(applicant())

    assert api_client.get("/api/v1/dashboards/").status_code == 403
