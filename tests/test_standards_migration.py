"""Migration standards.0002 carries the settings kept before issue 7 into an adopted version 1,
in force from long before any course, so no running clock changes when upgrading. Run in its
own process and database (tests/scripts/migrate_carry_over.py), so migrating back and forth
never touches the test database other tests share."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = Path(__file__).parent / "scripts" / "migrate_carry_over.py"


def test_old_settings_become_version_one():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="forlob.settings.test",
               PYTHONPATH=str(Path(settings.BASE_DIR) / "src"))
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    versions = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(versions) == 1  # B had only the law's defaults
    v1 = versions[0]
    assert (v1["code"], v1["number"], v1["status"], v1["valid_from"]) == (
        "901", 1, "adopted", "2000-01-01")
    assert (v1["guarantee_days"], v1["review_months_sul141"], v1["review_months_sel101"]) == (
        10, 4, 3)
    assert (v1["supervision_months"], v1["follow_up_by"]) == (2, "municipality")
    assert (v1["vouchers_enabled"], v1["voucher_amount"]) == (True, 150)
    assert v1["sections"] == {"vouchers": "Ved fremmøde"}
    assert v1["routes"] == ["sel101", "sel101a", "sul141", "sul142"]
