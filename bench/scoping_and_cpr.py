"""Benchmark: CPR encryption, blind-index look-up and the scoped citizen list with audit.

Run: .venv/bin/python bench/scoping_and_cpr.py [N]   (SQLite in memory; DATABASE_URL for PostgreSQL)
Results are recorded in bench/RESULTS.md.
"""

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

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(n: int) -> None:
    setup_test_environment()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(n)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _timed(label, fn, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    per = (time.perf_counter() - start) / repeat
    print(f"{label:<48} {per * 1000:10.3f} ms")
    return result


def _run(n: int) -> None:
    from django.test import RequestFactory

    from forlob.access import scoped
    from forlob.accounts.models import Role
    from forlob.audit.recorder import Action, record_many
    from forlob.citizens import crypto
    from forlob.citizens.models import Citizen
    from tests.factories import MunicipalityFactory, make_user, next_cpr

    call_command("check", verbosity=0)
    home, other = MunicipalityFactory(), MunicipalityFactory()
    user = make_user(Role.CASEWORKER, home, "bench")
    cprs = [next_cpr() for _ in range(n)]

    def build():
        rows = []
        for i, cpr in enumerate(cprs):
            muni = home if i % 2 else other
            c = Citizen(first_name="B", last_name=f"{i}", acting_municipality=muni)
            c.set_cpr(cpr)
            rows.append(c)
        Citizen.objects.bulk_create(rows, batch_size=1000)

    tracemalloc.start()
    _timed(f"encrypt+index+insert {n} citizens (total)", build)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{'peak Python memory while inserting':<48} {peak / 1e6:9.1f} MB")
    _timed("encrypt one CPR", lambda: crypto.encrypt(cprs[0]), repeat=1000)
    _timed("blind index of one CPR", lambda: crypto.blind_index(cprs[0]), repeat=1000)
    target = crypto.blind_index(cprs[n // 2 + 1])
    _timed("look-up by blind index (scoped)",
           lambda: list(scoped(user, Citizen).filter(cpr_index=target)), repeat=50)
    request = RequestFactory().get("/borgere/")
    request.user = user

    def page():
        rows = list(scoped(user, Citizen).order_by("last_name")[:25])
        record_many(request, Action.VIEW, rows)
        return rows

    _timed("scoped list page of 25 + 25 audit records", page, repeat=20)
    _timed("scoped count", lambda: scoped(user, Citizen).count(), repeat=20)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
