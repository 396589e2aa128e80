"""``tutor doctor``: check the progress database and repair what can be repaired (stdlib only).

Like Anki's *Check Database*. The checks, in order:

1. **integrity** (``PRAGMA integrity_check``). A damaged file is *salvaged* with ``--repair``: the
   rows SQLite can still read go into a fresh file — by the ``sqlite3`` command's ``.recover`` when
   it is installed, else table by table and, where a table cannot be read at once, rowid range by
   rowid range — and only then is the damaged file set aside (``progress.sqlite3.corrupt-<time>``).
   :meth:`tutor.store.Store.open` salvages the same way before it sets a damaged file aside.
2. **schema**: the version and every table of the current schema. A missing table is recreated.
3. **foreign keys** (``PRAGMA foreign_key_check``): rows pointing at nothing are quarantined.
4. **bad rows** that pass SQLite's own checks: JSON columns that do not parse, scores that are
   not numbers. They are moved to the side table ``quarantine`` (table, rowid, the row as JSON,
   the reason), so one bad row never blocks an export or a statistic.
5. **derived tables**: ``item_progress`` is rebuilt from ``attempts`` and the FSRS ``cards`` of
   reviewed items from the last state in ``review_log`` when missing or inconsistent.

Without ``--repair`` nothing is written. The report says what was found, what was repaired and how
many rows every table holds afterwards (``--json`` for a machine-readable one).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tutor.clock import iso, parse_iso, stamp, utc
from tutor.schema import REBUILD_ITEM_PROGRESS, SCHEMA_VERSION, create_schema
from tutor.store_errors import Notice, in_lang
from tutor.store_texts import both, column_name, notice, sqlite_reason, table_name

DB_NAME = "progress.sqlite3"
DERIVED = ("item_progress", "cards")
JSON_COLUMNS = {
    "attempts": ("answer",), "cards": ("card",), "review_log": ("before", "after"),
    "exams": ("topics", "items", "report"), "exam_answers": ("answer",), "exam_drafts": ("answer",),
    "settings": ("value",),
}
NUMBER_COLUMNS = {"attempts": ("score",), "exam_answers": ("score",), "review_log": ("rating",)}
QUARANTINE = ("CREATE TABLE IF NOT EXISTS quarantine (id INTEGER PRIMARY KEY, source TEXT NOT NULL, "
              "source_rowid INTEGER, row TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)")
_CARD_COLS = ("item_id", "topic", "card_id", "state", "due", "stability", "last_review", "reps", "lapses",
              "introduced", "card")


@dataclass
class Report:
    """What the doctor found and did. ``problems`` and ``repaired`` are :class:`Notice` lines
    (English and Korean, ``str()`` both); :meth:`lines` and :meth:`as_json` give one language."""

    path: str
    problems: list[Notice] = field(default_factory=list)  # what was found
    repaired: list[Notice] = field(default_factory=list)  # what was done about it
    kept: dict[str, int] = field(default_factory=dict)    # rows per table afterwards
    quarantined: int = 0
    salvaged_from: str | None = None

    @property
    def ok(self) -> bool:
        """No problem, or every problem repaired."""
        return not self.problems or bool(self.repaired)

    def as_json(self, lang: str = "en") -> dict:
        """The report for programs: English keys (and table names); the messages in ``lang``."""
        return {"path": self.path, "ok": self.ok, "problems": [in_lang(p, lang) for p in self.problems],
                "repaired": [in_lang(r, lang) for r in self.repaired],
                "kept": self.kept, "quarantined": self.quarantined, "salvaged_from": self.salvaged_from}

    def lines(self, lang: str = "en") -> list[str]:
        """The report for the learner, in ``lang``."""
        from tutor.i18n import tr

        out = [tr("cli.doctor.file", lang, path=self.path)]
        out += [tr("cli.doctor.problem", lang, what=in_lang(p, lang)) for p in self.problems] or \
            [tr("cli.doctor.no_problems", lang)]
        out += [tr("cli.doctor.repaired", lang, what=in_lang(r, lang)) for r in self.repaired]
        if self.problems and not self.repaired:
            out.append(tr("cli.doctor.run_repair", lang))
        if self.kept:
            counts = [tr("cli.doctor.count", lang, table=in_lang(table_name(t), lang), n=n) for t, n in self.kept.items()]
            out.append(tr("cli.doctor.rows", lang, tables=", ".join(counts)))
        return out


# --------------------------------------------------------------------------- the reference schema


def reference() -> dict[str, tuple[str, list[str]]]:
    """table -> (its CREATE statement, its CREATE INDEX statements) in the current schema."""
    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create_schema(mem)
        rows = mem.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    finally:
        mem.close()
    out: dict[str, tuple[str, list[str]]] = {}
    for typ, name, _tbl, sql in rows:
        if typ == "table":
            out[name] = (sql, out.get(name, ("", []))[1])
    for typ, _name, tbl, sql in rows:
        if typ == "index":
            out[tbl][1].append(sql)
    return out


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


# --------------------------------------------------------------------------- checks on a readable file


def check_connection(conn: sqlite3.Connection, report: Report, *, repair: bool) -> None:
    """Checks 2–5 on an open connection (autocommit); with ``repair`` inside one transaction."""
    if repair:
        conn.execute("BEGIN IMMEDIATE")
    try:
        _check_schema(conn, report, repair)
        _check_foreign_keys(conn, report, repair)
        _check_rows(conn, report, repair)
        _check_derived(conn, report, repair)
        if repair:
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    have = _tables(conn)
    report.kept = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                   for t in sorted(reference()) if t in have and t != "meta"}


def _check_schema(conn, report: Report, repair: bool) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        report.problems.append(notice("cli.doctor.version", version=version, expected=SCHEMA_VERSION))
    have = _tables(conn)
    for table, (sql, indexes) in reference().items():
        if table not in have:
            report.problems.append(notice("cli.doctor.missing", table=table_name(table)))
            if repair:
                conn.execute(sql)
                for ix in indexes:
                    conn.execute(ix)
                done = "cli.doctor.recreated" if table in DERIVED else "cli.doctor.recreated_empty"
                report.repaired.append(notice(done, table=table_name(table)))
            continue
        cols = _columns(conn, table)
        mem = sqlite3.connect(":memory:")
        mem.execute(sql)
        want = _columns(mem, table)
        mem.close()
        missing = [c for c in want if c not in cols]
        if missing:
            report.problems.append(notice("cli.doctor.lacks", table=table_name(table), columns=", ".join(missing)))


def _quarantine(conn, table: str, rowid: int, reason: str) -> None:
    reason = in_lang(reason, "en")    # the side table keeps the English reason
    conn.execute(QUARANTINE)
    cols = _columns(conn, table)
    row = conn.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    conn.execute("INSERT INTO quarantine(source, source_rowid, row, reason, at) VALUES (?,?,?,?,?)",
                 (table, rowid, json.dumps(dict(zip(cols, row)), ensure_ascii=False, default=str), reason, iso(utc())))
    conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))


def _check_foreign_keys(conn, report: Report, repair: bool) -> None:
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    for table, rowid, parent, _ in bad[:1000]:
        report.problems.append(notice("cli.doctor.dangling", table=table_name(table), row=rowid,
                                      parent=table_name(parent)))
        if repair and rowid is not None:
            _quarantine(conn, table, rowid, f"foreign key: no {parent} row")
            report.quarantined += 1
            report.repaired.append(notice("cli.doctor.moved", table=table_name(table), row=rowid))


def bad_rows(conn) -> list[tuple[str, int, Notice]]:
    """(table, rowid, reason) of every row whose JSON does not parse or whose score is not a number
    (the reason in both languages)."""
    out = []
    have = _tables(conn)
    for table, cols in JSON_COLUMNS.items():
        if table not in have:
            continue
        present = [c for c in cols if c in _columns(conn, table)]
        if not present:
            continue
        sel = ", ".join(f'"{c}"' for c in present)
        for row in conn.execute(f'SELECT rowid, {sel} FROM "{table}"'):
            for col, value in zip(present, row[1:]):
                if value is None:
                    continue
                try:
                    json.loads(value)
                except (TypeError, ValueError, RecursionError):
                    out.append((table, row[0], notice("cli.doctor.not_json", column=column_name(col))))
                    break
    for table, cols in NUMBER_COLUMNS.items():
        if table not in have:
            continue
        for col in cols:
            for (rowid,) in conn.execute(f'SELECT rowid FROM "{table}" WHERE typeof("{col}") NOT IN '
                                         f"('integer', 'real') OR \"{col}\" != \"{col}\""):
                if all(r[:2] != (table, rowid) for r in out):
                    out.append((table, rowid, notice("cli.doctor.not_number", column=column_name(col))))
    return out


def check_connection_rows(conn, report: Report) -> None:
    """The bad-row check and then the derived tables, with repair, inside the caller's transaction."""
    _check_rows(conn, report, True)
    _check_derived(conn, report, True)


def _check_rows(conn, report: Report, repair: bool) -> None:
    for table, rowid, reason in bad_rows(conn):
        report.problems.append(notice("cli.doctor.bad_row", table=table_name(table), row=rowid, reason=reason))
        if repair:
            _quarantine(conn, table, rowid, reason)
            report.quarantined += 1
    if repair and report.quarantined:
        report.repaired.append(notice("cli.doctor.quarantined", n=report.quarantined))


_EXPECTED_PROGRESS = "SELECT " + REBUILD_ITEM_PROGRESS.split(" SELECT ", 1)[1]
_PROGRESS_COLS = "item_id, topic, attempts, correct, learned, best, first_at, last_at"


def _check_derived(conn, report: Report, repair: bool) -> None:
    have = _tables(conn)
    if "item_progress" in have and "attempts" in have:
        diff = conn.execute(f"SELECT count(*) FROM (SELECT * FROM ({_EXPECTED_PROGRESS}) EXCEPT "
                            f"SELECT {_PROGRESS_COLS} FROM item_progress)").fetchone()[0] + \
            conn.execute(f"SELECT count(*) FROM (SELECT {_PROGRESS_COLS} FROM item_progress EXCEPT "
                         f"SELECT * FROM ({_EXPECTED_PROGRESS}))").fetchone()[0]
        if diff:
            report.problems.append(notice("cli.doctor.progress_differs", n=diff))
        if diff or (repair and any("item_progress" in r for r in report.repaired)):
            if repair:
                conn.execute("DELETE FROM item_progress")
                conn.execute(REBUILD_ITEM_PROGRESS)
                if diff:
                    report.repaired.append(notice("cli.doctor.progress_rebuilt"))
    if "cards" in have and "review_log" in have:
        wrong = _cards_from_log(conn, only_wrong=True)
        if wrong:
            report.problems.append(notice("cli.doctor.cards_differ", n=len(wrong)))
            if repair:
                for values in wrong:
                    conn.execute(f"INSERT OR REPLACE INTO cards({', '.join(_CARD_COLS)}) "
                                 f"VALUES ({','.join('?' * len(_CARD_COLS))})", values)
                report.repaired.append(notice("cli.doctor.cards_rebuilt", n=len(wrong)))


def _cards_from_log(conn, *, only_wrong: bool) -> list[tuple]:
    """The cards row of every reviewed item as the review log says it is (its last ``after``)."""
    rows = conn.execute(
        "SELECT r.item_id, r.topic, r.card_id, r.after, r.due,"
        " (SELECT count(*) FROM review_log x WHERE x.item_id = r.item_id),"
        " (SELECT count(*) FROM review_log x WHERE x.item_id = r.item_id AND x.rating = 1 AND x.state_before = 2),"
        " (SELECT min(reviewed_at) FROM review_log x WHERE x.item_id = r.item_id),"
        " c.card FROM review_log r LEFT JOIN cards c ON c.item_id = r.item_id"
        " WHERE r.id = (SELECT max(id) FROM review_log y WHERE y.item_id = r.item_id)").fetchall()
    out = []
    for item_id, topic, card_id, after, due, reps, lapses, introduced, have in rows:
        if only_wrong and have == after:
            continue
        try:
            card = json.loads(after)
            last = card.get("last_review")
            values = (item_id, topic, card_id, int(card["state"]), due, card.get("stability"),
                      iso(parse_iso(last)) if last else None, reps, lapses, introduced, after)
        except (TypeError, ValueError, KeyError, AttributeError):
            continue    # a review row that is itself bad: the row check reports it
        out.append(values)
    return out


# --------------------------------------------------------------------------- damaged files


def integrity(path: Path) -> list[str]:
    """[] when ``path`` passes ``integrity_check``, else what is wrong (at most 5 lines)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as e:
        return [str(e)]
    return [] if rows == ["ok"] else rows


def _read_table(conn, table: str, cols: list[str]) -> list[tuple]:
    """Every readable row of ``table``: all at once, else rowid range by range, else row by row."""
    sel = ", ".join(f'"{c}"' for c in cols)
    try:
        return conn.execute(f'SELECT {sel} FROM "{table}"').fetchall()
    except sqlite3.Error:
        pass
    try:
        top, known = conn.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0, True
    except sqlite3.Error:
        top, known = 100_000, False
    out: list[tuple] = []
    step, barren = 256, 0
    for lo in range(0, min(top, 10_000_000) + 1, step):
        before = len(out)
        try:
            out += conn.execute(f'SELECT {sel} FROM "{table}" WHERE rowid BETWEEN ? AND ?', (lo, lo + step - 1)).fetchall()
        except sqlite3.Error:
            for rid in range(lo, lo + step):
                try:
                    out += conn.execute(f'SELECT {sel} FROM "{table}" WHERE rowid = ?', (rid,)).fetchall()
                except sqlite3.Error:
                    continue
        barren = barren + 1 if len(out) == before else 0
        if not known and barren >= BARREN_RANGES:
            break   # the table's end is unknown and nothing reads any more: the page scan takes over
    return out


# With the table's last rowid unreadable, rowid ranges are tried until this many in a row give
# nothing (1,024 rowids): guessing up to 100,000 rowids one by one held a truncated file's
# salvage — and the app's start — for 13 s. What SQL cannot read, the page scan still finds.
BARREN_RANGES = 4


def _varint(b: bytes, i: int) -> tuple[int, int]:
    v = 0
    for k in range(9):
        c = b[i + k]
        if k == 8:
            return (v << 8) | c, i + 9
        v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            return v, i + k + 1
    return v, i + 9  # pragma: no cover


def _record(payload: bytes) -> list | None:
    """The values of one SQLite record (None when it does not decode)."""
    try:
        hsize, i = _varint(payload, 0)
        types = []
        while i < hsize:
            t, i = _varint(payload, i)
            types.append(t)
        pos, out = hsize, []
        for t in types:
            if t == 0:
                out.append(None)
            elif 1 <= t <= 6:
                n = (1, 2, 3, 4, 6, 8)[t - 1]
                out.append(int.from_bytes(payload[pos:pos + n], "big", signed=True))
                pos += n
            elif t == 7:
                import struct

                out.append(struct.unpack(">d", payload[pos:pos + 8])[0])
                pos += 8
            elif t in (8, 9):
                out.append(t - 8)
            elif t >= 12:
                n = (t - 12) // 2 if t % 2 == 0 else (t - 13) // 2
                raw = payload[pos:pos + n]
                if len(raw) != n:
                    return None
                out.append(raw.decode("utf-8") if t % 2 else raw)
                pos += n
            else:
                return None
        return out if pos <= len(payload) else None
    except (IndexError, UnicodeDecodeError):
        return None


def scan_pages(path: Path) -> dict[int, list[tuple[int, list]]]:
    """Page by page: every table-leaf cell that decodes, as {field count: [(rowid, values)]}.
    (A cell whose payload spills onto overflow pages is skipped.)"""
    data = path.read_bytes()
    if len(data) < 100 or not data.startswith(b"SQLite format 3\x00"):
        return {}
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    usable = size - data[20]
    out: dict[int, list[tuple[int, list]]] = {}
    for start in range(0, len(data) - size + 1, size):
        off = start + (100 if start == 0 else 0)
        if data[off] != 0x0D:          # a table b-tree leaf page
            continue
        ncells = int.from_bytes(data[off + 3:off + 5], "big")
        for k in range(ncells):
            try:
                ptr = int.from_bytes(data[off + 8 + 2 * k:off + 10 + 2 * k], "big")
                plen, i = _varint(data, start + ptr)
                rowid, i = _varint(data, i)
            except IndexError:
                continue
            if plen > usable - 35 or i + plen > start + size:
                continue                # overflow pages: not followed
            values = _record(data[i:i + plen])
            if values is not None:
                out.setdefault(len(values), []).append((rowid, values))
    return out


def _recover_with_cli(path: Path, into: Path) -> bool:
    """SQLite's own recovery (``sqlite3 DB .recover``, which needs a CLI built with the dbpage
    table); False when it is not installed or does not work here."""
    exe = shutil.which("sqlite3")
    if not exe:
        return False
    try:
        got = subprocess.run([exe, str(path), ".recover"], capture_output=True, timeout=120, check=False)
        if got.returncode != 0 or b"INSERT INTO" not in got.stdout:
            return False
        done = subprocess.run([exe, str(into)], input=got.stdout, capture_output=True, timeout=120, check=False)
        if done.returncode != 0:
            return False
        conn = sqlite3.connect(str(into))
        try:
            return "attempts" in _tables(conn)
        finally:
            conn.close()
    except (OSError, subprocess.SubprocessError, sqlite3.Error):
        return False


_TEXT_FIRST = {"attempts": 1, "review_log": 1, "cards": 0, "mistakes": 1}   # an index of a column that is text


def _from_pages(path: Path, table: str, dst, cols: list[str], pages: dict) -> list[tuple]:
    """Rows of ``table`` found by reading the damaged file page by page: cells with as many fields
    as the table has columns (the rowid fills an ``INTEGER PRIMARY KEY`` stored as NULL)."""
    if table not in _TEXT_FIRST:
        return []
    if not pages:
        try:
            pages.update(scan_pages(path) or {0: []})
        except OSError:
            return []
    all_cols = _columns(dst, table)
    pk = [r[1] for r in dst.execute(f'PRAGMA table_info("{table}")') if r[5] == 1 and r[2].upper() == "INTEGER"]
    out = []
    for rowid, values in pages.get(len(all_cols), []):
        if not isinstance(values[_TEXT_FIRST[table]], str):
            continue
        row = dict(zip(all_cols, values))
        if pk and row.get(pk[0]) is None:
            row[pk[0]] = rowid
        out.append(tuple(row.get(c) for c in cols))
    return out


def salvage(path: Path) -> tuple[Path, dict[str, int], str]:
    """Copy what can be read of the damaged ``path`` into a fresh database beside it; returns
    (the fresh file, rows kept per table, how: "sqlite3 .recover" or "table by table")."""
    fresh = path.with_name(f"{path.name}.salvage-{stamp()}")
    rec = path.with_name(f"{path.name}.recover-{stamp()}")
    for p in (fresh, rec):
        p.unlink(missing_ok=True)
    how = "sqlite3 .recover"
    source = rec if _recover_with_cli(path, rec) else None
    if source is None:
        how, source = "table by table", path
    dst = sqlite3.connect(str(fresh), isolation_level=None)
    kept: dict[str, int] = {}
    pages: dict = {}
    try:
        create_schema(dst)
        dst.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        try:
            src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            src = None
        if src is not None:
            try:
                try:
                    have = _tables(src)
                except sqlite3.Error:
                    have = set(reference())
                dst.execute("BEGIN")
                for table in reference():
                    if table in DERIVED or table not in have:
                        continue
                    try:
                        cols = [c for c in _columns(dst, table) if c in set(_columns(src, table))]
                    except sqlite3.Error:
                        cols = _columns(dst, table)
                    if not cols:
                        continue
                    rows = _read_table(src, table, cols)
                    lost = _from_pages(path, table, dst, cols, pages) if how != "sqlite3 .recover" else []
                    if lost:
                        rows = rows + lost
                    for row in rows:
                        try:
                            dst.execute(f'INSERT OR IGNORE INTO "{table}"({", ".join(cols)}) '
                                        f"VALUES ({','.join('?' * len(cols))})", row)
                        except sqlite3.Error:
                            continue
                    if lost:
                        how = "table by table, then page by page"
                    kept[table] = dst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                dst.execute("COMMIT")
            finally:
                src.close()
        report = Report(str(fresh))
        check_connection(dst, report, repair=True)   # derived tables from what was kept
        kept.update({t: report.kept.get(t, 0) for t in DERIVED})
    finally:
        dst.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(rec) + suffix).unlink(missing_ok=True)
    return fresh, kept, how


def set_aside(path: Path) -> Path:
    """Move ``path`` (and its -wal/-shm) to ``<path>.corrupt-<time>``; returns the new name."""
    aside = path.with_name(f"{path.name}.corrupt-{stamp()}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp()}-{n}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    return aside


def salvage_and_replace(path: Path) -> tuple[Path, dict[str, int], str]:
    """Salvage the damaged ``path`` into a fresh file, set the damaged one aside, put the fresh
    one in its place. Returns (where the damaged file went, rows kept, how)."""
    fresh, kept, how = salvage(path)
    aside = set_aside(path)
    os.replace(fresh, path)
    return aside, kept, how


# --------------------------------------------------------------------------- the command

_HOW = {"sqlite3 .recover": "recover", "table by table": "tables", "table by table, then page by page": "pages"}


def run(data_dir: Path | str, *, repair: bool = False) -> Report:
    """Check (and with ``repair``, repair) the progress database in ``data_dir``."""
    path = Path(data_dir).expanduser() / DB_NAME
    report = Report(str(path))
    if not path.exists():
        return report      # nothing saved yet: nothing to check
    damage = integrity(path)
    if damage:
        detail = "; ".join(damage).replace("\n", "; ")[:200]
        report.problems.append(notice("cli.doctor.damaged", detail=sqlite_reason(detail)))
        if not repair:
            return report
        aside, kept, how = salvage_and_replace(path)
        report.salvaged_from = str(aside)
        report.kept = kept
        report.repaired.append(notice("cli.doctor.salvaged", how=notice(f"cli.doctor.how.{_HOW[how]}") if how in _HOW else both(how), n=sum(kept.values()),
                                      aside=aside))
        return report
    uri = path.resolve().as_uri() + ("" if repair else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)
    try:
        if repair:
            conn.execute("PRAGMA busy_timeout = 10000")
        check_connection(conn, report, repair=repair)
    finally:
        conn.close()
    return report


__all__ = ["Report", "run", "check_connection", "check_connection_rows", "bad_rows", "integrity", "salvage", "salvage_and_replace",
           "set_aside", "reference"]
