"""The races of the proof issue at their full size, with real parallel PostgreSQL connections
(skipped on SQLite, which has no row locks): many requests at once for one envelope, one fund, one
organisation's cap, one agreement's hours cap, and submissions across the three schemes."""

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.exceptions import Conflict, InvalidInput
from grants.models import GrantApplication
from grants.states import State
from guarantees.models import GuaranteeRequest
from guarantees.selectors import fund_exposure
from guarantees.states import State as GuaranteeState
from peer_mentoring.models import Agreement, HoursDeclaration
from peer_mentoring.services import hours_counted
from peer_mentoring.states import AgreementState, DeclarationState
from tests.factories import applicant
from tests.grants.factories import CallFactory, GrantApplicationFactory, ready_for_decision
from tests.grants.factories import act as grant_act
from tests.grants.test_concurrency import committed_on_cocof
from tests.guarantees import factories as guarantees
from tests.parallel import run_in_parallel
from tests.peer_mentoring import factories as mentoring

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

AWARD = Decimal("35000.00")


def test_fifty_approvals_racing_for_an_envelope_that_fits_ten_approve_exactly_ten(reference_data):
    call = CallFactory(envelopes={"cocof": AWARD * 10})
    files = [ready_for_decision(call=call) for _ in range(50)]

    results = run_in_parallel(
        50, lambda i: grant_act(files[i][0], "approve", files[i][1].approver, awarded_amount=str(AWARD))
    )

    assert sum(isinstance(result, GrantApplication) for result in results) == 10
    assert {r.code for r in results if isinstance(r, Exception)} == {"envelope_exhausted"}
    assert GrantApplication.objects.filter(call=call, state=State.APPROVED).count() == 10
    assert committed_on_cocof(call) == AWARD * 10


def test_a_hundred_submissions_at_once_across_the_schemes_get_unique_gapless_references(reference_data):
    grant_drafts = [GrantApplicationFactory() for _ in range(34)]
    guarantee_drafts = [guarantees.GuaranteeRequestFactory() for _ in range(33)]
    agreement_drafts = [mentoring.draft_agreement() for _ in range(33)]
    work = (
        [lambda d=d: grant_act(d, "submit", applicant(d.lead_organisation)) for d in grant_drafts]
        + [lambda d=d: guarantees.act(d, "submit", applicant(d.borrower)) for d in guarantee_drafts]
        + [lambda d=d, c=c: mentoring.act(d, "propose", c.mentor) for d, c in agreement_drafts]
    )
    threads = 25  # 100 submissions, 4 per connection, all connections starting together

    results = run_in_parallel(threads, lambda i: [job() for job in work[i::threads]])

    assert not [error for error in results if isinstance(error, Exception)]
    references = [
        *GrantApplication.objects.values_list("reference", flat=True),
        *GuaranteeRequest.objects.values_list("reference", flat=True),
        *Agreement.objects.values_list("reference", flat=True),
    ]
    numbers = defaultdict(list)
    for reference in references:
        prefix, year, number = re.fullmatch(r"([A-Z]+)-(\d{4})-(\d+)", reference).groups()
        numbers[(prefix, year)].append(int(number))
    assert {key[0]: sorted(found) for key, found in numbers.items()} == {
        "MUT": list(range(1, 35)),
        "GAR": list(range(1, 34)),
        "MEN": list(range(1, 34)),
    }


def test_twenty_offers_racing_for_a_fund_that_fits_five_offer_exactly_five(reference_data):
    guarantees.scheme_parameters(endowment=Decimal("93750.00"))  # capacity 375 000 € = 5 × 75 000 €
    files = [guarantees.ready_for_decision() for _ in range(20)]

    results = run_in_parallel(
        20, lambda i: guarantees.act(files[i][0], "offer", files[i][1].approver, coverage="75")
    )

    assert sum(isinstance(result, GuaranteeRequest) for result in results) == 5
    assert {r.code for r in results if isinstance(r, Conflict)} == {"fund_capacity_exceeded"}
    assert fund_exposure() == Decimal("375000.00")


def test_twenty_offers_to_one_organisation_never_exceed_its_cap(reference_data):
    guarantees.scheme_parameters(organisation_cap=Decimal("225000.00"))  # 3 × 75 000 €
    first = guarantees.ready_for_decision()
    files = [first, *(guarantees.ready_for_decision(borrower=first[0].borrower) for _ in range(19))]

    results = run_in_parallel(
        20, lambda i: guarantees.act(files[i][0], "offer", files[i][1].approver, coverage="75")
    )

    assert sum(isinstance(result, GuaranteeRequest) for result in results) == 3
    assert {r.code for r in results if isinstance(r, Conflict)} == {"organisation_cap_exceeded"}
    assert GuaranteeRequest.objects.filter(state=GuaranteeState.OFFERED).count() == 3


def test_ten_declarations_racing_for_an_hours_cap_that_fits_five_pass_exactly_five(reference_data):
    agreement, cast = mentoring.agreement_in(
        AgreementState.ACTIVE, cap="30", starts_on=date.today() - timedelta(days=400)
    )
    month = mentoring.last_month()
    drafts = []
    for _ in range(10):
        drafts.append(
            mentoring.declaration_in(DeclarationState.DRAFT, agreement, cast, month=month, hours=("3", "3"))
        )
        month = (month - timedelta(days=1)).replace(day=1)

    results = run_in_parallel(10, lambda i: mentoring.act(drafts[i], "submit", cast.mentor))

    assert sum(isinstance(result, HoursDeclaration) for result in results) == 5
    assert {r.code for r in results if isinstance(r, InvalidInput)} == {"hours_cap_exceeded"}
    assert hours_counted(agreement.pk) == 30
