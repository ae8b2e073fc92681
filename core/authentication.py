"""API authentication that also speaks the user's language."""

from django.utils import translation
from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; when the client asks for no language (no Accept-Language
    header), answers come in the signed-in user's preferred language, as on the web."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            language = getattr(result[0], "preferred_language", "")
            if language:
                translation.activate(language)
                request._request.LANGUAGE_CODE = language
        return result
