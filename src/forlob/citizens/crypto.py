"""CPR at rest: AES-256-GCM encryption with a key ring, and a keyed HMAC blind index.

Stored form: "<key-id>$<base64(nonce || ciphertext+tag)>". The key id says which key decrypts,
so keys can be rotated: put the new key first in FORLOB_CPR_KEYS, keep the old ones after it,
run `manage.py rotate_cpr_keys`, then drop the old key (docs/operations.md).
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_AAD = b"forlob.citizens.cpr.v1"


@lru_cache(maxsize=8)
def _parse_ring(spec: str) -> tuple[tuple[str, bytes], ...]:
    ring = []
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        kid, sep, b64 = part.partition(":")
        if not sep or not kid or "$" in kid:
            raise ImproperlyConfigured("FORLOB_CPR_KEYS entries must be 'key-id:base64-key'.")
        key = base64.b64decode(b64)
        if len(key) != 32:
            raise ImproperlyConfigured(f"CPR key {kid!r} must be 32 bytes (AES-256).")
        ring.append((kid, key))
    if not ring:
        raise ImproperlyConfigured("FORLOB_CPR_KEYS is not set.")
    return tuple(ring)


def key_ring() -> tuple[tuple[str, bytes], ...]:
    return _parse_ring(settings.FORLOB_CPR_KEYS)


def active_key_id() -> str:
    return key_ring()[0][0]


def encrypt(plain: str) -> str:
    kid, key = key_ring()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), _AAD)
    return f"{kid}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str) -> str:
    kid, _, payload = stored.partition("$")
    keys = dict(key_ring())
    if kid not in keys:
        raise ImproperlyConfigured(f"No CPR key with id {kid!r} in FORLOB_CPR_KEYS.")
    raw = base64.b64decode(payload)
    return AESGCM(keys[kid]).decrypt(raw[:12], raw[12:], _AAD).decode()


def key_id_of(stored: str) -> str:
    return stored.partition("$")[0]


def blind_index(number: str) -> str:
    """HMAC-SHA256 of the normalised number: equal numbers find each other, nothing leaks."""
    if not settings.FORLOB_CPR_INDEX_KEY:
        raise ImproperlyConfigured("FORLOB_CPR_INDEX_KEY is not set.")
    key = base64.b64decode(settings.FORLOB_CPR_INDEX_KEY)
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
