"""Stable, machine-readable codes of every grant refusal; the API returns them, the UI translates."""

from enum import StrEnum


class GrantErrorCode(StrEnum):
    NOT_EDITABLE = "grant_not_editable"
    NOT_UNDER_REVIEW = "grant_not_under_review"
    NOT_IN_PROGRESS = "grant_not_in_progress"
    REVIEW_REQUIRED = "review_required"
    AWARD_ABOVE_REQUEST = "award_above_request"
    NO_ENVELOPE = "no_envelope"
    ENVELOPE_EXHAUSTED = "envelope_exhausted"
    ACCEPTANCE_DEADLINE_PASSED = "acceptance_deadline_passed"
    ACCEPTANCE_DEADLINE_NOT_PASSED = "acceptance_deadline_not_passed"
    FINAL_REPORT_MISSING = "final_report_missing"
    NO_RECEIPT_YET = "no_receipt_yet"
    NOT_AWARDED = "not_awarded"
    REVIEWS_FOR_STAFF = "reviews_for_staff"
