"""Migration standards.0002 carries the settings kept before issue 7 into an adopted version 1,
in force from long before any course, so no running clock changes when upgrading."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organisations", "0003_municipality_guarantee_days"),
          ("treatment", "0005_seed_methods"), ("attendance", "0002_retention"),
          ("standards", "0001_initial")]
AFTER = [("standards", "0002_carry_over_settings")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_settings_become_version_one():
    apps = _migrate(BEFORE)
    try:
        Region = apps.get_model("organisations", "Region")
        Cluster = apps.get_model("organisations", "Cluster")
        Municipality = apps.get_model("organisations", "Municipality")
        cluster = Cluster.objects.create(region=Region.objects.create(name="R"), name="C")
        custom = Municipality.objects.create(code="901", name="A", cluster=cluster,
                                             population=1000, guarantee_days=10)
        Municipality.objects.create(code="902", name="B", cluster=cluster, population=1000)
        apps.get_model("treatment", "ReviewInterval").objects.create(
            municipality=custom, track="sul141", months=4)
        apps.get_model("treatment", "AftercareSettings").objects.create(
            municipality=custom, supervision_months=2, follow_up_by="municipality")
        apps.get_model("attendance", "VoucherSettings").objects.create(
            municipality=custom, enabled=True, amount=150, guidelines="Ved fremmøde")
        apps = _migrate(AFTER)
        Standard = apps.get_model("standards", "ServiceStandard")
        assert Standard.objects.count() == 1  # B had only the law's defaults
        v1 = Standard.objects.get()
        assert (v1.municipality.code, v1.number, v1.status, v1.valid_from) == (
            "901", 1, "adopted", dt.date(2000, 1, 1))
        assert (v1.guarantee_days, v1.review_months_sul141, v1.review_months_sel101) == (10, 4, 3)
        assert (v1.supervision_months, v1.follow_up_by) == (2, "municipality")
        assert (v1.vouchers_enabled, v1.voucher_amount) == (True, 150)
        assert v1.sections == {"vouchers": "Ved fremmøde"}
        routes = apps.get_model("standards", "ComplaintRoute").objects.filter(standard=v1)
        assert sorted(routes.values_list("track", flat=True)) == [
            "sel101", "sel101a", "sul141", "sul142"]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
