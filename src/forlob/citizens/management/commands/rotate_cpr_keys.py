"""Re-encrypt every stored CPR number with the active key, and optionally rebuild the index.

Key rotation (docs/operations.md):
1. Put the new key first in FORLOB_CPR_KEYS and keep the old ones after it; restart.
2. Run `manage.py rotate_cpr_keys`; it re-encrypts rows still under an older key.
3. When it reports 0 rows left under old keys, drop the old keys from FORLOB_CPR_KEYS.

After changing FORLOB_CPR_INDEX_KEY, run it with `--reindex` to recompute every blind index.

Rows are handled in batches, each in its own transaction with the rows locked, so the command can
be stopped and run again: it is idempotent. Every row it changes gets its version bumped (an
editor with the row open must reload instead of writing back the old ciphertext) and one audit
record (channel "cli"), because the command reads the personal data to re-encrypt it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F

from forlob.audit.recorder import Action, record_many
from forlob.citizens import crypto
from forlob.citizens.models import Citizen

PURPOSE = "nøglerotation (CPR)"


class Command(BaseCommand):
    help = "Re-encrypt CPR numbers with the active key (first in FORLOB_CPR_KEYS)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500,
                            help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would change; write nothing.")
        parser.add_argument("--reindex", action="store_true",
                            help="Also recompute the blind index (after an index-key change).")

    def handle(self, *args, batch_size, dry_run, reindex, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            active = crypto.active_key_id()
            known = {kid for kid, _ in crypto.key_ring()}
            if reindex:
                crypto.blind_index("0000000000")  # fails early without an index key
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

        rows = Citizen.objects.filter(cpr_encrypted__isnull=False)
        missing = self._unknown_key_ids(rows, known)
        if missing:
            raise CommandError(
                "Rows are encrypted with key id(s) not in FORLOB_CPR_KEYS: "
                f"{', '.join(sorted(missing))}. Add the key(s) back and run again; nothing was "
                "changed."
            )

        total = reencrypted = reindexed = 0
        last_pk = 0
        while True:
            ids = list(
                rows.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[
                    :batch_size
                ]
            )
            if not ids:
                break
            last_pk = ids[-1]
            with transaction.atomic():
                batch = list(
                    Citizen.objects.select_for_update().filter(pk__in=ids).order_by("pk")
                )
                changed = []
                for citizen in batch:
                    total += 1
                    plain = None
                    updates = {}
                    if crypto.key_id_of(citizen.cpr_encrypted) != active:
                        plain = crypto.decrypt(citizen.cpr_encrypted)
                        updates["cpr_encrypted"] = crypto.encrypt(plain)
                        reencrypted += 1
                    if reindex:
                        plain = plain or crypto.decrypt(citizen.cpr_encrypted)
                        index = crypto.blind_index(plain)
                        if index != citizen.cpr_index:
                            updates["cpr_index"] = index
                            reindexed += 1
                    if updates and not dry_run:
                        Citizen.objects.filter(pk=citizen.pk).update(
                            version=F("version") + 1, **updates
                        )
                        changed.append(citizen)
                if changed:
                    record_many(None, Action.UPDATE, changed, purpose=PURPOSE)

        verb = "Would re-encrypt" if dry_run else "Re-encrypted"
        self.stdout.write(
            f"{verb} {reencrypted} of {total} CPR numbers with key {active!r}; "
            f"{total - reencrypted} already used it."
        )
        if reindex:
            verb = "Would reindex" if dry_run else "Reindexed"
            self.stdout.write(f"{verb} {reindexed} of {total} blind indexes.")
        left = 0 if not dry_run else reencrypted
        self.stdout.write(f"Rows under older keys: {left}.")

    @staticmethod
    def _unknown_key_ids(rows, known: set[str]) -> set[str]:
        missing = set()
        for stored in rows.values_list("cpr_encrypted", flat=True).iterator(chunk_size=2000):
            kid = crypto.key_id_of(stored)
            if kid not in known:
                missing.add(kid)
        return missing
