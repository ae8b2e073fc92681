"""Pages readable on a phone and by screen readers: every table cell names its column, the file page
links the organisations its viewer may read, the work queue names administrations, the progress
indicator marks the current step."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import PaymentOrderFactory, applicant, staff
from tests.grants.factories import GrantApplicationFactory, act, application_in, iriscare_application

pytestmark = pytest.mark.django_db


class TableCells(HTMLParser):
    """The data cells (<td>) of the table with id `table_id`: their attributes and their text."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # nesting of <table> inside the wanted one (0: outside it)
        self.cells: list[dict] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and (self.depth or attributes.get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "td":
            self.cells.append({"attrs": attributes, "text": ""})
            self.in_cell = True

    def handle_endtag(self, tag):
        if self.depth and tag == "table":
            self.depth -= 1
        elif tag == "td":
            self.in_cell = False

    def handle_data(self, data):
        if self.in_cell:
            self.cells[-1]["text"] += data


def cells_of(response, table_id: str) -> list[dict]:
    parser = TableCells(table_id)
    parser.feed(response.content.decode())
    assert parser.cells, f"no cell in table #{table_id}"
    return parser.cells


def assert_every_cell_is_labelled(response, table_id: str) -> None:
    unlabelled = [cell for cell in cells_of(response, table_id) if not cell["attrs"].get("data-label")]
    assert unlabelled == []


def test_every_cell_of_the_work_queue_names_its_column(client_for):
    PaymentOrderFactory()

    response = client_for(staff("finance")).get("/work-queue/")

    assert_every_cell_is_labelled(response, "work-queue")


def test_the_work_queue_shows_the_administrations_name_not_its_code(client_for):
    officer = staff("officer", "iriscare")
    application = iriscare_application()
    act(application, "submit", applicant(application.lead_organisation))

    response = client_for(officer).get("/work-queue/")

    cells = [cell for cell in cells_of(response, "work-queue") if "data-administration" in cell["attrs"]]
    assert [cell["text"].strip() for cell in cells] == ["Iriscare"]
    assert "IRISCARE" not in response.content.decode()


def test_every_cell_of_the_payment_order_list_names_its_column(client_for):
    PaymentOrderFactory()

    response = client_for(staff("finance")).get("/payments/orders/")

    assert_every_cell_is_labelled(response, "payment-orders")


def test_every_cell_of_the_grant_list_names_its_column(client_for):
    application, cast = application_in("submitted")

    response = client_for(cast.officer).get("/grants/applications/")

    assert_every_cell_is_labelled(response, "grant-files")


def test_every_cell_of_the_call_list_names_its_column_except_the_apply_button(client_for, organisation):
    GrantApplicationFactory()  # its call is open

    response = client_for(applicant(organisation)).get("/grants/calls/")

    cells = cells_of(response, "calls")
    assert [cell for cell in cells if not cell["attrs"].get("data-label")] == [
        cell for cell in cells if "no-phone-label" in cell["attrs"].get("class", "")
    ]


def test_every_cell_of_a_files_history_names_its_column(client_for):
    application, cast = application_in("screening")

    response = client_for(cast.officer).get(application.get_absolute_url())

    assert_every_cell_is_labelled(response, "history")


def test_a_member_of_the_lead_organisation_gets_a_link_to_it_on_the_file_page(client_for):
    application = GrantApplicationFactory()
    lead = application.lead_organisation

    response = client_for(applicant(lead)).get(application.get_absolute_url())

    assert f'<a href="/organisations/{lead.pk}/" data-organisation="{lead.pk}">' in response.content.decode()


def test_a_member_of_a_partner_sees_the_lead_organisations_name_without_a_link(client_for):
    application = GrantApplicationFactory()
    partner = application.partners.get()
    lead = application.lead_organisation

    response = client_for(applicant(partner)).get(application.get_absolute_url())

    html = response.content.decode()
    assert f'<span data-organisation="{lead.pk}">{lead.name}</span>' in html
    assert f'href="/organisations/{lead.pk}/"' not in html
    assert f'<a href="/organisations/{partner.pk}/" data-organisation="{partner.pk}">' in html


def test_an_officer_gets_links_to_the_lead_and_the_partners_on_the_file_page(client_for):
    application, cast = application_in("submitted")
    lead, partner = application.lead_organisation, application.partners.get()

    response = client_for(cast.officer).get(application.get_absolute_url())

    html = response.content.decode()
    assert f'href="/organisations/{lead.pk}/"' in html
    assert f'href="/organisations/{partner.pk}/"' in html


STEPS = [
    {"label": "Draft", "status": "done"},
    {"label": "Submitted", "status": "done"},
    {"label": "Screening", "status": "current"},
    {"label": "Under review", "status": "upcoming"},
]


def test_the_progress_indicator_is_an_ordered_list_of_every_step():
    html = render_to_string("core/includes/workflow_progress.html", {"steps": STEPS})

    assert '<ol class="progress-steps">' in html
    assert html.count("<li ") == 4
    assert [html.index(step["label"]) for step in STEPS] == sorted(
        html.index(step["label"]) for step in STEPS
    )


def test_the_progress_indicator_marks_only_the_current_step_with_aria_current():
    html = render_to_string("core/includes/workflow_progress.html", {"steps": STEPS})

    assert html.count('aria-current="step"') == 1
    current = html[html.index('aria-current="step"') :]
    assert current.index("Screening") < current.index("</li>")


def test_the_progress_indicator_tells_screen_readers_which_steps_are_done_and_to_come():
    with translation.override("nl"):
        html = render_to_string("core/includes/workflow_progress.html", {"steps": STEPS})
        done, to_come = translation.gettext("done"), translation.gettext("to come")

    assert (done, to_come) != ("done", "to come")
    assert html.count(f"({done})") == 2
    assert html.count(f"({to_come})") == 1


def test_the_workflow_panel_shows_the_progress_indicator_when_the_context_holds_it():
    html = render_to_string("core/includes/workflow_panel.html", {"workflow_progress": STEPS})

    assert 'class="panel workflow-progress"' in html
    assert html.index("workflow-progress") < html.index('id="actions-title"')


def test_the_workflow_panel_has_no_progress_indicator_without_progress_in_the_context():
    html = render_to_string("core/includes/workflow_panel.html", {})

    assert "workflow-progress" not in html
