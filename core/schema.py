"""The project's OpenAPI schema class: every error an operation can answer is declared, once.

Views describe their success answers and, where they have something specific to say, their
refusals (`409: "The application is not under review"`); this class adds the statuses that DRF and
the exception handler answer anyway — 400 for bodies and query parameters, 401, 403, 404 for
anything that looks an object up (and pages), 406, 409 for writes on workflow files, 413 and 415
for bodies, 429 for throttled endpoints — all with the one error body (`core.api.ErrorSerializer`),
always as JSON, also on endpoints whose success answer is a file.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

JSON = "application/json"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

DESCRIPTIONS = {
    "400": _("Invalid input or query parameters, with field errors"),
    "401": _("Not signed in, or the token is invalid"),
    "403": _("Not permitted"),
    "404": _("Not found, or not visible to the caller"),
    "406": _("None of the media types in Accept can be answered"),
    "409": _("The file's state does not allow it now, or another change won"),
    "413": _("The request body is too large"),
    "415": _("The request body's media type is not accepted"),
    "429": _("Too many requests: retry after the number of seconds in Retry-After"),
}


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        """In answers every field is present (a serializer writes each of its fields, null when
        empty), so each is required there, also those optional on input; a serializer that leaves a
        key out names it in `OPTIONAL_IN_RESPONSES`."""
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and "properties" in schema:
            optional = set(getattr(serializer, "OPTIONAL_IN_RESPONSES", ()))
            schema["required"] = [name for name in schema["properties"] if name not in optional]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in responses.items():
            if "200" <= code < "300" and "content" not in response and self._is_workflow_file():
                # A transition answers the updated file, in the viewset's own serializer.
                body = self._get_response_for_code(self._get_serializer(), code)
                response["content"] = body["content"]
            if code >= "400" and "content" in response and set(response["content"]) != {JSON}:
                # Errors are JSON even where the success answer is a PDF or an XML file.
                schema = next(iter(response["content"].values()))
                response["content"] = {JSON: schema}
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(_error_serializer(), description=str(DESCRIPTIONS[code])), code, [JSON]
                )
        return dict(sorted(responses.items()))

    def error_codes(self) -> list[str]:
        codes = ["401", "406"]
        has_body = self.method not in SAFE_METHODS
        if has_body or self._query_parameters():
            codes.append("400")
        if not (self.method in SAFE_METHODS and self._allows_anyone()):
            codes.append("403")  # also a CSRF refusal for session-authenticated writes
        if "{" in self.path or self._is_paginated():
            codes.append("404")
        if has_body:
            codes += ["413", "415"]
            if self._is_workflow_file():
                codes.append("409")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _query_parameters(self) -> bool:
        if self._is_list_view() and self.get_filter_backends():
            return True
        if self._is_paginated():
            return True
        return any(
            getattr(parameter, "location", None) == "query" for parameter in self.get_override_parameters()
        )

    def _is_paginated(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None

    def _allows_anyone(self) -> bool:
        return any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _is_workflow_file(self) -> bool:
        from .api import WorkflowViewSetMixin

        return isinstance(self.view, WorkflowViewSetMixin)


def _error_serializer():
    from .api import ErrorSerializer

    return ErrorSerializer
