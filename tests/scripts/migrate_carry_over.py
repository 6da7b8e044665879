"""Run by tests/test_standards_migration.py in its own process, on its own in-memory SQLite
database: migrate to just before standards.0002, write settings the old way, migrate on, and
print what version 1 holds as JSON."""

import json

import django
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

django.setup()

BEFORE = [("organisations", "0003_municipality_guarantee_days"),
          ("treatment", "0005_seed_methods"), ("attendance", "0002_retention"),
          ("standards", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


apps = migrate(BEFORE)
Region = apps.get_model("organisations", "Region")
Cluster = apps.get_model("organisations", "Cluster")
Municipality = apps.get_model("organisations", "Municipality")
cluster = Cluster.objects.create(region=Region.objects.create(name="R"), name="C")
custom = Municipality.objects.create(code="901", name="A", cluster=cluster, population=1000,
                                     guarantee_days=10)
Municipality.objects.create(code="902", name="B", cluster=cluster, population=1000)
apps.get_model("treatment", "ReviewInterval").objects.create(
    municipality=custom, track="sul141", months=4)
apps.get_model("treatment", "AftercareSettings").objects.create(
    municipality=custom, supervision_months=2, follow_up_by="municipality")
apps.get_model("attendance", "VoucherSettings").objects.create(
    municipality=custom, enabled=True, amount=150, guidelines="Ved fremmøde")
apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
Standard = apps.get_model("standards", "ServiceStandard")
Route = apps.get_model("standards", "ComplaintRoute")
print(json.dumps([{
    "code": v.municipality.code, "number": v.number, "status": v.status,
    "valid_from": v.valid_from.isoformat(), "guarantee_days": v.guarantee_days,
    "review_months_sul141": v.review_months_sul141,
    "review_months_sel101": v.review_months_sel101,
    "supervision_months": v.supervision_months, "follow_up_by": v.follow_up_by,
    "vouchers_enabled": v.vouchers_enabled, "voucher_amount": v.voucher_amount,
    "sections": v.sections,
    "routes": sorted(Route.objects.filter(standard=v).values_list("track", flat=True)),
} for v in Standard.objects.all()]))
