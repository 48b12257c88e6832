"""Access codes: 28 characters of Crockford base32 (140 random bits), shown once in
groups of four, stored as the SHA-256 of the normalised form. Normalising forgives
what people do when they type a code: lower case, spaces and hyphens, O for 0 and
I or L for 1."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 28
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def friendly(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str:
    """The canonical form of what someone typed, or "" when it cannot be a code."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -\t\r\n")
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return cleaned


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()
