"""Hostile query strings and form posts on every web page: never a server error.

Every web URL of the URL conf (discovered, and declared, by the authorization matrix) is walked on the
demo data as the people allowed to use it — the file's parties and its administration's staff, as the
matrix knows them. Each page gets GETs with hostile query strings (its own filter fields filled with
them too), and each page that takes a POST gets the fields of its forms — read from the pages, as a
browser would — filled with hostile values, an empty body, repeated keys, a program posing as a PDF
and bodies of the wrong content type. Nothing may answer 5xx, and no answer is a debug page; a page
re-rendered with field errors, a 400, 403, 404 or 409 is fine.

The demo data is loaded once for the module (loading it takes seconds); each test runs in a
transaction rolled back at its end, so what one page's hostile posts change never reaches another.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import JointCommittee, User
from accounts.reference_data import load_reference_data
from core.forms import ModelMultipleChoiceField
from grants.models import GrantApplication
from guarantees.models import GuaranteeRequest
from peer_mentoring.models import Agreement, HoursDeclaration
from tests.web import test_authorization_matrix as matrix

pytestmark = pytest.mark.django_db

# -- who uses each page -------------------------------------------------------------------------------

PARTIES = [matrix.APPLICANT, matrix.MENTOR, matrix.LENDER]
STAFF = [matrix.COCOF[0], matrix.COCOF[2], matrix.COCOF[1], matrix.ADMIN]
ANONYMOUS = None

# -- what they send -----------------------------------------------------------------------------------

HOSTILE_QUERIES = [
    "page=-1&page=99999999999999999999&sort=__class__&q=%00&state=<script>&date=2026-02-30"
    "&amount=1e309&ids=1,2,x&format=../../etc/passwd&ordering=-&next=//evil.example"
    "&call=2.9e-33&year=-1145509071963951726592&scheme=grants&scheme=%00",
    "q=%ff%fe&state=%ff&administration=%c0%af&page=1&page=abc&"
    + "&".join(f"{key}={'x' * 10_000}" for key in ("q", "page", "sort", "state", "format")),
]
# The hostile values for each kind of field, sent in as many requests as each list is long: request i
# gives every field the i-th value of its kind's list.
TEXT = ["a\x00b", "x" * 100_000, "раypal\u200b\u202eabc", "../../etc/passwd", "<script>alert(1)</script>", ""]
NUMBER = ["1e309", "NaN", "Infinity", "-1", "99999999999999999999", "abc"]
DATE = ["2026-02-30", "9999-12-31", "0001-01-01", "abc", "\x00", "-1"]
CHOICE = ["999999999", "abc", "99999999999999999999", "-1", "\x00", ""]
HOSTILE = {"number": NUMBER, "date": DATE, "select": CHOICE, "radio": CHOICE, "checkbox": CHOICE}
ROUNDS = len(TEXT)
# Pages whose forms cannot be read (a POST-only page no form points to) still get these fields.
GENERIC_FIELDS = ["comment", "body", "reason", "amount", "state", "decision", "language", "next", "file"]
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
DEBUG_PAGE = re.compile(rb"DEBUG = True|Traceback \(most recent call last\)|<div id=\"traceback\">")
# The readiness probe is async and answers 503 when a dependency fails (see the matrix's own walk).
SKIPPED = {"readiness"}


# -- reading forms ------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, email, file, checkbox, radio, select, textarea, hidden, ...
    value: str = ""


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields if f.kind != "file"))

    def file_names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields if f.kind == "file"))

    def baseline(self) -> dict[str, str]:
        """What the browser would send unchanged (the first value of each name)."""
        values = {}
        for item in self.fields:
            if item.kind != "file":
                values.setdefault(item.name, item.value)
        return values


class FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(action=attrs.get("action") or "", method=(attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return  # unchecked: the browser sends nothing
            value = attrs.get("value") or ("on" if kind == "checkbox" else "")
            self._form.fields.append(Field(attrs["name"], kind, value))
        elif tag == "select":
            self._select = Field(attrs["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if "selected" in attrs or (not self._select.value and value):
                self._select.value = value
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


# -- the walk -----------------------------------------------------------------------------------------


@dataclass
class Walk:
    world: matrix.World
    drafts: matrix.World  # the same, with draft files of the same parties: their edit pages open
    routes: dict[str, str]  # URL name -> route
    clients: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # (email, url) -> (status, FormReader)
    sent: int = 0  # hostile requests, shown at the end of the module with -s

    def client(self, email) -> Client:
        if email not in self.clients:  # someone the matrix's world added (a partner's member, say)
            self.clients[email] = _client(email)
        return self.clients[email]

    def read(self, email, url) -> tuple[int, FormReader]:
        """A GET of the page, kept: each test starts from the same data, so the page is the same."""
        if (email, url) not in self.pages:
            response = self.client(email).get(url)
            reader = FormReader()
            if "html" in response.get("Content-Type", "") and not response.streaming:
                reader.feed(response.content.decode(response.charset or "utf-8", "replace"))
            self.pages[(email, url)] = (response.status_code, reader)
        return self.pages[(email, url)]

    def kind(self, name):
        return matrix.WEB[name]

    def url(self, name) -> str:
        kind = self.kind(name)
        route = self.routes[name]
        if kind == matrix.SIGNED_IN and "<" in route:
            # No declared object: the id of a link to that page, found on its sibling pages.
            linked = self._linked(name)
            if linked:
                return linked
        world = self.drafts if name.endswith("_edit") and kind in self.drafts.objects else self.world
        return matrix.web_url(route, kind if kind in matrix.OUTSIDERS else None, world)

    def _linked(self, name) -> str | None:
        for email in (matrix.COCOF[0], *PARTIES):
            for sibling in self._siblings(name):
                _, reader = self.read(email, sibling)
                for link in [*reader.links, *(form.action for form in reader.forms)]:
                    if link.startswith("/") and url_name(link) == name:
                        return urlsplit(link).path
        return None

    def _siblings(self, name) -> list[str]:
        """Pages without parameters of the same namespace (and of the same object), to find links on."""
        namespace = name.partition(":")[0]
        return [
            self.url(other)
            for other, route in self.routes.items()
            if other != name
            and other.partition(":")[0] == namespace
            and ("<" not in route or self.kind(other) == self.kind(name) != matrix.SIGNED_IN)
            and other not in SKIPPED
        ]

    def people(self, name) -> list:
        """Who is allowed to use the page: one party and one staff member at most, among the
        matrix's insiders of the page's object and the demo's people, to whom the page answers 200
        (or, for a page only posted to, whose pages hold a form posting to it)."""
        kind = self.kind(name)
        if kind == matrix.PUBLIC:
            return [ANONYMOUS, matrix.APPLICANT]
        insiders = matrix.INSIDERS.get(kind, [])
        candidates = list(dict.fromkeys([*insiders, *PARTIES, *STAFF]))
        url = self.url(name)
        allowed = [email for email in candidates if self.read(email, url)[0] == 200]
        if not allowed:
            allowed = [email for email in candidates if self.targets(email, name) != {url: []}]
        party = [email for email in allowed if email not in STAFF][:1]
        staff = [email for email in allowed if email in STAFF][:1]
        return party + staff or insiders or [matrix.APPLICANT, matrix.COCOF[0]]

    def targets(self, email, name) -> dict[str, list[Form]]:
        """Where to post, with the forms posting there: the page's own POST forms and those of the
        pages around it whose action is this URL name (a transition page: the transitions this person
        is offered). The declared URL, with no form, if none is found."""
        url = self.url(name)
        found: dict[str, list[Form]] = {}
        for page in dict.fromkeys([url, *self._siblings(name), *self._object_pages(name)]):
            _, reader = self.read(email, page)
            for form in reader.forms:
                target = urlsplit(form.action or page).path
                if form.method == "post" and target.startswith("/") and url_name(target) == name:
                    found.setdefault(target, []).append(form)
        if url in found:
            return {url: found[url]}
        return dict(list(found.items())[:1]) or {url: []}

    def _object_pages(self, name) -> list[str]:
        kind = self.kind(name)
        if kind not in matrix.OUTSIDERS:
            return []
        return [self.url(other) for other in self.routes if self.kind(other) == kind and other != name]


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    """The demo data, committed once for the module, and emptied afterwards (as a transactional test
    leaves the database, with the reference data the migrations seed put back)."""
    with django_db_blocker.unblock():
        load_reference_data()
        world = matrix.build_world()
        routes = {name: route for route, name in matrix.web_patterns()}
        drafts = matrix.World(**{**world.__dict__, "objects": {**world.objects, **_drafts(world)}})
        # Signed in now: a session saved inside a test would be rolled back with it.
        clients = {email: _client(email) for email in [ANONYMOUS, *PARTIES, *STAFF, matrix.COLLEAGUE]}
        w = Walk(world=world, drafts=drafts, routes=routes, clients=clients)
        yield w
        print(f"\n{w.sent} hostile requests to {len(NAMES)} URLs")
        call_command("flush", interactive=False, verbosity=0)
        load_reference_data()


def _drafts(world: matrix.World) -> dict:
    organisation, agreement = world.objects["organisation"], world.objects["agreement"]
    drafts = {
        "grant": GrantApplication.objects.filter(lead_organisation=organisation, state="draft").first(),
        "guarantee": GuaranteeRequest.objects.filter(borrower=organisation, state="draft").first(),
        "agreement": Agreement.objects.filter(mentor=agreement.mentor, state="draft").first(),
        "declaration": HoursDeclaration.objects.filter(agreement=agreement, state="draft").first(),
    }
    return {kind: draft for kind, draft in drafts.items() if draft is not None}


def _client(email) -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    if email is not ANONYMOUS:
        client.force_login(User.objects.get(email=email))
    return client


NAMES = sorted({name for _, name in matrix.web_patterns()} - SKIPPED)


# -- the requests -------------------------------------------------------------------------------------


def hostile_gets(url: str, filters: list[Form]) -> list[tuple[str, str]]:
    """(description, URL with its query string): the fixed hostile queries, then the page's own
    filter fields given each round of hostile values."""
    requests = [(f"GET ?{query[:60]}", f"{url}?{query}") for query in HOSTILE_QUERIES]
    fields = {item.name: item.kind for form in filters for item in form.fields}
    for round in range(ROUNDS if fields else 0):
        values = {name: HOSTILE.get(kind, TEXT)[round] for name, kind in fields.items()}
        query = "&".join(f"{name}={_quote(value[:10_000])}" for name, value in values.items())
        requests.append((f"GET filters, round {round}", f"{url}?{query}&{query}"))
    return requests


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def hostile_posts(forms: list[Form], full: bool = True) -> list[tuple[str, dict]]:
    """(description, keyword arguments of Client.post), after the empty body the caller sends first.
    Not `full`: only the rounds of hostile values in every field."""
    kinds, baseline = {}, {}
    for form in forms:
        for item in form.fields:
            if item.name != "csrfmiddlewaretoken":
                kinds.setdefault(item.name, item.kind)
                if item.kind != "file":
                    baseline.setdefault(item.name, item.value)
    kinds = kinds or dict.fromkeys(GENERIC_FIELDS, "text")
    names = [name for name, kind in kinds.items() if kind != "file"]
    files = [name for name, kind in kinds.items() if kind == "file"] or ["file"]
    plain = {name: baseline.get(name, "") for name in names}

    def hostile(name, round):
        return HOSTILE.get(kinds[name], TEXT)[round % ROUNDS]

    requests = [
        (f"POST every field, round {round}", {"data": {name: hostile(name, round) for name in names}})
        for round in range(ROUNDS)
    ]
    if not full:
        return requests
    # A third of the fields hostile at a time, the others as the page shows them: the form's clean()
    # and the service behind it run with values that pass the other checks.
    for part in range(3):
        data = {
            name: hostile(name, index) if index % 3 == part else plain[name]
            for index, name in enumerate(names)
        }
        requests.append((f"POST a third of the fields, part {part}", {"data": data}))
    requests.append(("POST repeated keys", {"data": {name: [plain[name] or "1", "abc"] for name in names}}))
    upload = {name: SimpleUploadedFile("statement.pdf", EXECUTABLE, "application/pdf") for name in files}
    requests.append(("POST multipart: a program named .pdf", {"data": {**plain, **upload}}))
    encoded = "&".join(f"{name}={_quote(value)}" for name, value in plain.items())
    requests.append(
        ("POST form data as application/json", {"data": encoded, "content_type": "application/json"})
    )
    requests.append(("POST text/plain", {"data": encoded.replace("&", "\n"), "content_type": "text/plain"}))
    return requests


def _failure(response) -> str | None:
    """Why the response is unacceptable, or None."""
    try:
        # Read a streamed export to its end: one that fails half-way is a server error too.
        body = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as error:
        return f"streaming failed: {error!r}"
    if response.status_code >= 500:
        exc_info = getattr(response, "exc_info", None)
        return f"{response.status_code}: {exc_info[1]!r}" if exc_info else str(response.status_code)
    if DEBUG_PAGE.search(body):
        return f"{response.status_code}: a debug page"
    return None


@pytest.mark.parametrize("name", NAMES)
def test_hostile_input_never_causes_a_server_error(walk, name):
    url = walk.url(name)
    failures = []
    people = walk.people(name)
    for email in people:
        client = walk.client(email)
        _, reader = walk.read(email, url)
        filters = [form for form in reader.forms if form.method == "get"]
        for label, target in hostile_gets(url, filters):
            problem = _failure(client.get(target))
            walk.sent += 1
            if problem:
                failures.append((email, label, problem))
        for target, forms in walk.targets(email, name).items():
            response = client.post(target)
            if response.status_code == 405:
                continue  # a page that takes no POST
            # The full set for the first person, when a form of the page posts there; otherwise (the
            # page ignores a POST, or another person's view of it) the rounds of hostile values.
            full = email == people[0] and bool(forms)
            requests = [("POST empty", response), *hostile_posts(forms, full=full)]
            for label, arguments in requests:
                problem = _failure(arguments if label == "POST empty" else client.post(target, **arguments))
                walk.sent += 1
                if problem:
                    failures.append((email, f"{label} to {target}", problem))
    assert failures == [], f"{name} ({url})"


# -- what the walk found ------------------------------------------------------------------------------


def test_a_chosen_id_too_large_for_its_column_is_an_invalid_choice_not_a_server_error():
    """The organisation and mentor profile forms posted `joint_committees=99999999999999999999`:
    Django's field looks the ids up with `pk__in`, which SQLite cannot bind (OverflowError, a 500)."""
    field = ModelMultipleChoiceField(queryset=JointCommittee.objects.all(), required=False)

    with pytest.raises(ValidationError) as refused:
        field.clean(["99999999999999999999"])

    assert refused.value.code == "invalid_choice"


def test_a_search_for_text_with_a_nul_byte_answers_the_results_page(person, client_for):
    """PostgreSQL refuses a NUL in text: the search box's `q=a%00b` was a DataError (500) there."""
    response = client_for(person("officer")).get("/search/?q=a%00b")

    assert response.status_code == 200


def test_a_sepa_export_for_an_administration_code_with_a_nul_byte_is_not_found(person, client_for):
    """The same DataError on PostgreSQL, for the administration code posted to the SEPA export."""
    response = client_for(person("finance")).post(
        "/payments/orders/sepa-export/", {"administration": "co\x00cof"}
    )

    assert response.status_code == 404
