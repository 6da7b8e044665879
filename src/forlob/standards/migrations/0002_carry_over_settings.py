"""Carry the settings kept before issue 7 (Municipality.guarantee_days, treatment's
AftercareSettings and ReviewInterval, attendance's VoucherSettings) into a first adopted version
of each municipality's quality standard, in force from long before any course, so no running
clock changes. The old fields and tables are then removed: one source for every service level."""

import datetime as dt

from django.db import migrations

from forlob.standards.defaults import COMPLAINT_ROUTES

SINCE = dt.date(2000, 1, 1)
NOTE = "Overført fra kommunens indstillinger før kvalitetsstandarden blev versioneret."


def carry_over(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    Standard = apps.get_model("standards", "ServiceStandard")
    Aftercare = apps.get_model("treatment", "AftercareSettings")
    Interval = apps.get_model("treatment", "ReviewInterval")
    Voucher = apps.get_model("attendance", "VoucherSettings")
    Route = apps.get_model("standards", "ComplaintRoute")
    for m in Municipality.objects.all():
        aftercare = Aftercare.objects.filter(municipality=m).first()
        intervals = dict(Interval.objects.filter(municipality=m).values_list("track", "months"))
        voucher = Voucher.objects.filter(municipality=m).first()
        if m.guarantee_days == 14 and not (aftercare or intervals or voucher):
            continue
        values = {"guarantee_days": m.guarantee_days}
        values.update({f"review_months_{t}": n for t, n in intervals.items()})
        if aftercare:
            values.update(supervision_months=aftercare.supervision_months,
                          follow_up_by=aftercare.follow_up_by)
        if voucher:
            values.update(vouchers_enabled=voucher.enabled, voucher_amount=voucher.amount,
                          voucher_max_per_course=voucher.max_per_course,
                          sections={"vouchers": voucher.guidelines})
        standard = Standard.objects.create(
            municipality=m, number=1, status="adopted", valid_from=SINCE,
            adopted_on=(voucher.decided_on if voucher else None), involvement=NOTE, **values)
        # The public page shows the version in force: give it the law's complaint routes.
        Route.objects.bulk_create(
            Route(standard=standard, track=track, authority=to, deadline=when, description=how)
            for track, (to, when, how) in COMPLAINT_ROUTES.items())


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0001_initial"),
        ("treatment", "0005_seed_methods"),
        ("attendance", "0002_retention"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
