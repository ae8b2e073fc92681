"""Refusals of the shared services, each with an HTTP status and a stable error code."""

from .error_codes import ErrorCode


class ServiceError(Exception):
    status_code = 400
    default_code = ErrorCode.INVALID_INPUT

    def __init__(self, message: str, *, code: str | None = None, errors: dict | None = None, file=None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.errors = errors or {}
        self.file = file  # the file concerned, when known: the web sends the user back to it


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


class Unavailable(ServiceError):
    """Something the request needs fails for a moment (HTTP 503): nothing was changed; try again."""

    status_code = 503
    default_code = ErrorCode.SERVICE_UNAVAILABLE


class UnknownTransition(ServiceError):
    status_code = 404
    default_code = ErrorCode.NOT_FOUND


def field_errors(errors: dict, *, message=None, code: str = ErrorCode.INVALID_INPUT) -> InvalidInput:
    """A 400 refusal with messages by field; each message may be a text or a `(text, code)` pair.

    The API answers them as `errors`, the web shows each one next to its field."""
    from django.utils.translation import gettext

    def item(one):
        text, item_code = one if isinstance(one, tuple) else (one, code)
        return {"message": str(text), "code": str(item_code)}

    return InvalidInput(
        message or gettext("Please correct the errors below."),
        code=code,
        errors={field: [item(one) for one in messages] for field, messages in errors.items()},
    )
