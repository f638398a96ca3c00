"""Chinese text pass: full-width punctuation in Chinese sentences, task texts cut at a sentence end.

Chinese typesetting uses full-width punctuation (U+FF0C comma, U+FF1A colon, U+3002 full stop...) next to Chinese characters;
ASCII punctuation there reads as machine output. :func:`fullwidth` converts the ASCII marks
that touch a CJK character (a bracket pair is converted when either bracket or its content
touches CJK text); numbers (``1,234.5``), codes (``levers.fdi``) and English text are left
alone. :func:`ascii_punct_after_cjk` finds what is left (the reports' test uses it).
"""

from __future__ import annotations

import re

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_FULL = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "?": "\uff1f", "!": "\uff01", "(": "\uff08", ")": "\uff09"}
#: a full-width mark or CJK character counts as Chinese context for its neighbours
_CTX = re.compile(f"[{_CJK}\u3000-\u303f\uff00-\uffef]")
SENTENCE_ENDS = "\u3002\uff1b\uff01\uff1f"  # 。；！？
CLAUSE_ENDS = "\uff0c\u3001,"  # ，、,
ELLIPSIS = "\u2026\u2026"  # ……


def _is_ctx(ch: str) -> bool:
    return bool(ch) and bool(_CTX.match(ch))


def _pairs(text: str) -> dict[int, int]:
    stack, out = [], {}
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            out[j] = i
    return out


def fullwidth(text: str) -> str:
    """ASCII , ; : ? ! ( ) touching Chinese text -> full-width; a period ending a Chinese
    sentence -> 。. Spaces around a converted mark are dropped (full-width marks carry their
    own spacing)."""
    if not text or not _CJK_RE.search(text):
        return text
    chars = list(text)
    n = len(chars)

    def left(i: int) -> str:
        j = i - 1
        while j >= 0 and chars[j] == " ":
            j -= 1
        return chars[j] if j >= 0 else ""

    def right(i: int) -> str:
        j = i + 1
        while j < n and chars[j] == " ":
            j += 1
        return chars[j] if j < n else ""

    for o, c in _pairs(text).items():
        inner = text[o + 1 : c]
        if _is_ctx(left(o)) or _is_ctx(right(c)) or _CJK_RE.search(inner):
            chars[o], chars[c] = _FULL["("], _FULL[")"]
    convert: set[int] = set()
    for i, ch in enumerate(chars):
        if ch in ",;:?!" and (_is_ctx(left(i)) or (ch in ",;:" and _CJK_RE.match(right(i) or " "))) \
                and not (ch == ":" and right(i) == "/"):
            nxt = right(i)
            if ch == "," and left(i).isdigit() and nxt.isdigit():
                continue
            convert.add(i)
        elif ch == "." and _CJK_RE.match(left(i) or " ") and (right(i) in ("", " ") or _is_ctx(right(i))):
            chars[i] = "。"
    for i in convert:
        chars[i] = _FULL[chars[i]]
    out = "".join(chars)
    # no blanks around full-width punctuation
    return re.sub(" *([\uff0c\uff1b\uff1a\uff1f\uff01\uff08\uff09\u3002]) *", r"\1", out)


_LEFTOVER = re.compile(f"[{_CJK}][,.;:?!)]")


def ascii_punct_after_cjk(text: str) -> list[str]:
    """Places where ASCII sentence punctuation follows a Chinese character (with context)."""
    return [text[max(0, m.start() - 8) : m.end() + 8] for m in _LEFTOVER.finditer(text)]


def cut_at_sentence(text: str, limit: int = 60) -> tuple[str, bool]:
    """``text`` whole when it fits in ``limit`` characters, else cut after the last sentence
    end or, failing that, clause end before ``limit``, with an ellipsis (……).
    Returns (shown text, was cut); the caller shows the full text on hover or in a footnote."""
    text = text.strip()
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    for marks in (SENTENCE_ENDS, CLAUSE_ENDS):
        k = max(head.rfind(m) for m in marks)
        if k > limit // 3:
            return head[: k + 1].rstrip(CLAUSE_ENDS) + ELLIPSIS, True
    return head + ELLIPSIS, True
