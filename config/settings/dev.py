"""Local development: SQLite unless DATABASE_URL says otherwise, e-mails printed to the console."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
DEMO_DATA_ALLOWED = True
