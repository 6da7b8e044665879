"""Benchmark: the municipality's own data (issue 5 item 5) - rows per second and peak Python
memory (tracemalloc) of each export, streamed through the view, audit records included.

N courses are built, each with a request, a start and a discharge (so the events export holds
4 rows a course and the register extract 6). Memory is measured for N/2 and N courses: flat
means the peak does not grow with the number of rows once they fill a batch (jobs.CHUNK).

Run: .venv/bin/python bench/exports.py [N]   (SQLite in memory; DATABASE_URL for PostgreSQL)
Results are recorded in bench/RESULTS.md.
"""

import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forlob.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

EXPORTS = ("courses_csv", "courses_xlsx", "events_csv", "events_xlsx", "register_csv",
           "register_json")


def main(n: int) -> None:
    setup_test_environment()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(n)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _build(muni, provider, n: int, offset: int) -> None:
    from forlob.citizens.models import Citizen
    from forlob.pathway.models import Course, CourseTrack, TreatmentRequest, TreatmentStart
    from forlob.treatment.models import Discharge
    from tests.factories import next_cpr

    citizens = []
    for i in range(n):
        c = Citizen(first_name="B", last_name=f"{offset + i}", acting_municipality=muni)
        c.set_cpr(next_cpr())
        citizens.append(c)
    Citizen.objects.bulk_create(citizens, batch_size=1000)
    courses = Course.objects.bulk_create(
        [Course(citizen=c, acting_municipality=muni) for c in citizens], batch_size=1000)
    day = dt.date(2025, 1, 1)
    CourseTrack.objects.bulk_create([CourseTrack(course=c, track="sel101") for c in courses])
    TreatmentRequest.objects.bulk_create([
        TreatmentRequest(course=c, requested_on=day, channel="phone") for c in courses])
    TreatmentStart.objects.bulk_create([
        TreatmentStart(course=c, started_on=day + dt.timedelta(days=10),
                       enrolled_on=day + dt.timedelta(days=12), provider=provider)
        for c in courses])
    Discharge.objects.bulk_create([
        Discharge(course=c, discharged_on=day + dt.timedelta(days=90), reason="faerdigbehandlet",
                  use_status="ophoert", housing="egen", means_of_support="loen",
                  status_text="status") for c in courses])


def _export(user, muni, name: str, trace: bool) -> tuple[int, float, float]:
    """(bytes, seconds, peak MB) of one export through the view; the peak only when traced
    (tracemalloc slows Python down, so time and memory are measured in separate runs)."""
    from django.test import RequestFactory

    from forlob.indicators import views_exports

    kind, fmt = name.split("_")
    request = RequestFactory().get(f"/indikatorer/data/x.{fmt}", {"municipality": muni.pk})
    request.user = user
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    response = views_exports.download(request, kind=kind, fmt=fmt)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    response.close()
    return size, seconds, peak / 1e6


def _run(n: int) -> None:
    from forlob.accounts.models import Role
    from forlob.indicators import jobs
    from forlob.indicators.exports import Selection
    from tests.factories import MunicipalityFactory, ProviderFactory, make_user

    muni = MunicipalityFactory()
    provider = ProviderFactory(owner_municipality=muni)
    user = make_user(Role.CASEWORKER, muni, "bench")
    sel = Selection(muni.pk)
    small = n // 2
    t = time.perf_counter()
    _build(muni, provider, small, 0)
    for name in EXPORTS:  # warm up: imports, caches
        _export(user, muni, name, trace=False)
    peaks_small = {name: _export(user, muni, name, trace=True)[2] for name in EXPORTS}
    _build(muni, provider, n - small, small)
    print(f"built {n} courses in {time.perf_counter() - t:.1f} s")
    print(f"{'export':<14} {'rows':>6} {'MB out':>6} {'seconds':>7} {'rows/s':>7} "
          f"{'peak MB':>7} {'peak MB, ' + str(small) + ' courses':>20}")
    for name in EXPORTS:
        rows = jobs.KINDS[name.split("_")[0]][1](sel).count()
        size, seconds, _ = _export(user, muni, name, trace=False)
        peak = _export(user, muni, name, trace=True)[2]
        print(f"{name:<14} {rows:>6} {size / 1e6:>6.1f} {seconds:>7.2f} {rows / seconds:>7.0f} "
              f"{peak:>7.1f} {peaks_small[name]:>20.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
