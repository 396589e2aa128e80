"""Backups and exports: the whole progress as JSON (and back), cards for Anki or as CSV.

The JSON backup holds every table (attempts, cards, review log, mistakes, exams, settings) plus
``fsrs_review_logs`` in the fsrs ``ReviewLog.to_dict()`` format, ready for the fsrs Optimizer::

    logs = [fsrs.ReviewLog.from_dict(d) for d in json.load(f)["fsrs_review_logs"]]

Importing checks every field of the file first, then restores it into an empty store or merges
it into one with progress (no duplicates, conflicts reported): :mod:`tutor.backup_import`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterator

from tutor.clock import iso, utc
from tutor.store import SCHEMA_VERSION, Store, StoreError
from tutor.store_texts import notice, os_reason

if TYPE_CHECKING:
    from tutor.backup_check import Backup
    from tutor.backup_import import ImportReport

FORMAT = "ml-tutor-progress"
FORMAT_VERSION = 1
TABLES = ("attempts", "cards", "review_log", "mistakes", "exams", "exam_answers", "exam_drafts")
JSON_COLUMNS = {
    "attempts": ("answer",),
    "cards": ("card",),
    "review_log": ("before", "after"),
    "exams": ("topics", "items", "report"),
    "exam_answers": ("answer",),
    "exam_drafts": ("answer",),
}


# --------------------------------------------------------------------------- files


def export_target(path: Path | str) -> Path:
    """The file an export may replace: a new path, or an existing regular file — through a
    symbolic link only when the link points to a regular file (the target is written, the link
    kept). A device (/dev/full, /dev/null), a FIFO, a socket, a folder or a dangling link is
    refused with :class:`StoreError`, never replaced. The errors' messages are
    :class:`~tutor.store_errors.Notice` (English and Korean)."""
    path = Path(path).expanduser()
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as e:
        raise _cannot_write(path, e) from None
    shown = path
    if stat.S_ISLNK(st.st_mode):
        try:
            path = path.resolve(strict=True)
            st = os.stat(path)
        except (OSError, RuntimeError):
            raise StoreError(notice("cli.backup.dangling", path=shown)) from None
    if stat.S_ISREG(st.st_mode):
        return path
    what = "folder" if stat.S_ISDIR(st.st_mode) else "fifo" if stat.S_ISFIFO(st.st_mode) else "device"
    raise StoreError(notice("cli.backup.not_a_file", path=shown, what=notice(f"cli.backup.what.{what}")))


def _cannot_write(path: Path, e: OSError) -> StoreError:
    return StoreError(notice("cli.backup.cannot_write", path=path, error=os_reason(e)))


@contextmanager
def _writer(path: Path | str | IO[str], *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """Write text to a file atomically (temp file + rename), or to an open text stream."""
    if hasattr(path, "write"):
        yield path  # type: ignore[misc]
        return
    path = export_target(path)     # never a device, FIFO or folder; a link is written through
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent) if str(path.parent) else ".")
    except OSError as e:
        raise _cannot_write(path, e) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            yield f
        os.replace(tmp, path)
    except OSError as e:
        _unlink(tmp)
        raise _cannot_write(path, e) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(p: str) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


def _read_text(path: Path | str | IO[str]) -> tuple[str, str]:
    if hasattr(path, "read"):
        return path.read(), getattr(path, "name", "<stream>")  # type: ignore[union-attr]
    path = Path(path).expanduser()
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except FileNotFoundError:
        raise StoreError(notice("cli.backup.no_file", path=path)) from None
    except IsADirectoryError:
        raise StoreError(notice("cli.backup.folder", path=path)) from None
    except UnicodeDecodeError:
        raise StoreError(notice("cli.backup.not_utf8", path=path)) from None
    except OSError as e:
        raise StoreError(notice("cli.backup.cannot_read", path=path, error=os_reason(e))) from None


# --------------------------------------------------------------------------- JSON progress


def progress_dict(store: Store) -> dict[str, Any]:
    """Everything in the store as plain JSON-able data (one consistent snapshot)."""
    data: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION, "schema": SCHEMA_VERSION,
                            "exported": iso(utc())}
    with store.snapshot() as c:
        data["settings"] = {k: json.loads(v) for k, v in c.execute("SELECT key, value FROM settings ORDER BY key")}
        for table in TABLES:
            order = ("exam_id, idx" if table in ("exam_answers", "exam_drafts")
                     else ("item_id" if table == "cards" else "id"))
            cur = c.execute(f"SELECT * FROM {table} ORDER BY {order}")
            cols = [d[0] for d in cur.description]
            rows = []
            for r in cur:
                row = dict(zip(cols, r))
                for col in JSON_COLUMNS.get(table, ()):
                    if row.get(col) is not None:
                        row[col] = json.loads(row[col])
                rows.append(row)
            data[table] = rows
    data["fsrs_review_logs"] = [
        {"card_id": r["card_id"], "rating": r["rating"], "review_datetime": r["reviewed_at"],
         "review_duration": r["duration_ms"]} for r in data["review_log"]]
    return data


def export_progress_json(store: Store, path: Path | str | IO[str]) -> None:
    """Write the whole progress as JSON to ``path`` (atomically) or to an open text stream."""
    data = progress_dict(store)
    with _writer(path) as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")


def import_progress_json(store: Store, path: Path | str | IO[str], *, dry_run: bool = False,
                         prefer_backup: bool = False) -> ImportReport:
    """Import a JSON backup: every field is checked first (:class:`~tutor.backup_import.BackupInvalid`
    lists the problems, nothing is written), then it is restored into an empty store or merged into
    one with progress, in one transaction (see :mod:`tutor.backup_import`). ``dry_run`` writes
    nothing; the report says what would change. Raises StoreError if the file is not a tutor backup.
    """
    from tutor.backup_import import import_backup

    return import_backup(store, read_backup(path), dry_run=dry_run, prefer_backup=prefer_backup)


def read_backup(path: Path | str | IO[str]) -> Backup:
    """Read and check a JSON backup without opening any store: StoreError if it is not a tutor
    backup, :class:`~tutor.backup_check.BackupInvalid` listing every bad field."""
    from tutor.backup_check import parse_backup

    text, name = _read_text(path)
    return parse_backup(text, name)


def dry_run_store(data_dir: Path | str) -> Store:
    """The progress in ``data_dir`` as a copy in memory, for ``tutor import --dry-run``: nothing
    on disk is created or changed (no folder, no database, no ``last_open``, no migration). A
    folder without progress gives an empty store."""
    import sqlite3

    from tutor.config import read_only_uri
    from tutor.schema import MIGRATIONS, create_schema
    from tutor.store import DB_NAME
    from tutor.store_errors import store_error

    path = Path(data_dir).expanduser() / DB_NAME
    mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        if path.is_file():
            src = sqlite3.connect(read_only_uri(path), uri=True, timeout=10)
            try:
                src.backup(mem)
            finally:
                src.close()
        version = mem.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            create_schema(mem)
        for v in range(version or SCHEMA_VERSION, SCHEMA_VERSION):   # an older file, upgraded in memory only
            MIGRATIONS[v](mem)
    except sqlite3.Error as e:
        mem.close()
        raise store_error(e, path) from None
    if version > SCHEMA_VERSION:
        mem.close()
        raise StoreError(f"the progress database {path} was written by a newer tutor; please upgrade tutor")
    return Store(mem, path)


# --------------------------------------------------------------------------- cards


def _tag(s: str) -> str:
    return "_".join(str(s).split())  # Anki tags are separated by spaces


def export_cards(cards: list[dict], path: Path | str | IO[str], fmt: str) -> None:
    """Write cards [{"front", "back", "topic", "id"}] for Anki or as CSV.

    * ``anki``: UTF-8 text with the header lines ``#separator:tab``, ``#html:true``,
      ``#tags column:3``, then ``front<TAB>back<TAB>tags`` (the topic as tag, plus any "tags").
      The fields are HTML (:func:`tutor.anki.tsv_cards` renders them: Markdown, MathJax math,
      the engine's numbers); Anki shows them as written.
      A field holding a tab, a newline or a double quote is double-quoted with quotes doubled,
      which Anki's importer reads back as one field (newlines kept).
    * ``csv``: ``id,topic,front,back`` with a header row, written by the csv module, UTF-8 with a
      BOM when written to a file (so spreadsheet programs show Korean text correctly).
    """
    if fmt not in ("anki", "csv"):
        raise ValueError(f"unknown card format {fmt!r} (anki or csv)")
    for i, card in enumerate(cards):
        missing = [k for k in ("front", "back") if k not in card]
        if missing:
            raise ValueError(f"card {i} ({card.get('id', '?')}) has no {', '.join(missing)}")
    if fmt == "anki":
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="\t", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        for card in cards:
            tags = [_tag(card["topic"])] if card.get("topic") else []
            tags += [_tag(t) for t in card.get("tags", [])]
            w.writerow([str(card["front"]), str(card["back"]), " ".join(dict.fromkeys(tags))])
        with _writer(path, newline="") as f:
            f.write("#separator:tab\n#html:true\n#tags column:3\n")
            f.write(buf.getvalue())
        return
    to_stream = hasattr(path, "write")
    with _writer(path, encoding="utf-8" if to_stream else "utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "topic", "front", "back"])
        for card in cards:
            w.writerow([card.get("id", ""), card.get("topic", ""), str(card["front"]), str(card["back"])])


__all__ = ["export_progress_json", "import_progress_json", "read_backup", "dry_run_store", "export_cards",
           "progress_dict", "FORMAT"]
