"""Ed25519 signing keys and the canonical bytes that get hashed and signed.

The private key is a PEM file created on first use with owner-only permissions: $ASSAY_SIGNING_KEY,
else `signing-key.pem` next to a SQLite store, else in the user's data directory. A key readable by
others is refused rather than used: anyone who can read it can forge evidence.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from assay.errors import ConfigError

KEY_ENV = "ASSAY_SIGNING_KEY"
SCAN_CONTEXT = b"assay-scan-v1:"  # domain separation: a scan signature can never pass for another kind
ATTESTATION_CONTEXT = b"assay-attestation-v1:"
MANIFEST_CONTEXT = b"assay-manifest-v1:"


def canonical(obj: Any) -> bytes:
    """The one JSON serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chain_hash(prev_hash: str, header: bytes) -> str:
    """A scan's link: it commits to the previous scan's hash and to everything the header names."""
    return sha256(f"{prev_hash}:{sha256(header)}".encode("ascii"))


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256(raw)[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise ValueError(f"not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify(public: Ed25519PublicKey, context: bytes, message: bytes, signature_b64: str) -> bool:
    try:
        public.verify(base64.b64decode(signature_b64, validate=True), context + message)
    except (InvalidSignature, ValueError):
        return False
    return True


class Signer:
    def __init__(self, private: Ed25519PrivateKey, path: Path | None = None) -> None:
        self._private = private
        self.path = path
        self.public = private.public_key()
        self.key_id = key_id_of(self.public)
        self.public_pem = public_pem(self.public)

    def sign(self, context: bytes, message: bytes) -> str:
        return base64.b64encode(self._private.sign(context + message)).decode("ascii")

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())


def default_key_path(sqlite_file: Path | None) -> Path:
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV]).expanduser()
    if sqlite_file is not None:
        return sqlite_file.with_name("signing-key.pem")
    from platformdirs import user_data_dir

    return Path(user_data_dir("assay")) / "signing-key.pem"


def load_or_create(path: Path) -> Signer:
    """The key at `path`, created (mode 0600, never overwritten) when absent."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        # Written to a private temporary file, then linked into place: a concurrent reader never sees
        # half a key, and of two processes creating one at once, the first link wins.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        except OSError as exc:
            raise ConfigError(f"cannot create the signing key {path}: {exc.strerror}") from None
        else:
            return Signer(private, path)
        finally:
            tmp.unlink(missing_ok=True)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(f"signing key {path} is accessible to other users (mode {mode:o}); "
                              f"run `chmod 600 {path}`")
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"signing key {path} is not a readable PEM private key ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"cannot read the signing key {path}: {exc.strerror}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ConfigError(f"signing key {path} is not an Ed25519 key")
    return Signer(loaded, path)
