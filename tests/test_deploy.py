"""Production settings pass Django's deployment checks, and refuse to start without keys."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(env_extra):
    # A production-like environment: none of the test run's own variables (FORLOB_*, or the
    # browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) leak into the check.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FORLOB_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "forlob.settings.production"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )


def _production_env(tmp_path):
    return {
        "FORLOB_SECRET_KEY": secrets.token_urlsafe(50),
        "FORLOB_CPR_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "FORLOB_CPR_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "FORLOB_ALLOWED_HOSTS": "forlob.kommune.example",
    }


def test_check_deploy_reports_no_issues(tmp_path):
    result = _run(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_cpr_key(tmp_path):
    env = _production_env(tmp_path)
    del env["FORLOB_CPR_KEYS"]
    result = _run(env)
    assert result.returncode != 0
    assert "FORLOB_CPR_KEYS must be set" in result.stderr
