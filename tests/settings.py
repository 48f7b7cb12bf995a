"""The test suite's settings: ANTWOORD's own, except that static files come unhashed from the apps' folders,
since a test run does not collect them first."""

from antwoord.settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
