"""Reading the API's one error body: `{"detail", "code", "errors": {field: [{"message", "code"}]}}`."""


def field_messages(response, field: str) -> list[str]:
    return [error["message"] for error in response.json()["errors"][field]]
