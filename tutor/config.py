"""Where things are and which language: paths, language, and the one-line user error.

Every layer that needs the data dir, the content dirs or the default language imports them from
here, so nothing imports :mod:`tutor.cli` back (cli → commands → linemode → cli was a cycle).
Standard library only: this module is on every start path.
"""

from __future__ import annotations

import locale
import os
from pathlib import Path

EXIT_USAGE = 2
DB_NAME = "progress.sqlite3"   # the progress database in the data dir


class UsageError(Exception):
    """A one-line user error (exit code 2)."""


def default_lang() -> str:
    for var in ("TUTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var, "")
        if val:
            return "ko" if val.lower().startswith("ko") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "ko" if loc.lower().startswith("ko") else "en"


def data_dir(arg: str | None) -> Path:
    """``--data-dir``, else ``$TUTOR_DATA_DIR``, else the platform's user data directory."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("TUTOR_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("ml-tutor", appauthor=False))


def content_dirs(args) -> list[Path] | None:
    """The ``--content DIR`` options of parsed CLI arguments (``None``: the shipped lessons)."""
    dirs = getattr(args, "content", None)
    if not dirs:
        return None
    out = []
    for d in dirs:
        p = Path(d).expanduser()
        if not p.is_dir():
            raise UsageError(f"tutor: --content {d}: not a directory")
        out.append(p)
    return out


def read_only_uri(path: Path) -> str:
    """An SQLite URI that reads ``path`` without writing a byte: ``mode=ro`` needs the WAL's index
    (``-shm``) and creates it (and a ``-wal``) when they are missing; a database without them has
    no WAL to read, so ``immutable=1`` reads it as it is."""
    wal, shm = (path.with_name(path.name + s) for s in ("-wal", "-shm"))
    mode = "mode=ro" if wal.exists() and (shm.exists() or wal.stat().st_size) else "immutable=1"
    return f"{path.resolve().as_uri()}?{mode}"


def saved_lang(args) -> str | None:
    """The language chosen in the app (setting "lang"), read without changing the data dir; None
    when there is none or it cannot be read (every command then falls back to the locale)."""
    import sqlite3

    path = data_dir(getattr(args, "data_dir", None)) / DB_NAME
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'lang'").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    lang = row[0].strip('"') if row and isinstance(row[0], str) else None
    return lang if lang in ("ko", "en") else None
