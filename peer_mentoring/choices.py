"""The vocabularies of mentoring (SPEC §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    SITE_VISIT = "site_visit", _("Site visit")
    REMOTE_SUPPORT = "remote_support", _("Remote support")


class Usefulness(models.IntegerChoices):
    NOT_USEFUL = 1, _("Not useful")
    SOMEWHAT = 2, _("Somewhat useful")
    USEFUL = 3, _("Useful")
    VERY_USEFUL = 4, _("Very useful")


class MentorSource(models.TextChoices):
    CLOSED_GRANT = "closed_grant", _("A closed mutualisation grant")
    APPLICATION = "application", _("An application approved on evidence")


class Side(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English")), ("de", _("German"))]
