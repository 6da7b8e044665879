"""Helpers for the satisfaction survey tests (issue 4 item 12)."""

from forlob import clock
from forlob.survey import rules, services
from forlob.survey.models import Invitation


def invitation(provider, channel="link", month=None):
    """A fresh invitation for `provider`; returns the plain token (only its hash is stored)."""
    token = rules.new_token()
    Invitation.objects.create(token_hash=services.token_hash(token), provider=provider,
                              month=month or rules.month_of(clock.today()), channel=channel)
    return token


def responses(provider, n, answers=None):
    """`n` responses for `provider` this month, each with `answers` (default: all best)."""
    answers = answers or {"acute": 1, "waiting": 1, "treatment": 2, "influence": 1,
                          "contact": 1, "information": 1}
    return [services.submit(invitation(provider), answers) for _ in range(n)]
