"""The simulated people of the sustained load test (`python -m bench.load`), for Locust.

Each kind of user works through the API with its own token, on work items `bench.load` prepared
from the volume database (`LOAD_WORK`, a JSON file): applicants complete and submit drafts,
officers take submitted files into screening, lenders upload quarterly declarations, mentors submit
hours, finance approves payment orders and exports SEPA files. A refusal the rules give (409 when
someone else was first, 400 when a cap is reached) is an answer, not a failure; a server error
(5xx) or an unexpected status is a failure. Every accepted transition is appended to `LOAD_ACCEPTED`
(JSON lines) so that `bench.load` checks each is in the history exactly once.
"""

import json
import os
import random
import threading

from locust import HttpUser, between, task

with open(os.environ["LOAD_WORK"], encoding="utf-8") as prepared:
    WORK = json.load(prepared)
ACCEPTED = os.environ["LOAD_ACCEPTED"]
_lock = threading.Lock()
_pools = {name: list(items) for name, items in WORK["pools"].items()}
for items in _pools.values():
    random.shuffle(items)


def take(pool: str):
    with _lock:
        return _pools[pool].pop() if _pools[pool] else None


def accepted(kind: str, pk: int, transition: str) -> None:
    with _lock, open(ACCEPTED, "a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": kind, "pk": pk, "transition": transition}) + "\n")


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    host = WORK["host"]

    def headers(self, token: str) -> dict:
        return {"Authorization": f"Token {token}", "Accept-Language": "fr", "X-Forwarded-Proto": "https"}

    def call(self, method: str, path: str, token: str, *, name: str, ok=(200,), refused=(), **kwargs):
        """A request whose status must be in `ok` (or `refused`, an answer of the rules)."""
        with self.client.request(
            method, path, headers=self.headers(token), name=name, catch_response=True, **kwargs
        ) as response:
            if response.status_code in ok or response.status_code in refused:
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            return response


class Applicant(Person):
    weight = 5

    @task(3)
    def read_my_files(self):
        item = random.choice(WORK["applicants"])
        self.call("GET", "/api/v1/grants/applications/", item["token"], name="applicant: my files")

    @task(2)
    def save_a_draft(self):
        if not WORK["pools_snapshot"]["drafts"]:
            return
        item = random.choice(WORK["pools_snapshot"]["drafts"])
        self.call(
            "PATCH",
            f"/api/v1/grants/applications/{item['pk']}/",
            item["token"],
            name="applicant: save draft",
            refused=(409,),  # submitted in the meantime: no longer editable
            json={
                "description": f"Mise en commun de fonctions support ({random.randint(1, 10**6)}).",
                "requested_amount": item["requested_amount"],
            },
        )

    @task(1)
    def complete_and_submit(self):
        item = take("drafts")
        if item is None:
            return
        url = f"/api/v1/grants/applications/{item['pk']}/"
        completion = {**WORK["draft_completion"], "requested_amount": item["requested_amount"]}
        self.call("PATCH", url, item["token"], name="applicant: complete draft", json=completion)
        response = self.call(
            "POST",
            f"{url}transitions/submit/",
            item["token"],
            name="applicant: submit",
            refused=(400, 409),
            json={},
        )
        if response.status_code == 200:
            accepted("grant", item["pk"], "submit")


class Officer(Person):
    weight = 5

    @task(3)
    def work_queue(self):
        token = random.choice(WORK["officers"])
        self.call(
            "GET", "/api/v1/grants/applications/?state=submitted", token, name="officer: submitted files"
        )

    @task(1)
    def search(self):
        token = random.choice(WORK["officers"])
        self.call("GET", "/api/v1/search/?q=mutualisation", token, name="officer: search")

    @task(3)
    def start_screening(self):
        item = take("submitted")
        if item is None:
            return
        kind, pk, token = item["kind"], item["pk"], item["token"]
        path = {"grant": "grants/applications", "guarantee": "guarantees/requests"}[kind]
        response = self.call(
            "POST",
            f"/api/v1/{path}/{pk}/transitions/start_screening/",
            token,
            name=f"officer: start screening ({kind})",
            refused=(409,),
            json={},
        )
        if response.status_code == 200:
            accepted(kind, pk, "start_screening")

    @task(1)
    def read_a_file(self):
        if not WORK["officer_files"]:
            return
        pk = random.choice(WORK["officer_files"])  # Cocof's files, read by Cocof's officer
        self.call("GET", f"/api/v1/grants/applications/{pk}/", WORK["cocof_officer"], name="officer: file")


class Lender(Person):
    weight = 2

    @task(1)
    def upload_declarations(self):
        lender = WORK["lender"]
        if not lender["rows"]:
            return
        rows = random.sample(lender["rows"], min(200, len(lender["rows"])))
        content = "reference,as_of,outstanding_principal,arrears_amount,arrears_days\n" + "".join(
            f"{r['reference']},{lender['as_of']},{r['outstanding']},0.00,0\n" for r in rows
        )
        self.call(
            "POST",
            "/api/v1/guarantees/requests/declarations-upload/",
            lender["token"],
            name="lender: upload 200 declarations",
            data={"quarter": lender["as_of"]},
            files={"file": ("declarations.csv", content.encode(), "text/csv")},
        )

    @task(2)
    def my_loans(self):
        self.call("GET", "/api/v1/guarantees/requests/", WORK["lender"]["token"], name="lender: loans")


class Mentor(Person):
    weight = 2

    @task(2)
    def my_declarations(self):
        self.call("GET", "/api/v1/mentoring/declarations/", WORK["mentor_token"], name="mentor: declarations")

    @task(1)
    def submit_hours(self):
        item = take("hours")
        if item is None:
            return
        response = self.call(
            "POST",
            f"/api/v1/mentoring/declarations/{item['pk']}/transitions/submit/",
            item["token"],
            name="mentor: submit hours",
            refused=(400, 409),  # the agreement's hours cap reached, or already submitted
            json={},
        )
        if response.status_code == 200:
            accepted("declaration", item["pk"], "submit")


class Finance(Person):
    weight = 2

    @task(4)
    def approve_an_order(self):
        item = take("orders")
        if item is None:
            return
        response = self.call(
            "POST",
            f"/api/v1/payments/orders/{item['pk']}/transitions/approve/",
            item["token"],
            name="finance: approve order",
            refused=(409,),
            json={},
        )
        if response.status_code == 200:
            accepted("order", item["pk"], "approve")

    @task(2)
    def orders(self):
        token = random.choice(WORK["finance"])
        self.call("GET", "/api/v1/payments/orders/?state=approved", token, name="finance: orders")

    @task(1)
    def export_sepa(self):
        token, code = random.choice(WORK["finance_exports"])
        self.call(
            "POST",
            f"/api/v1/payments/orders/export/?administration={code}",
            token,
            name="finance: SEPA export",
            refused=(400,),  # nothing approved awaits export since the last one
        )
