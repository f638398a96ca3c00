"""Option parsers shared by the sub-commands (argparse ``type=`` callables)."""

from __future__ import annotations

import argparse


def integer(expected: str):
    """An argparse type reading a whole number; anything else -> "expected <expected>, got '...'".

    Ranges are checked by each command after parsing, where the message can name the allowed range.
    """

    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None

    return parse
