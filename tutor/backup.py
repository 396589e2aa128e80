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

if TYPE_CHECKING:
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
    refused with :class:`StoreError`, never replaced."""
    path = Path(path).expanduser()
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as e:
        raise StoreError(f"cannot write {path}: {e.strerror or e}") from None
    shown = path
    if stat.S_ISLNK(st.st_mode):
        try:
            path = path.resolve(strict=True)
            st = os.stat(path)
        except (OSError, RuntimeError):
            raise StoreError(f"cannot write {shown}: it is a symbolic link to nothing; give a file name") from None
    if stat.S_ISREG(st.st_mode):
        return path
    what = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
            else "a device or socket")
    raise StoreError(f"cannot write {shown}: it is {what}, not a file; give a new file name")


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
        raise StoreError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            yield f
        os.replace(tmp, path)
    except OSError as e:
        _unlink(tmp)
        raise StoreError(f"cannot write {path}: {e.strerror or e}") from None
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
        raise StoreError(f"cannot import {path}: no such file") from None
    except UnicodeDecodeError:
        raise StoreError(f"cannot import {path}: not a UTF-8 text file (expected a tutor JSON backup)") from None
    except OSError as e:
        raise StoreError(f"cannot import {path}: {e.strerror or e}") from None


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
    from tutor.backup_import import import_backup, parse_backup

    text, name = _read_text(path)
    backup = parse_backup(text, name)
    return import_backup(store, backup, dry_run=dry_run, prefer_backup=prefer_backup)


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


__all__ = ["export_progress_json", "import_progress_json", "export_cards", "progress_dict", "FORMAT"]
