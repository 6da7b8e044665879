"""Log failed logins by username and address only: never the password."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

log = logging.getLogger("forlob.security")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    log.warning("login failed for username=%r from ip=%s", username, ip)
