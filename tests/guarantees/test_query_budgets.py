"""Lists cost the same number of queries whatever the number of files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guarantees.states import State
from tests.factories import staff

from .factories import GuaranteeRequestFactory, advance_to

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/guarantees/requests/", "/api/v1/guarantees/requests/", "/guarantees/portfolio/", "/work-queue/"]
)
def test_a_list_costs_the_same_queries_for_two_files_or_six(client, url):
    officer = staff("officer")
    client.force_login(officer)
    for _ in range(2):
        advance_to(GuaranteeRequestFactory(), State.OFFERED)
    queries_for(client, url)  # warms the per-process caches (content types), as any earlier request would
    few = queries_for(client, url)
    for _ in range(4):
        advance_to(GuaranteeRequestFactory(), State.ACTIVE)

    assert queries_for(client, url) == few
