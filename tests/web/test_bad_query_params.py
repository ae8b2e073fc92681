"""List pages answer odd or hostile query strings with a page (or a 400), never a server error."""

import pytest

from tests.factories import PaymentOrderFactory
from tests.grants.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "page=-5",
    "page=99999999999999999999",
    "sort=__class__",
    "sort=-",
    "call=2.9e-33",
    "call=-1145509071963951726592",
    "state=%00",
    "administration=nowhere",
    "deadline_before=31/02/2026",
    "ordering=password",
    "scheme=<script>",
    "kind=zzz",
]
PAGES = ["/grants/applications/", "/work-queue/", "/payments/orders/", "/grants/calls/", "/inbox/"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", HOSTILE)
def test_a_hostile_query_string_never_causes_a_server_error(person, client_for, page, query):
    GrantApplicationFactory()
    PaymentOrderFactory()
    client = client_for(person("officer"))

    response = client.get(f"{page}?{query}")

    assert response.status_code < 500
