"""Access grant for the audit log: a municipality's administrator reads the records about
their municipality's citizens and the records of their municipality's own staff."""

from django.db.models import Q

from forlob.access import register

from .models import AuditEvent


@register(AuditEvent)
def administrator_audit_log(scope, today):
    if scope.admin_municipalities:
        munis = scope.admin_municipalities
        return Q(subject_municipality_id__in=munis) | Q(actor_municipality_id__in=munis)
    return None
