"""Storage errors: :class:`StoreError` and the one-line messages for sqlite errors (stdlib only).

A read-only folder or file, a database locked by another program, a full disk, a damaged file:
each sqlite error is classified by its error code (by its text on Python 3.10) and becomes a
:class:`StoreError` whose ``str()`` is one line the CLI prints as is.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A storage problem the user can act on; ``str(e)`` is one line."""


class Notice(str):
    """A message about the progress file for the learner, in both languages. The store does not
    know the learner's language: ``str()`` is "English / 한국어" (logs, tests); the app and the
    commands show :func:`in_lang` — only the learner's language."""

    def __new__(cls, en: str, ko: str):
        obj = super().__new__(cls, f"{en} / {ko}")
        obj.en, obj.ko = en, ko
        return obj


def in_lang(message: str, lang: str | None) -> str:
    """A :class:`Notice` in ``lang``; any other message as it is."""
    if isinstance(message, Notice):
        return message.ko if lang == "ko" else message.en
    return str(message)


_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB, _PERM = 5, 6, 8, 10, 11, 13, 14, 26, 3


def classify(e: BaseException) -> str:
    """The kind of an sqlite error: busy, readonly, full, cantopen, corrupt, io or other."""
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        return {
            _BUSY: "busy", _LOCKED: "busy", _READONLY: "readonly", _PERM: "readonly", _FULL: "full",
            _CANTOPEN: "cantopen", _CORRUPT: "corrupt", _NOTADB: "corrupt", _IOERR: "io",
        }.get(primary, "other")
    msg = str(e).lower()  # Python 3.10: no error codes on the exception
    for needle, kind in (("locked", "busy"), ("readonly", "readonly"), ("read-only", "readonly"),
                         ("disk is full", "full"), ("unable to open", "cantopen"), ("malformed", "corrupt"),
                         ("not a database", "corrupt"), ("disk i/o", "io")):
        if needle in msg:
            return kind
    return "other"


def _message(kind: str, path: Path, e: BaseException) -> str:
    where = str(path)
    folder = str(path.parent)
    if kind == "busy":
        return (f"the progress database {where} is locked by another program (is another tutor busy?); "
                "close it and try again")
    if kind == "readonly":
        return (f"cannot save progress: {where} or its folder is read-only "
                "(make it writable, or choose another place with --data-dir or TUTOR_DATA_DIR)")
    if kind == "cantopen":
        return (f"cannot open or create the progress database in {folder}: the folder is not writable "
                "(make it writable, or choose another place with --data-dir or TUTOR_DATA_DIR)")
    if kind == "full":
        return f"cannot save progress to {where}: the disk is full (free some space and try again)"
    if kind == "corrupt":
        return f"the progress database {where} is damaged; start tutor again to move it aside and begin a fresh one"
    if kind == "io":
        return f"cannot read or write the progress database {where}: disk error ({e})"
    return f"progress database {where}: {str(e) or type(e).__name__}"


def one_line_message(kind: str, path: Path, e: BaseException) -> str:
    """What to tell the user about error ``e`` (of ``kind``) on the database ``path``, on one line."""
    return _message(kind, path, e).replace("\r", " ").replace("\n", " ")


def store_error(e: BaseException, path: Path) -> StoreError:
    """The StoreError to raise (``from None``) for the sqlite error ``e`` on the database ``path``."""
    return StoreError(one_line_message(classify(e), path, e))


__all__ = ["StoreError", "classify", "one_line_message", "store_error"]
