"""The mentoring web pages: the path from proposal to a validated declaration, refusals next to the
line with nothing lost, the mentor space, the lists, exports and their query budgets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.models import HistoryEntry
from peer_mentoring.models import Agreement, HoursDeclaration
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import applicant, staff

from .factories import Cast, act, agreement_in, declaration_in, draft_agreement, last_month

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(pk=user.pk))
    return client


def lines_data(lines: list[dict]) -> dict:
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "62",
    }
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{name}": value for name, value in line.items()})
    return data


def test_the_full_path_through_the_web(client):
    cast = Cast()
    mentor, mentee, approver = signed_in(cast.mentor), signed_in(cast.mentee), signed_in(cast.approver)
    start = last_month() - timedelta(days=30)

    answer = mentor.post(
        "/mentoring/agreements/new/",
        {
            "mentor": cast.mentor_organisation.pk,
            "mentee": cast.mentee_organisation.pk,
            "project": "Shared premises",
            "objectives": "Share a building",
            "starts_on": str(start),
            "ends_on": str(start + timedelta(days=200)),
            "planned_hours": "20",
        },
    )
    agreement = Agreement.objects.get()
    assert answer.status_code == 302
    url = agreement.get_absolute_url()
    assert mentor.post(f"{url}transitions/propose/", {"administration": ""}).status_code == 302
    assert "Agreement" in mentee.get("/mentoring/").content.decode()
    assert mentee.post(f"{url}transitions/confirm/").status_code == 302
    page = approver.get(f"{url}transitions/approve/").content.decode()
    assert "Default hourly rate" in page  # what the approver is deciding
    assert (
        approver.post(f"{url}transitions/approve/", {"hourly_rate": "50", "hours_cap": "20"}).status_code
        == 302
    )

    answer = mentor.post(f"{url}declarations/new/", {"month": last_month().strftime("%Y-%m")})
    declaration = HoursDeclaration.objects.get()
    assert answer.url == f"/mentoring/declarations/{declaration.pk}/edit/"
    answer = mentor.post(
        answer.url,
        {
            **lines_data(
                [
                    {
                        "date": str(last_month()),
                        "hours": "2.5",
                        "activity": "meeting",
                        "description": "Kick-off",
                    }
                ]
            ),
            "then": "submit",
        },
    )
    assert answer.url.endswith("transitions/submit/")
    assert mentor.post(answer.url).status_code == 302
    assert mentee.post(f"{declaration.get_absolute_url()}transitions/confirm/").status_code == 302
    assert (
        "Compensation to order"
        in approver.get(f"{declaration.get_absolute_url()}transitions/validate/").content.decode()
    )
    assert approver.post(f"{declaration.get_absolute_url()}transitions/validate/").status_code == 302
    declaration.refresh_from_db()
    assert (declaration.state, str(declaration.amount)) == (DeclarationState.VALIDATED, "125.00")
    assert mentor.get(f"/mentoring/declarations/{declaration.pk}/statement.pdf").status_code == 200


def test_a_refused_line_shows_its_error_next_to_it_and_keeps_what_was_typed():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=())
    day = str(last_month())

    answer = signed_in(cast.mentor).post(
        f"/mentoring/declarations/{declaration.pk}/edit/",
        {
            **lines_data(
                [
                    {"date": day, "hours": "2", "activity": "meeting", "description": "First"},
                    {"date": day, "hours": "1", "activity": "meeting", "description": "Typed twice"},
                ]
            ),
            "then": "save",
        },
    )

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "This activity is already declared on this day (line 1)." in page
    assert page.index("This activity is already declared") > page.index('id="line-1"')
    assert 'value="Typed twice"' in page
    assert not declaration.lines.exists()


def test_a_submission_above_the_cap_comes_back_to_the_file_saying_how_many_hours_remain():
    agreement, cast = agreement_in(AgreementState.ACTIVE, cap="3")
    declaration = declaration_in(DeclarationState.DRAFT, agreement, cast, hours=("2", "2"))

    answer = signed_in(cast.mentor).post(f"{declaration.get_absolute_url()}transitions/submit/")

    assert answer.status_code == 400
    assert "3 hours remain" in answer.content.decode()


def test_the_mentor_space_shows_hours_used_against_the_cap_as_a_bar():
    agreement, cast = agreement_in(AgreementState.ACTIVE, cap="20")
    declaration_in(DeclarationState.SUBMITTED, agreement, cast, hours=("2", "3"))

    page = signed_in(cast.mentor).get("/mentoring/").content.decode()

    assert '<meter min="0" max="20.00" value="5.00"' in page
    assert "5 of 20 hours used (0 validated)" in page


def test_the_mentees_to_confirm_list_holds_the_submitted_hours():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    page = signed_in(cast.mentee).get("/mentoring/").content.decode()

    assert f'data-confirm-declaration="{declaration.pk}"' in page


def test_another_applicant_gets_a_404_on_a_declaration():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.SUBMITTED, agreement, cast)

    assert signed_in(applicant()).get(declaration.get_absolute_url()).status_code == 404


def test_the_officer_lists_cost_the_same_queries_for_one_or_many_files(django_assert_num_queries):
    agreement, cast = agreement_in(AgreementState.ACTIVE, starts_on=last_month() - timedelta(days=200))
    declaration_in(DeclarationState.CONFIRMED, agreement, cast)
    client = signed_in(cast.officer)
    counts = {}
    for url in ("/mentoring/agreements/", "/mentoring/declarations/"):
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        counts[url] = len(one)
    for _more in range(4):
        more, more_cast = agreement_in(AgreementState.ACTIVE, Cast(administration_code="cocof"))
        declaration_in(DeclarationState.CONFIRMED, more, more_cast)
    for url, expected in counts.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_officers_export_the_declarations_as_csv_and_xlsx():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.VALIDATED, agreement, cast)
    client = signed_in(cast.officer)

    csv = b"".join(
        client.get("/mentoring/declarations/export.csv?state=validated").streaming_content
    ).decode()
    xlsx = client.get("/mentoring/declarations/export.xlsx")

    assert declaration.reference in csv and "300.00" in csv
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert signed_in(cast.mentor).get("/mentoring/declarations/export.csv").status_code == 404


def test_the_work_queue_lists_agreements_and_declarations_awaiting_staff():
    submitted, _cast = agreement_in(AgreementState.SUBMITTED)
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    declaration = declaration_in(DeclarationState.CONFIRMED, agreement, cast)

    page = signed_in(staff("approver")).get("/work-queue/").content.decode()

    assert submitted.reference in page and declaration.reference in page


def test_the_directory_page_ranks_mentors_and_says_why():
    cast = Cast()
    seeker = applicant()

    page = (
        signed_in(seeker)
        .get("/mentoring/directory/", {"language": cast.mentor_organisation.preferred_language})
        .content.decode()
    )

    assert f'data-mentor="{cast.mentor_organisation.mentor.pk}"' in page
    assert "Speaks French" in page


def test_officers_suspend_a_mentor_from_the_mentor_page():
    cast = Cast()
    client = signed_in(cast.officer)

    client.post(
        f"/mentoring/mentors/{cast.mentor_organisation.mentor.pk}/state/",
        {"state": "suspended", "reason": "Complaint"},
    )

    cast.mentor_organisation.refresh_from_db()
    assert not cast.mentor_organisation.is_mentor


def test_the_programme_overview_sums_hours_and_compensation_per_month_and_administration(
    django_assert_max_num_queries,
):
    agreement, cast = agreement_in(AgreementState.ACTIVE, starts_on=last_month() - timedelta(days=100))
    declaration_in(DeclarationState.VALIDATED, agreement, cast, hours=("2", "3"))  # 5 h × 60 €
    earlier = (last_month() - timedelta(days=1)).replace(day=1)
    declaration_in(DeclarationState.CONFIRMED, agreement, cast, month=earlier, hours=("1.5",))
    declaration_in(
        DeclarationState.DRAFT, agreement, cast, month=(earlier - timedelta(days=1)).replace(day=1)
    )
    client = signed_in(cast.officer)

    with django_assert_max_num_queries(12):
        page = client.get("/mentoring/overview/", {"year": last_month().year}).content.decode()

    assert f'<tr data-month="{last_month():%Y-%m}" data-administration="cocof">' in page
    assert '<td id="total-compensation" class="nowrap">€300.00</td>' in page
    assert "<td>6.50</td><td>5</td>" in page  # declared (validated + confirmed) and validated hours
    assert "<svg" in page and 'id="overview-table"' in page


def test_the_mentee_completes_the_agreement_with_the_evaluation_questionnaire():
    agreement, cast = agreement_in(AgreementState.ACTIVE)
    client = signed_in(cast.mentee)
    url = f"{agreement.get_absolute_url()}transitions/complete/"

    form = client.get(url).content.decode()
    answer = client.post(url, {"usefulness": "3", "pooled": "A shared payroll", "would_recommend": "on"})

    assert "How useful was the mentoring?" in form
    assert answer.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.state, agreement.evaluation_usefulness) == (AgreementState.COMPLETED, 3)


def test_an_organisation_applies_for_mentor_status_and_an_officer_approves_it_on_the_web():
    from tests.factories import RecognitionFactory

    organisation = RecognitionFactory().organisation
    member = signed_in(applicant(organisation))
    member.post("/mentoring/apply/", {"organisation": organisation.pk, "evidence": "A shared HR office."})
    officer = signed_in(staff("officer"))
    application = organisation.mentor_applications.get()

    assert "A shared HR office." in officer.get("/mentoring/mentors/").content.decode()
    officer.post(f"/mentoring/applications/{application.pk}/decide/", {"decision": "approve"})

    organisation.refresh_from_db()
    assert organisation.is_mentor


def test_the_documents_sent_with_an_application_reach_the_deciding_officer():
    from tests.factories import RecognitionFactory
    from tests.grants.factories import pdf_upload

    organisation = RecognitionFactory().organisation
    member = signed_in(applicant(organisation))
    member.post(
        "/mentoring/apply/",
        {
            "organisation": organisation.pk,
            "evidence": "A shared HR office.",
            "documents": [pdf_upload("rapport.pdf")],
        },
    )
    application = organisation.mentor_applications.get()
    officer = signed_in(staff("officer"))

    page = officer.get("/mentoring/mentors/").content.decode()

    assert "rapport.pdf" in page
    (document,) = application_documents(application)
    download = officer.get(f"/mentoring/applications/{application.pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        signed_in(applicant())
        .get(f"/mentoring/applications/{application.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )


def test_an_application_with_a_document_that_is_not_what_it_claims_is_refused_keeping_the_text():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import RecognitionFactory

    organisation = RecognitionFactory().organisation
    fake = SimpleUploadedFile("rapport.pdf", b"not a pdf", content_type="application/pdf")

    response = signed_in(applicant(organisation, preferred_language="en")).post(
        "/mentoring/apply/",
        {"organisation": organisation.pk, "evidence": "A shared HR office.", "documents": [fake]},
    )

    page = response.content.decode()
    assert "rapport.pdf: " in page and "A shared HR office.</textarea>" in page
    assert not organisation.mentor_applications.exists()


def application_documents(application):
    from core.models import Document

    return list(Document.objects.for_file(application))


# -- a draft's terms, on the web ------------------------------------------------------------------------


def draft_terms(agreement, **changes) -> dict:
    terms = {
        "project": agreement.project,
        "objectives": agreement.objectives,
        "starts_on": str(agreement.starts_on),
        "ends_on": str(agreement.ends_on),
        "planned_hours": str(agreement.planned_hours),
    }
    return {**terms, **changes}


def test_the_other_side_changes_a_drafts_planned_hours_and_the_history_records_it():
    agreement, cast = draft_agreement()
    mentee = signed_in(cast.mentee)

    answer = mentee.post(f"{agreement.get_absolute_url()}edit/", draft_terms(agreement, planned_hours="32"))

    agreement.refresh_from_db()
    assert answer.status_code == 302
    assert agreement.planned_hours == 32
    saved = HistoryEntry.objects.for_file(agreement).filter(transition="draft_saved").order_by("pk").last()
    assert saved.parameters["fields"] == ["planned_hours"]
    assert saved.actor == cast.mentee


def test_a_draft_ending_before_it_starts_is_refused_next_to_the_field_keeping_what_was_typed():
    agreement, cast = draft_agreement()
    mentor = signed_in(cast.mentor)
    terms = draft_terms(
        agreement, project="Pooled accounting", ends_on=str(agreement.starts_on - timedelta(days=1))
    )

    answer = mentor.post(f"{agreement.get_absolute_url()}edit/", terms)

    assert answer.status_code == 200
    assert answer.context["form"].errors
    assert "Pooled accounting" in answer.content.decode()
    agreement.refresh_from_db()
    assert agreement.project != "Pooled accounting"


def test_a_proposed_agreement_can_no_longer_be_changed_on_the_web():
    agreement, cast = draft_agreement()
    act(agreement, "propose", cast.mentor)

    answer = signed_in(cast.mentor).get(f"{agreement.get_absolute_url()}edit/", follow=True)

    assert answer.redirect_chain == [(agreement.get_absolute_url(), 302)]
    assert "no longer be changed" in answer.content.decode()
    assert 'id="edit-link"' not in answer.content.decode()


def test_an_officer_cannot_change_a_draft():
    agreement, _cast = draft_agreement()

    answer = signed_in(staff("officer")).get(f"{agreement.get_absolute_url()}edit/")

    assert answer.status_code in (403, 404)
