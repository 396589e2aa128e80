"""Text from outside (paths, file contents, typed names) made safe to print on a terminal."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """``text`` as one line safe to print: control and format characters (ESC sequences, newlines,
    bidi overrides such as U+202E, typed into a path or a topic name) are shown escaped, not sent
    to the terminal. Everything else, Korean included, is kept."""
    out = []
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)
