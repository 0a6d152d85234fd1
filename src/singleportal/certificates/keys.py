"""The Ed25519 key that signs new certificates, and the published set of public keys.

The private key is a PEM file named by settings.CERTIFICATE_SIGNING_KEY_FILE. The embedded
default makes one under the data folder on first use; production must provide it (a missing
file stops issuing with SigningKeyMissing). Rotation: point the setting at a new file (or, in
the embedded default, `singleportal manage certificate_key rotate`); the next certificate is
signed with it and its public key is added to the set. Old keys stay published.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from singleportal.certificates.models import SigningKey
from singleportal.certificates.verification import b64url


class SigningKeyMissing(ImproperlyConfigured):
    pass


class SigningKeyRevoked(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class LoadedKey:
    kid: str
    private: Ed25519PrivateKey
    public_b64: str


_loaded: dict[tuple[str, int, int], LoadedKey] = {}


def public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def key_id(public: bytes) -> str:
    """A short id derived from the public key itself, so a file names its own key."""
    return b64url(hashlib.sha256(public).digest()[:12])


def write_new_key(path: Path) -> None:
    """A new private key at `path` (readable by the owner only), written atomically; an
    existing file is replaced (its public key stays published in the database)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _create_once(path: Path) -> None:
    """The embedded default's first key; several processes starting at once make one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    os.close(fd)
    write_new_key(Path(temporary))
    try:
        os.link(temporary, path)  # fails if another process made it first: keep theirs
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def signing_key_file() -> Path:
    configured = settings.CERTIFICATE_SIGNING_KEY_FILE
    if not configured:
        raise SigningKeyMissing(
            "CERTIFICATE_SIGNING_KEY_FILE is not set: certificates cannot be signed. Create a "
            "key with `singleportal manage certificate_key new /path/key.pem` and export "
            "CERTIFICATE_SIGNING_KEY_FILE=/path/key.pem."
        )
    return Path(configured)


def load_signing_key() -> LoadedKey:
    """The configured private key (read once per process and file version)."""
    path = signing_key_file()
    if not path.exists():
        if not settings.CERTIFICATE_GENERATE_KEY:
            raise SigningKeyMissing(f"The certificate signing key file {path} does not exist.")
        _create_once(path)
    status = path.stat()
    stamp = (str(path), status.st_ino, status.st_mtime_ns)
    loaded = _loaded.get(stamp)
    if loaded is None:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise SigningKeyMissing(f"{path} does not hold an Ed25519 private key.")
        public = public_bytes(private)
        loaded = LoadedKey(key_id(public), private, b64url(public))
        _loaded.clear()
        _loaded[stamp] = loaded
    return loaded


def current_signing_key() -> tuple[LoadedKey, SigningKey]:
    """The key new certificates are signed with, and its published row (added on first use).
    Refuses a revoked key: the operator must configure a new one."""
    loaded = load_signing_key()
    row, _ = SigningKey.objects.get_or_create(
        kid=loaded.kid,
        defaults={"public_key": loaded.public_b64, "not_before": timezone.now()},
    )
    if row.revoked_at is not None:
        raise SigningKeyRevoked(
            f"The certificate signing key {row.kid} was revoked: configure a new key file."
        )
    return loaded, row


def published_keys() -> dict[str, Any]:
    """The public keys as a JWKS-style document (RFC 8037 OKP keys), newest first."""
    keys = []
    for row in SigningKey.objects.order_by("-not_before", "-pk"):
        keys.append(
            {
                "kid": row.kid,
                "kty": "OKP",
                "crv": "Ed25519",
                "x": row.public_key,
                "alg": "EdDSA",
                "use": "sig",
                "status": "revoked" if row.revoked_at else "active",
                "not_before": row.not_before.isoformat(),
                "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            }
        )
    return {"keys": keys}
