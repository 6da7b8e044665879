"""Delivery of decision letters (issue 3 item 7).

Sending goes through one small interface, so Digital Post can replace the default outbox later:
set FORLOB_LETTER_DELIVERY to the dotted path of a class with the `deliver` method below.
The default, `OutboxDelivery`, writes each letter as a PDF file to FORLOB_OUTBOX_DIR, with a
small JSON receipt next to it. The files hold personal data: the folder is created readable by
the service user only, and operations moves or removes the files (docs/operations.md).
"""

import hashlib
import json
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryFailed(Exception):
    """The letter could not be handed over; the sending is rolled back."""


@runtime_checkable
class LetterDelivery(Protocol):
    """Hands a rendered letter to its channel. Raise DeliveryFailed when that fails."""

    channel: str

    def deliver(self, decision, pdf_bytes: bytes, filename: str) -> str:
        """Deliver the letter; return a reference to where it went (path, message id)."""
        ...


class OutboxDelivery:
    """Writes letters to a folder, from where a dispatcher (print, Digital Post) picks them up."""

    channel = "outbox"

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory or settings.FORLOB_OUTBOX_DIR)

    def deliver(self, decision, pdf_bytes: bytes, filename: str) -> str:
        if not filename or os.sep in filename or filename.startswith("."):
            raise DeliveryFailed(f"invalid file name: {filename!r}")
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            target = self.directory / filename
            # "x": never overwrite a letter already in the outbox (a sent letter is immutable).
            self._write(target, pdf_bytes)
            receipt = {
                "decision": decision.pk,
                "course": decision.course_id,
                "citizen": str(decision.course.citizen.public_id),
                "sent_on": decision.letter_sent_on.isoformat() if decision.letter_sent_on else None,
                "sha256": hashlib.sha256(pdf_bytes).hexdigest(),
                "file": filename,
            }
            try:
                self._write(target.with_suffix(".json"),
                            json.dumps(receipt, indent=2).encode("utf-8"))
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise DeliveryFailed(str(exc)) from exc
        return str(target)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with open(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise


def get_delivery() -> LetterDelivery:
    """The configured delivery (settings.FORLOB_LETTER_DELIVERY, a dotted class path)."""
    return import_string(settings.FORLOB_LETTER_DELIVERY)()
