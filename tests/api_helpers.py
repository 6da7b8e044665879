"""Shared helpers for the API tests."""

import json

from django.urls import reverse

from forlob.audit.models import AuditEvent

from .factories import next_cpr

JSON = "application/json"


def url(name, **kwargs):
    return reverse(f"v1:{name}", kwargs=kwargs)


def detail_url(citizen):
    return url("citizen-detail", citizen_id=citizen.public_id)


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type=JSON)


def patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type=JSON)


def events(**filters):
    return AuditEvent.objects.filter(**filters)


def named_payload(world, **overrides):
    data = {
        "cpr": next_cpr(), "first_name": "Birthe", "last_name": "Hansen",
        "address": "Strandvejen 1", "postal_code": "2680", "city": "Solrød Strand",
        "residence_municipality": "269", "acting_municipality": "269",
    }
    data.update(overrides)
    return data


ROLES = ["caseworker", "clinician", "leader", "coordinator", "region_coordinator", "admin"]
