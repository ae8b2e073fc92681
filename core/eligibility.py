"""The eligibility engine (SPEC §2): named rules answering pass, fail or to check, with a message.

The common rules below apply to every scheme; a scheme adds its own with `register_scheme`. An
applicant runs `check_eligibility` before applying; a scheme calls `require_eligibility` at
submission, which refuses while a rule fails and otherwise returns the snapshot kept on the file.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import JointCommittee, LegalForm, Organisation, PostalCode, Recognition
from accounts.validators import validate_enterprise_number

from .error_codes import ErrorCode
from .exceptions import InvalidInput
from .schemes import Scheme, find_scheme, register_scheme, schemes  # noqa: F401  (the registry)


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    TO_CHECK = "to_check"


STATUS_LABELS = {Status.PASS: _("Passed"), Status.FAIL: _("Failed"), Status.TO_CHECK: _("To check")}


@dataclass(frozen=True)
class Verdict:
    status: Status
    message: object  # a lazy translation with %(name)s placeholders
    params: dict = field(default_factory=dict)

    def render(self) -> str:
        return str(self.message) % {key: str(value) for key, value in self.params.items()}


@dataclass(frozen=True)
class Rule:
    code: str
    label: object
    evaluate: Callable[[Organisation, date], Verdict]


@dataclass(frozen=True)
class Outcome:
    rule: str
    label: str
    status: Status
    message: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


# -- common rules ---------------------------------------------------------------------------------


def legal_form_rule(organisation: Organisation, on_date: date) -> Verdict:
    # Params stay lazy (a choice label, a model whose __str__ follows the language) so that the
    # snapshot renders them in each language, not in the one active when the check ran.
    form = dict(LegalForm.choices).get(organisation.legal_form, organisation.legal_form)
    if organisation.is_non_profit:
        return Verdict(Status.PASS, _("Legal form: %(form)s."), {"form": form})
    return Verdict(
        Status.FAIL,
        _(
            "Legal form %(form)s is not eligible: the schemes are for non-profit organisations "
            "(ASBL/VZW, AISBL/IVZW, foundations, mutualities, registered NGOs)."
        ),
        {"form": form},
    )


def brussels_seat_rule(organisation: Organisation, on_date: date) -> Verdict:
    postal_code = (
        PostalCode.objects.filter(code=organisation.postal_code, municipality__in_region=True)
        .select_related("municipality")
        .first()
    )
    if postal_code is not None:
        return Verdict(
            Status.PASS,
            _("Registered seat in %(municipality)s (%(postal_code)s, NIS %(nis)s)."),
            {
                "municipality": postal_code.municipality,
                "postal_code": postal_code.code,
                "nis": postal_code.municipality.nis_code,
            },
        )
    return Verdict(
        Status.FAIL,
        _(
            "The registered seat (postal code %(postal_code)s) is not in one of the 19 municipalities "
            "of the Brussels-Capital Region."
        ),
        {"postal_code": organisation.postal_code},
    )


def enterprise_number_rule(organisation: Organisation, on_date: date) -> Verdict:
    try:
        validate_enterprise_number(organisation.enterprise_number)
    except Exception:
        return Verdict(
            Status.FAIL,
            _("The enterprise number %(number)s is not a valid BCE/KBO number."),
            {"number": organisation.enterprise_number},
        )
    return Verdict(
        Status.PASS, _("Enterprise number %(number)s is valid."), {"number": organisation.enterprise_number}
    )


def recognition_rule(organisation: Organisation, on_date: date) -> Verdict:
    recognitions = list(
        Recognition.objects.valid_on(on_date)
        .filter(organisation=organisation, under_agreement=True, authority__in_scope=True)
        .select_related("authority")
        # nulls_last: PostgreSQL sorts NULLs first when descending, which would prefer an unverified one.
        .order_by(F("verified_at").desc(nulls_last=True), "-valid_from")
    )
    if not recognitions:
        return Verdict(
            Status.FAIL,
            _(
                "No recognition under the 2021–2024 non-profit agreement by Cocof, COCOM/GGC or the "
                "Brussels-Capital Region is valid on %(date)s."
            ),
            {"date": on_date.isoformat()},
        )
    best = recognitions[0]
    params = {"authority": best.authority, "reference": best.reference}
    if best.verified_at is not None:
        return Verdict(Status.PASS, _("Recognised by %(authority)s (%(reference)s), verified."), params)
    return Verdict(
        Status.TO_CHECK,
        _("Recognition by %(authority)s (%(reference)s) is declared; an officer will verify the evidence."),
        params,
    )


def joint_committee_rule(organisation: Organisation, on_date: date) -> Verdict:
    declared = {committee.number: committee for committee in organisation.joint_committees.all()}
    eligible_numbers = sorted(JointCommittee.objects.filter(eligible=True).values_list("number", flat=True))
    matching = sorted(number for number, committee in declared.items() if committee.eligible)
    if matching:
        return Verdict(Status.PASS, _("Joint committee %(numbers)s."), {"numbers": ", ".join(matching)})
    if declared:
        return Verdict(
            Status.FAIL,
            _("Joint committee %(numbers)s is not among the eligible ones (%(eligible)s)."),
            {"numbers": ", ".join(sorted(declared)), "eligible": ", ".join(eligible_numbers)},
        )
    return Verdict(
        Status.TO_CHECK,
        _("No joint committee declared: an officer will check the organisation's sector (%(eligible)s)."),
        {"eligible": ", ".join(eligible_numbers)},
    )


COMMON_RULES: tuple[Rule, ...] = (
    Rule("legal_form", _("Non-profit legal form"), legal_form_rule),
    Rule("brussels_seat", _("Seat in the Brussels-Capital Region"), brussels_seat_rule),
    Rule("enterprise_number", _("Valid enterprise number"), enterprise_number_rule),
    Rule("recognition", _("Recognition under the non-profit agreement"), recognition_rule),
    Rule("joint_committee", _("Eligible joint committee"), joint_committee_rule),
)


def get_scheme(code: str) -> Scheme:
    scheme = find_scheme(code)
    if scheme is None:
        raise InvalidInput(
            _("Unknown scheme."),
            errors={"scheme": [{"message": str(_("Unknown scheme.")), "code": "invalid"}]},
        )
    return scheme


# -- running the rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityReport:
    organisation: Organisation
    scheme: Scheme
    on_date: date
    verdicts: tuple[tuple[Rule, Verdict], ...]

    @property
    def outcomes(self) -> list[Outcome]:
        return [
            Outcome(rule.code, str(rule.label), verdict.status, verdict.render())
            for rule, verdict in self.verdicts
        ]

    @property
    def eligible(self) -> bool:
        return all(verdict.status != Status.FAIL for _rule, verdict in self.verdicts)

    @property
    def failing(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == Status.FAIL]

    def snapshot(self) -> dict:
        """What the file keeps: every rule's outcome, rendered in each language, frozen."""
        languages = [code for code, _name in settings.LANGUAGES]
        rendered = {}
        for language in languages:
            with translation.override(language):
                rendered[language] = self.outcomes
        return {
            "scheme": self.scheme.code,
            "date": self.on_date.isoformat(),
            "evaluated_at": timezone.now().isoformat(),
            "eligible": self.eligible,
            "outcomes": [
                {
                    "rule": outcome.rule,
                    "status": str(outcome.status),
                    "label": {language: rendered[language][index].label for language in languages},
                    "message": {language: rendered[language][index].message for language in languages},
                }
                for index, outcome in enumerate(self.outcomes)
            ],
        }


def check_eligibility(
    organisation: Organisation, scheme_code: str, on_date: date | None = None
) -> EligibilityReport:
    scheme = get_scheme(scheme_code)
    on_date = on_date or timezone.localdate()
    rules = (*COMMON_RULES, *scheme.rules)
    return EligibilityReport(
        organisation=organisation,
        scheme=scheme,
        on_date=on_date,
        verdicts=tuple((rule, rule.evaluate(organisation, on_date)) for rule in rules),
    )


class NotEligible(InvalidInput):
    default_code = ErrorCode.NOT_ELIGIBLE


def require_eligibility(organisation: Organisation, scheme_code: str, on_date: date | None = None) -> dict:
    """At submission: refuse while a rule fails (listing the failing rules), else the snapshot."""
    report = check_eligibility(organisation, scheme_code, on_date)
    if not report.eligible:
        raise NotEligible(
            _("The organisation is not eligible: %(rules)s")
            % {"rules": "; ".join(f"{outcome.label}: {outcome.message}" for outcome in report.failing)},
            errors={
                "eligibility": [
                    {"message": f"{outcome.label}: {outcome.message}", "code": outcome.rule}
                    for outcome in report.failing
                ]
            },
        )
    return report.snapshot()


def snapshot_outcomes(snapshot: dict | None) -> list[Outcome]:
    """A stored snapshot, in the active language, for display."""
    if not snapshot:
        return []
    language = (translation.get_language() or "fr").split("-")[0]
    return [
        Outcome(
            item["rule"],
            item["label"].get(language) or item["label"].get("fr", ""),
            Status(item["status"]),
            item["message"].get(language) or item["message"].get("fr", ""),
        )
        for item in snapshot.get("outcomes", [])
    ]


def administrations_for(organisation: Organisation, on_date: date | None = None):
    """Where the organisation's files may be routed: the administrations its valid recognitions map to."""
    from accounts.models import Administration

    on_date = on_date or timezone.localdate()
    return Administration.objects.filter(
        authorities__recognitions__in=Recognition.objects.valid_on(on_date).filter(
            organisation=organisation, under_agreement=True, authority__in_scope=True
        )
    ).distinct()
