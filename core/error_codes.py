"""Stable, machine-readable codes for every refusal; the API returns them, the UI translates them."""

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    NOT_PERMITTED = "not_permitted"
    FOUR_EYES = "four_eyes"
    INVALID_STATE = "invalid_state"
    CONDITION_NOT_MET = "condition_not_met"
    CONCURRENT_CHANGE = "concurrent_change"
    INVALID_INPUT = "invalid"
    COMMENT_REQUIRED = "comment_required"
    NOT_ELIGIBLE = "not_eligible"
    NO_ADMINISTRATION = "no_administration"
    DOCUMENT_TYPE_NOT_ALLOWED = "document_type_not_allowed"
    DOCUMENT_TOO_LARGE = "document_too_large"
    DOCUMENT_LOCKED = "document_locked"
    DOCUMENT_NOT_STORED = "document_not_stored"
    SERVICE_UNAVAILABLE = "service_unavailable"
    NOT_IN_THE_THREAD = "not_in_the_thread"
    NOTES_ARE_FOR_STAFF = "notes_are_for_staff"
    THREAD_NOT_OPEN = "thread_not_open"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    CONFLICT_NOT_DECLARED = "conflict_not_declared"
    ALREADY_DECLARED = "already_declared"
