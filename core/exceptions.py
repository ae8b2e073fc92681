"""Refusals of the shared services, each with an HTTP status and a stable error code."""

from .error_codes import ErrorCode


class ServiceError(Exception):
    status_code = 400
    default_code = ErrorCode.INVALID_INPUT

    def __init__(self, message: str, *, code: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.errors = errors or {}


class NotPermitted(ServiceError):
    """The caller sees the file but may not do this (HTTP 403)."""

    status_code = 403
    default_code = ErrorCode.NOT_PERMITTED


class Conflict(ServiceError):
    """The file's state does not allow it now, or another change won the race (HTTP 409)."""

    status_code = 409
    default_code = ErrorCode.INVALID_STATE


class InvalidInput(ServiceError):
    """Bad input, with field errors (HTTP 400)."""

    status_code = 400
    default_code = ErrorCode.INVALID_INPUT


class UnknownTransition(ServiceError):
    status_code = 404
    default_code = ErrorCode.NOT_FOUND
