"""CPR at rest: encryption, blind index, key rotation, and CPR kept out of log lines."""

import base64
import io
import logging
import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from forlob.audit.models import Action, AuditEvent
from forlob.citizens import crypto
from forlob.citizens.logging import RedactCprFilter
from forlob.citizens.models import Citizen

from .factories import AnonymousCitizenFactory, CitizenFactory

OLD_RING = settings.FORLOB_CPR_KEYS
NEW_KEY = "new3:" + base64.b64encode(b"n" * 32).decode()
ROTATED_RING = f"{NEW_KEY},{OLD_RING}"
CPRS = ["0101801234", "1502925678", "2902004321", "3112994235"]


def raw_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM citizens_citizen")
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def key_ids():
    return {crypto.key_id_of(v) for v in Citizen.objects.exclude(cpr_encrypted=None)
            .values_list("cpr_encrypted", flat=True)}


@pytest.fixture
def citizens(db):
    return [CitizenFactory(cpr_plain=number) for number in CPRS]


# --- At rest -----------------------------------------------------------------------------------

def test_the_raw_table_holds_no_plain_cpr(citizens):
    rows = raw_rows()
    assert len(rows) == len(CPRS)
    dump = " ".join(str(v) for row in rows for v in row.values())
    for number in CPRS:
        assert number not in dump
        assert f"{number[:6]}-{number[6:]}" not in dump
        assert f"{number[:6]} {number[6:]}" not in dump
    # No column holds anything CPR-shaped at all (hex digests and UUIDs aside, where digit runs
    # occur by chance).
    for row in rows:
        for column, value in row.items():
            if column not in ("public_id", "cpr_index", "created_at", "updated_at"):
                assert not re.search(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)", str(value)), column
    for row in rows:
        assert row["cpr_encrypted"].startswith(crypto.active_key_id() + "$")
        assert re.fullmatch(r"[0-9a-f]{64}", row["cpr_index"])


def test_the_citizen_still_reveals_its_number(citizens):
    assert [c.reveal_cpr() for c in Citizen.objects.order_by("pk")] == CPRS
    assert Citizen.objects.get(pk=citizens[0].pk).masked_cpr == "010180-****"


def test_anonymous_persons_have_no_cpr_columns(db):
    anon = AnonymousCitizenFactory()
    row = next(r for r in raw_rows() if r["id"] == anon.pk)
    assert row["cpr_encrypted"] is None and row["cpr_index"] is None
    assert anon.reveal_cpr() == "" and anon.masked_cpr == ""


def test_encryption_is_not_deterministic():
    a, b = crypto.encrypt("0101801234"), crypto.encrypt("0101801234")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "0101801234"


def test_tampered_ciphertext_does_not_decrypt():
    from cryptography.exceptions import InvalidTag

    stored = crypto.encrypt("0101801234")
    kid, payload = stored.split("$")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(f"{kid}${base64.b64encode(bytes(raw)).decode()}")


def test_blind_index_is_deterministic_and_keyed():
    assert crypto.blind_index("0101801234") == crypto.blind_index("0101801234")
    assert crypto.blind_index("0101801234") != crypto.blind_index("0101801235")
    other = base64.b64encode(b"i" * 32).decode()
    with override_settings(FORLOB_CPR_INDEX_KEY=other):
        changed = crypto.blind_index("0101801234")
    assert changed != crypto.blind_index("0101801234")
    assert re.fullmatch(r"[0-9a-f]{64}", changed)


def test_lookup_by_blind_index_finds_the_citizen(citizens):
    found = Citizen.objects.get(cpr_index=crypto.blind_index("1502925678"))
    assert found == citizens[1]


# --- Keys --------------------------------------------------------------------------------------

def test_old_key_still_decrypts_after_rotation(citizens):
    stored = Citizen.objects.get(pk=citizens[0].pk).cpr_encrypted
    with override_settings(FORLOB_CPR_KEYS=ROTATED_RING):
        assert crypto.active_key_id() == "new3"
        assert crypto.decrypt(stored) == CPRS[0]
        assert crypto.encrypt("0101801234").startswith("new3$")


def test_a_missing_key_id_is_a_clear_error(citizens):
    stored = Citizen.objects.get(pk=citizens[0].pk).cpr_encrypted
    kid = crypto.key_id_of(stored)
    with override_settings(FORLOB_CPR_KEYS=NEW_KEY):
        with pytest.raises(ImproperlyConfigured, match=rf"No CPR key with id '{kid}'"):
            crypto.decrypt(stored)


@pytest.mark.parametrize("spec, message", [
    ("", "not set"),
    ("nokey", "key-id:base64-key"),
    ("short:" + base64.b64encode(b"x" * 16).decode(), "32 bytes"),
])
def test_a_bad_key_ring_is_a_clear_error(spec, message):
    with override_settings(FORLOB_CPR_KEYS=spec):
        with pytest.raises(ImproperlyConfigured, match=message):
            crypto.encrypt("0101801234")


def test_missing_index_key_is_a_clear_error():
    with override_settings(FORLOB_CPR_INDEX_KEY=""), pytest.raises(ImproperlyConfigured):
        crypto.blind_index("0101801234")


# --- rotate_cpr_keys ---------------------------------------------------------------------------

def rotate(*args):
    out = io.StringIO()
    call_command("rotate_cpr_keys", *args, stdout=out)
    return out.getvalue()


def test_rotation_reencrypts_every_row_with_the_active_key(citizens):
    AnonymousCitizenFactory()
    before = {c.pk: (c.cpr_encrypted, c.cpr_index, c.version) for c in Citizen.objects.all()}
    events_before = AuditEvent.objects.count()
    with override_settings(FORLOB_CPR_KEYS=ROTATED_RING):
        output = rotate("--batch-size", "3")
        assert key_ids() == {"new3"}
        assert "Re-encrypted 4 of 4" in output
        for c in Citizen.objects.exclude(cpr_encrypted=None):
            old_encrypted, old_index, old_version = before[c.pk]
            assert c.cpr_encrypted != old_encrypted
            assert c.cpr_index == old_index  # the index key did not change
            assert c.version == old_version + 1  # an open edit form must reload
        assert [c.reveal_cpr() for c in Citizen.objects.exclude(cpr_encrypted=None)
                .order_by("pk")] == CPRS
        rotated = list(AuditEvent.objects.filter(purpose__startswith="nøglerotation"))
        assert len(rotated) == 4 and all(e.channel == "cli" for e in rotated)
        assert all(e.action == Action.UPDATE for e in rotated)
        assert AuditEvent.objects.count() == events_before + 4

        # Idempotent: nothing left to do, nothing changed.
        snapshot = list(Citizen.objects.values_list("cpr_encrypted", "version"))
        output = rotate()
        assert "Re-encrypted 0 of 4" in output
        assert list(Citizen.objects.values_list("cpr_encrypted", "version")) == snapshot

    # With only the new key left, every row still decrypts.
    with override_settings(FORLOB_CPR_KEYS=NEW_KEY):
        assert [c.reveal_cpr() for c in Citizen.objects.exclude(cpr_encrypted=None)
                .order_by("pk")] == CPRS


def test_dry_run_changes_nothing(citizens):
    snapshot = list(Citizen.objects.values_list("cpr_encrypted", "cpr_index", "version"))
    with override_settings(FORLOB_CPR_KEYS=ROTATED_RING):
        output = rotate("--dry-run")
    assert "Would re-encrypt 4 of 4" in output
    assert list(Citizen.objects.values_list("cpr_encrypted", "cpr_index", "version")) == snapshot


def test_rotation_refuses_rows_under_an_unknown_key(citizens):
    snapshot = list(Citizen.objects.values_list("cpr_encrypted", flat=True))
    with override_settings(FORLOB_CPR_KEYS=NEW_KEY), pytest.raises(CommandError) as exc:
        rotate()
    assert "not in FORLOB_CPR_KEYS" in str(exc.value)
    for kid in {s.partition("$")[0] for s in snapshot}:
        assert kid in str(exc.value)
    assert list(Citizen.objects.values_list("cpr_encrypted", flat=True)) == snapshot


def test_reindex_after_an_index_key_change(citizens):
    new_index_key = base64.b64encode(b"k" * 32).decode()
    with override_settings(FORLOB_CPR_INDEX_KEY=new_index_key):
        assert not Citizen.objects.filter(cpr_index=crypto.blind_index(CPRS[0])).exists()
        output = rotate("--reindex")
        assert "Reindexed 4 of 4" in output
        assert Citizen.objects.get(cpr_index=crypto.blind_index(CPRS[0])) == citizens[0]
        assert "Reindexed 0 of 4" in rotate("--reindex")


# --- Logging ---------------------------------------------------------------------------------

def make_record(msg, args=()):
    return logging.LogRecord("forlob.test", logging.WARNING, __file__, 1, msg, args, None)


@pytest.mark.parametrize("msg, args", [
    ("Opslag på 010180-1234 fejlede", ()),
    ("Opslag på %s fejlede", ("0101801234",)),
    ("cpr=%(cpr)s", ({"cpr": "010180 1234"},)),
])
def test_log_records_are_redacted(msg, args):
    record = make_record(msg, args)
    assert RedactCprFilter().filter(record) is True
    text = record.getMessage()
    assert "1234" not in text and "[CPR]" in text


def test_log_records_without_cpr_are_untouched():
    record = make_record("Borger %s fik %d henvisninger", ("abc", 3))
    RedactCprFilter().filter(record)
    assert record.args == ("abc", 3)
    assert record.getMessage() == "Borger abc fik 3 henvisninger"


def test_every_configured_handler_redacts():
    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "no_cpr" in handler.get("filters", []), name
    root = logging.getLogger()
    assert root.handlers
    for handler in root.handlers:
        if type(handler).__module__.startswith("_pytest"):
            continue
        assert any(isinstance(f, RedactCprFilter) for f in handler.filters), handler


def test_a_logged_cpr_is_written_redacted():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactCprFilter())
    logger = logging.getLogger("forlob.test.redact")
    logger.addHandler(handler)
    try:
        logger.error("Fejl for %s", "0101801234")
    finally:
        logger.removeHandler(handler)
    assert "0101801234" not in stream.getvalue()
    assert "[CPR]" in stream.getvalue()
