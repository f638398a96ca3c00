"""Render untrusted text (file names, values, YAML problems) safely inside messages.

Control characters (C0, C1, DEL, bidi overrides) are escaped so nothing reaches the terminal raw,
and long text is cut to a bound so a hostile input cannot flood the output.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata

#: characters that must never reach a terminal raw (besides the C0/C1 control categories)
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
MESSAGE_LIMIT = 200  # characters of one untrusted value shown in a message
MAX_NAME_BYTES = 120  # a result folder name; leaves room for temp-name decoration (255 max)
_UNSAFE_CHARS = set('/\\<>:"|?*')


def has_control(text: str, allow: str = "") -> bool:
    """True if ``text`` holds a control character (Unicode category Cc) or a bidi override."""
    return any((unicodedata.category(c) == "Cc" and c not in allow) or c in _BIDI for c in text)


def escape(text: str) -> str:
    """Replace control characters and bidi overrides by ``\\xNN`` / ``\\uNNNN`` escapes."""
    out = []
    for c in text:
        if unicodedata.category(c) == "Cc" or c in _BIDI:
            code = ord(c)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(c)
    return "".join(out)


def shown(value: object, limit: int = MESSAGE_LIMIT) -> str:
    """A printable, bounded rendering of an untrusted value for an error message."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text)


def shown_path(path: str | os.PathLike, limit: int = 300) -> str:
    """A printable, bounded rendering of a path (undecodable bytes shown as escapes)."""
    text = os.fsdecode(path) if not isinstance(path, str) else path
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > limit:
        text = "…" + text[-(limit - 1):]
    return escape(text)


def quoted(value: object, limit: int = 100) -> str:
    """``shown`` in single quotes (text) or as a repr (other values)."""
    return f"'{shown(value, limit)}'" if isinstance(value, str) else shown(value, limit)


def safe_name(text: str, fallback: str = "unnamed") -> str:
    """A result-folder name from untrusted text (a scenario file's stem, a list of ids).

    Path separators, control characters and characters Windows forbids become ``_``; leading and
    trailing dots and spaces are dropped (so ``..`` or ``.`` never names a parent); the result
    is at most ``MAX_NAME_BYTES`` UTF-8 bytes (cut at a character boundary, with a short hash of
    the full text so two long names stay distinct).
    """
    text = unicodedata.normalize("NFC", str(text))
    chars = [
        "_" if (c in _UNSAFE_CHARS or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")) else c
        for c in text
    ]
    name = "".join(chars).strip(" .")
    if not name:
        return fallback
    raw = name.encode("utf-8")
    if len(raw) <= MAX_NAME_BYTES:
        return name
    digest = hashlib.sha256(raw).hexdigest()[:8]
    cut = raw[: MAX_NAME_BYTES - 9].decode("utf-8", "ignore").rstrip(" .")
    return f"{cut}-{digest}"
