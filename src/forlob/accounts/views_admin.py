"""User administration for a municipality's administrator (placeholder until built)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def user_list(request):
    raise Http404
