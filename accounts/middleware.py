from django.utils import translation


class PreferredLanguageMiddleware:
    """Signed-in users see the interface in their preferred language; the language switcher saves
    their choice as that preference (anonymous visitors keep Django's cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
