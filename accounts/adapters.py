from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext, gettext_noop

# ACCOUNT_EMAIL_SUBJECT_PREFIX is translated through the catalogues (this is its French and Dutch msgid).
SUBJECT_PREFIX = gettext_noop("[Mutualisation] ")
SITE_NAME = gettext_noop("Mutualisation support schemes")


@dataclass(frozen=True)
class SiteForEmails:
    """What allauth's e-mail templates read as `current_site`: the translated name, and the domain
    of DJANGO_SITE_URL (not the host the request happened to come in through)."""

    name: str
    domain: str


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute_url(path_or_url: str) -> str:
    """DJANGO_SITE_URL + path: links in e-mails point at the address people use, in development too."""
    parts = urlsplit(path_or_url)
    path = (
        parts.path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )
    return site_url() + path


class AccountAdapter(DefaultAccountAdapter):
    """Allauth's e-mails (confirmation, password reset) go out in the user's preferred language, with
    a translated subject prefix and site name, and links built on DJANGO_SITE_URL."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            context = {
                **{key: self._on_site(value) for key, value in context.items()},
                "current_site": SiteForEmails(name=gettext(SITE_NAME), domain=urlsplit(site_url()).netloc),
            }
            super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        prefix = allauth_settings.EMAIL_SUBJECT_PREFIX
        if prefix is None:
            prefix = f"[{gettext(SITE_NAME)}] "
        return gettext(prefix) + force_str(subject)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return absolute_url(super().get_reset_password_from_key_url(key))

    def _on_site(self, value):
        """Other links allauth puts in a mail (sign-up, password reset pages), built from the request."""
        request = self.request or allauth_context.request
        if isinstance(value, str) and request is not None:
            origin = request.build_absolute_uri("/")
            if value.startswith(origin):
                return absolute_url(value)
        return value
