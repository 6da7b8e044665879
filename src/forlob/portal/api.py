"""API plumbing shared by every context: errors as JSON with a Danish message."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler

from forlob.locking import StaleRecord


def exception_handler(exc, context):
    if isinstance(exc, StaleRecord):
        exc = exceptions.APIException(detail=str(exc), code="stale")
        exc.status_code = 409
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Findes ikke."))
    return drf_handler(exc, context)
