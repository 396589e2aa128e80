"""Importing a JSON progress backup: every field is checked first, then it is restored or merged.

:func:`check_backup` validates the whole file before anything is written: the types and ranges of
every column of every table (dates, card states 1–3, ratings 1–4, ids within SQLite's 64-bit
integers, scores finite in [0, 1], counts ≥ 0), the JSON columns (fsrs cards, exam items), the
references between tables, and the settings (known keys with valid values). Any problem refuses
the whole file: :class:`BackupInvalid` lists them as ``key: message`` (e.g.
``settings.desired_retention: must be a number in [0.5, 1)``, ``attempts[0].id: out of SQLite's
64-bit integer range``). Backups from older schemas (without ``attempts.solution_viewed`` or
``exam_drafts``) still import: a missing column takes its default.

:func:`import_backup` then writes in one transaction:

* into an empty store (no attempts, cards, reviews, mistakes or exams) it **restores** the backup
  row for row (ids kept);
* into a store with progress it **merges**: attempts are matched by (item, time, mode, answer),
  review logs by (item, review time), mistakes by (item, mistake, time), exams by (start, items);
  what is already there is not added twice, the rest is appended. A review that exists on both sides
  with another rating, an exam or exam answer that differs, a setting with another value: each is
  reported as a conflict, and the local value is kept unless ``prefer_backup``. Afterwards the
  derived tables are rebuilt: ``item_progress`` from the attempts, and the FSRS card of every item
  that received reviews by replaying its merged review log in time order through the scheduler
  (the log rows' before/after states are rewritten to match, so undo stays consistent).

``dry_run`` does all of it inside the transaction and rolls it back: the report says what would
change, nothing is written.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from tutor.clock import iso
from tutor.schema import REBUILD_ITEM_PROGRESS
from tutor.store import Store, StoreError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_PROBLEMS = 1000          # stop collecting after this many (the file is refused anyway)
MAX_TEXT = 10_000            # longest id/topic/mistake text accepted


class BackupInvalid(StoreError):
    """The backup has bad fields; ``problems`` are ``key: message`` lines, ``str(e)`` is one line."""

    def __init__(self, name: str, problems: list[str]):
        self.name = name
        self.problems = problems
        n = len(problems)
        more = f" (and {n - 1} more)" if n > 1 else ""
        super().__init__(f"cannot import {name}: nothing was imported: {problems[0]}{more}")

    def lines(self) -> list[str]:
        """``path: key: message``, one per problem."""
        return [f"{self.name}: {p}" for p in self.problems]


class _Bad(Exception):
    pass


# --------------------------------------------------------------------------- field checks
# each check returns the value to store (normalised) or raises _Bad(message)

Check = Callable[[Any], Any]


def _int(lo: int = INT64_MIN, hi: int = INT64_MAX) -> Check:
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int):
            raise _Bad(f"must be a whole number, not {_show(v)}")
        if not INT64_MIN <= v <= INT64_MAX:
            raise _Bad("out of SQLite's 64-bit integer range")
        if not lo <= v <= hi:
            raise _Bad(f"must be {_range(lo, hi)}, not {v}")
        return v
    return check


def _range(lo: int, hi: int) -> str:
    if hi == INT64_MAX:
        return f"≥ {lo}"
    return f"between {lo} and {hi}"


def _flag(v):
    if v in (0, 1) and (isinstance(v, bool) or isinstance(v, int)):
        return int(v)
    raise _Bad(f"must be true/false (or 0/1), not {_show(v)}")


def _num(lo: float, hi: float, *, hi_open: bool = False, lo_open: bool = False) -> Check:
    what = f"a number in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"

    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _Bad(f"must be {what}, not {_show(v)}")
        if isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX:
            raise _Bad(f"must be {what}, not {v}")
        v = float(v)
        if not math.isfinite(v) or v < lo or v > hi or (hi_open and v == hi) or (lo_open and v == lo):
            raise _Bad(f"must be {what}, not {v:g}")
        return v
    return check


def _text(v):
    if not isinstance(v, str):
        raise _Bad(f"must be text, not {_show(v)}")
    if not v.strip():
        raise _Bad("must not be empty")
    if len(v) > MAX_TEXT:
        raise _Bad(f"too long ({len(v)} characters)")
    if "\x00" in v:
        raise _Bad("contains a NUL character")
    return v


def _date(v, *, aware: bool = False):
    """An ISO-8601 date-time; returned in the store's form (UTC, microseconds)."""
    if not isinstance(v, str):
        raise _Bad(f"must be an ISO-8601 date-time text, not {_show(v)}")
    text = v.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
        if aware and dt.tzinfo is None:
            raise _Bad(f"must have a time zone: {_show(v)}")
        if not 1970 <= dt.year <= 9998:
            raise _Bad(f"year out of range: {_show(v)}")
        return iso(dt.astimezone(timezone.utc))
    except (ValueError, OverflowError, OSError):
        raise _Bad(f"not a date-time: {_show(v)}") from None


def _any(v):
    return v


def _nullable(check: Check) -> Check:
    def wrapped(v):
        return None if v is None else check(v)
    return wrapped


def _one_of(*values) -> Check:
    def check(v):
        if v not in values or isinstance(v, bool):
            raise _Bad(f"must be one of {', '.join(map(repr, values))}, not {_show(v)}")
        return v
    return check


def _list_of(check: Check, *, n: int | None = None) -> Check:
    def wrapped(v):
        if not isinstance(v, list):
            raise _Bad(f"must be a list, not {_show(v)}")
        if n is not None and len(v) != n:
            raise _Bad(f"must have {n} entries, not {len(v)}")
        out = []
        for i, x in enumerate(v):
            try:
                out.append(check(x))
            except _Bad as e:
                raise _Bad(f"[{i}]: {e}") from None
        return out
    return wrapped


def _show(v) -> str:
    if isinstance(v, (dict, list)):
        return "a list" if isinstance(v, list) else "an object"
    if v is None:
        return "null"
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, float) else repr(v)
    return s if len(s) <= 40 else s[:37] + "…"


_CARD_FIELDS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")


def _fsrs_card(v):
    """An fsrs Card as a dict (``Card.to_dict()``): every field checked, so ``Card.from_dict`` works."""
    if not isinstance(v, dict):
        raise _Bad(f"must be an fsrs card object, not {_show(v)}")
    unknown = [k for k in v if k not in _CARD_FIELDS]
    missing = [k for k in ("card_id", "state", "due") if k not in v]
    if unknown or missing:
        raise _Bad(f"not an fsrs card ({'unknown' if unknown else 'missing'} {(unknown or missing)[0]!r})")
    checks = {"card_id": _int(0), "state": _int(1, 3), "step": _nullable(_int(0, 1000)),
              "stability": _nullable(_num(0, 1e9)), "difficulty": _nullable(_num(0, 11)),
              "due": lambda x: _date(x, aware=True), "last_review": _nullable(lambda x: _date(x, aware=True))}
    for k, check in checks.items():
        try:
            check(v.get(k))
        except _Bad as e:
            raise _Bad(f"{k}: {e}") from None
    return v


def _fsrs_card_text(v):
    if not isinstance(v, str):
        raise _Bad(f"must be an fsrs card as JSON text, not {_show(v)}")
    try:
        _fsrs_card(json.loads(v))
    except (ValueError, RecursionError):
        raise _Bad("not valid JSON") from None
    return v


def _exam_item(v):
    if not isinstance(v, dict):
        raise _Bad(f"must be an object with an item_id, not {_show(v)}")
    try:
        _text(v.get("item_id"))
    except _Bad as e:
        raise _Bad(f"item_id: {e}") from None
    try:
        _nullable(_int())(v.get("variant_seed"))
    except _Bad as e:
        raise _Bad(f"variant_seed: {e}") from None
    return v


def _object_or_null(v):
    if v is not None and not isinstance(v, dict):
        raise _Bad(f"must be an object, not {_show(v)}")
    return v


# column -> (check, required); a column left out of a row takes its SQL default (old backups)
_ID = _int(1)
_SCORE = _num(0.0, 1.0)
_DUR = _nullable(_int(0))
_CARDS_ROW = {
    "item_id": (_text, True), "topic": (_text, True), "card_id": (_int(0), True), "state": (_int(1, 3), True),
    "due": (_date, True), "stability": (_nullable(_num(0, 1e9)), False), "last_review": (_nullable(_date), False),
    "reps": (_int(0), False), "lapses": (_int(0), False), "introduced": (_nullable(_date), False),
    "card": (_fsrs_card, True),
}


def _cards_row_before(v):
    """review_log.before: the cards row before the review (its "card" is the Card's JSON text)."""
    if not isinstance(v, dict):
        raise _Bad(f"must be an object, not {_show(v)}")
    for k, x in v.items():
        if k not in _CARDS_ROW:
            raise _Bad(f"unknown field {k!r}")
        check = _fsrs_card_text if k == "card" else _CARDS_ROW[k][0]
        try:
            check(x)
        except _Bad as e:
            raise _Bad(f"{k}: {e}") from None
    return v


SPEC: dict[str, dict[str, tuple[Check, bool]]] = {
    "attempts": {
        "id": (_ID, False), "item_id": (_text, True), "topic": (_text, True), "kind": (_text, True),
        "mode": (_text, True), "variant_seed": (_nullable(_int()), False), "answer": (_any, False),
        "score": (_SCORE, True), "correct": (_flag, True), "hints_used": (_int(0), False),
        "mistake": (_nullable(_text), False), "duration_ms": (_DUR, False), "at": (_date, True),
        "exam_id": (_nullable(_ID), False), "solution_viewed": (_flag, False),
    },
    "cards": _CARDS_ROW,
    "review_log": {
        "id": (_ID, False), "item_id": (_text, True), "topic": (_text, True), "card_id": (_int(0), True),
        "rating": (_int(1, 4), True), "auto": (_flag, True), "state_before": (_nullable(_int(1, 3)), False),
        "before": (_nullable(_cards_row_before), False), "after": (_fsrs_card, True), "due": (_date, True),
        "reviewed_at": (_date, True), "duration_ms": (_DUR, False),
    },
    "mistakes": {
        "id": (_ID, False), "item_id": (_text, True), "topic": (_text, True), "mistake_id": (_text, True),
        "at": (_date, True),
    },
    "exams": {
        "id": (_ID, True), "topics": (_list_of(_text), True), "items": (_list_of(_exam_item), True),
        "minutes": (_num(0, 100_000, lo_open=True), True), "started": (_date, True),
        "finished": (_nullable(_date), False), "report": (_object_or_null, False),
    },
    "exam_answers": {
        "exam_id": (_ID, True), "idx": (_int(0), True), "answer": (_any, False), "score": (_SCORE, True),
        "correct": (_flag, True), "mistake": (_nullable(_text), False), "at": (_date, True),
    },
    "exam_drafts": {
        "exam_id": (_ID, True), "idx": (_int(0), True), "answer": (_any, False), "flagged": (_flag, False),
        "at": (_date, True),
    },
}
TABLES = tuple(SPEC)
JSON_COLUMNS = {"attempts": ("answer",), "cards": ("card",), "review_log": ("before", "after"),
                "exams": ("topics", "items", "report"), "exam_answers": ("answer",), "exam_drafts": ("answer",)}


def _fsrs_parameters(v):
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    out = _list_of(_num(-1e9, 1e9), n=len(LOWER_BOUNDS_PARAMETERS))(v)
    for i, (x, lo, hi) in enumerate(zip(out, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)):
        if not lo <= x <= hi:
            raise _Bad(f"[{i}]: must be in [{lo:g}, {hi:g}], not {x:g}")
    return out


def _resume(v):
    if not isinstance(v, dict):
        raise _Bad(f"must be an object, not {_show(v)}")
    checks = {"topic": _text, "screen": _one_of("lesson", "practice"), "card": _nullable(_int(0)),
              "item": _nullable(_text)}
    for k, x in v.items():
        if k not in checks:
            raise _Bad(f"unknown field {k!r}")
        try:
            checks[k](x)
        except _Bad as e:
            raise _Bad(f"{k}: {e}") from None
    if "topic" not in v:
        raise _Bad("has no topic")
    return v


# every setting the tutor reads, with what a valid value is (a new setting must be added here)
SETTINGS: dict[str, Check] = {
    "lang": _one_of("ko", "en"),
    "theme": _text,
    "new_per_day": _int(0, 1000),
    "daily_goal": _int(0, 10_000),
    "desired_retention": _num(0.5, 1.0, hi_open=True),
    "slow_ms": _int(1, 86_400_000),
    "easy_ms": _int(0, 86_400_000),
    "fsrs_parameters": _nullable(_fsrs_parameters),
    "opened_topics": _list_of(_text),
    "resume": _resume,
}


# --------------------------------------------------------------------------- checking a backup


@dataclass
class Backup:
    """A checked backup: normalised rows per table and the settings."""

    schema: int
    settings: dict[str, Any]
    tables: dict[str, list[dict]]


def parse_backup(text: str, name: str) -> Backup:
    """JSON text → a checked :class:`Backup`; raises StoreError (not a backup) or BackupInvalid."""
    from tutor.backup import FORMAT, FORMAT_VERSION
    from tutor.store import SCHEMA_VERSION

    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise StoreError(f"cannot import {name}: not valid JSON (line {e.lineno}: {e.msg})") from None
    except RecursionError:
        raise StoreError(f"cannot import {name}: not a tutor backup (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"cannot import {name}: not a tutor progress backup (made by 'tutor export --format json')")
    version, schema = data.get("version"), data.get("schema", 1)
    for key, v in (("version", version), ("schema", schema)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise BackupInvalid(name, [f"{key}: must be a whole number ≥ 1, not {_show(v)}"])
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise StoreError(f"cannot import {name}: it was made by a newer tutor; please upgrade tutor")
    problems: list[str] = []

    def bad(key: str, msg: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(f"{key}: {msg}")

    known_top = {"format", "version", "schema", "exported", "settings", "fsrs_review_logs", *TABLES}
    for k in data:
        if k not in known_top:
            bad(str(k)[:60], "unknown section")
    if "exported" in data:
        try:
            _date(data["exported"])
        except _Bad as e:
            bad("exported", str(e))
    if not isinstance(data.get("fsrs_review_logs", []), list):
        bad("fsrs_review_logs", "must be a list")  # derived from review_log: not imported

    settings: dict[str, Any] = {}
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        bad("settings", f"must be an object, not {_show(raw_settings)}")
        raw_settings = {}
    for k, v in raw_settings.items():
        check = SETTINGS.get(k)
        if check is None:
            bad(f"settings.{str(k)[:60]}", "unknown setting (this tutor does not use it)")
            continue
        try:
            settings[k] = check(v)
        except _Bad as e:
            bad(f"settings.{k}", str(e))

    tables: dict[str, list[dict]] = {}
    for table, spec in SPEC.items():
        rows = data.get(table, [])
        if not isinstance(rows, list):
            bad(table, f"must be a list of objects, not {_show(rows)}")
            continue
        out = []
        for i, row in enumerate(rows):
            where = f"{table}[{i}]"
            if not isinstance(row, dict):
                bad(where, f"must be an object, not {_show(row)}")
                continue
            clean: dict[str, Any] = {}
            for k, v in row.items():
                if k not in spec:
                    bad(f"{where}.{str(k)[:60]}", "unknown field")
                    continue
                try:
                    clean[k] = spec[k][0](v)
                except _Bad as e:
                    bad(f"{where}.{k}", str(e))
            for k, (_check, required) in spec.items():
                if required and k not in row:
                    bad(f"{where}.{k}", "missing")
            out.append(clean)
        tables[table] = out
    if not problems:
        _cross_check(tables, bad)
    if problems:
        raise BackupInvalid(name, problems)
    return Backup(schema=schema, settings=settings, tables=tables)


def _cross_check(t: dict[str, list[dict]], bad) -> None:
    """References between tables and uniqueness (each row's own fields are already valid)."""
    for table in ("attempts", "review_log", "mistakes", "exams"):
        seen: set[int] = set()
        for i, r in enumerate(t[table]):
            if "id" in r:
                if r["id"] in seen:
                    bad(f"{table}[{i}].id", f"{r['id']} appears twice")
                seen.add(r["id"])
    exams = {r["id"]: r for r in t["exams"]}
    for i, r in enumerate(t["attempts"]):
        if r.get("exam_id") is not None and r["exam_id"] not in exams:
            bad(f"attempts[{i}].exam_id", f"no exam {r['exam_id']} in the backup")
    for table in ("exam_answers", "exam_drafts"):
        seen_keys: set[tuple] = set()
        for i, r in enumerate(t[table]):
            ex = exams.get(r["exam_id"])
            if ex is None:
                bad(f"{table}[{i}].exam_id", f"no exam {r['exam_id']} in the backup")
            elif r["idx"] >= len(ex["items"]):
                bad(f"{table}[{i}].idx", f"exam {r['exam_id']} has {len(ex['items'])} items, no index {r['idx']}")
            key = (r["exam_id"], r["idx"])
            if key in seen_keys:
                bad(f"{table}[{i}]", f"exam {key[0]} index {key[1]} appears twice")
            seen_keys.add(key)
    card_of: dict[str, int] = {}
    item_of: dict[int, str] = {}
    for i, r in enumerate(t["cards"]):
        if r["item_id"] in card_of:
            bad(f"cards[{i}].item_id", f"{r['item_id']!r} appears twice")
        if r["card_id"] in item_of:
            bad(f"cards[{i}].card_id", f"{r['card_id']} is also the card of {item_of[r['card_id']]!r}")
        if r["card"]["card_id"] != r["card_id"]:
            bad(f"cards[{i}].card.card_id", "differs from the row's card_id")
        card_of[r["item_id"]] = r["card_id"]
        item_of[r["card_id"]] = r["item_id"]
    for i, r in enumerate(t["review_log"]):
        cid = card_of.setdefault(r["item_id"], r["card_id"])
        if cid != r["card_id"]:
            bad(f"review_log[{i}].card_id", f"{r['item_id']!r} has card {cid}, not {r['card_id']}")
        owner = item_of.setdefault(r["card_id"], r["item_id"])
        if owner != r["item_id"]:
            bad(f"review_log[{i}].card_id", f"{r['card_id']} is also the card of {owner!r}")


# --------------------------------------------------------------------------- writing


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    mode: str                                            # "restore" (empty store) or "merge"
    dry_run: bool = False
    added: dict[str, int] = field(default_factory=dict)          # table -> new rows
    duplicates: dict[str, int] = field(default_factory=dict)     # table -> rows already here
    settings_added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)           # one line each
    cards_rebuilt: int = 0

    def __getitem__(self, table: str) -> int:   # report["attempts"]: rows added
        return self.added.get(table, 0)

    def lines(self) -> list[str]:
        out = []
        for table in TABLES:
            a, d = self.added.get(table, 0), self.duplicates.get(table, 0)
            if a or d:
                out.append(f"{table}: {a} new" + (f", {d} already here" if d else ""))
        if self.settings_added:
            out.append(f"settings: {', '.join(self.settings_added)} added")
        if self.cards_rebuilt:
            out.append(f"review cards rebuilt from the merged review log: {self.cards_rebuilt}")
        out += [f"conflict: {c}" for c in self.conflicts]
        return out


class _DryRun(Exception):
    pass


def _canon(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _canon_text(text: str | None) -> str:
    if text is None:
        return "null"
    try:
        return _canon(json.loads(text))
    except (ValueError, RecursionError):
        return text


def _db_value(table: str, col: str, v: Any) -> Any:
    if col in JSON_COLUMNS.get(table, ()) and v is not None:
        from tutor.schema import dumps_json as _dumps

        return _dumps(v)
    return v


def _short(v: Any) -> str:
    s = _canon(v)
    return s if len(s) <= 40 else s[:37] + "…"


def import_backup(store: Store, backup: Backup, *, dry_run: bool = False,
                  prefer_backup: bool = False) -> ImportReport:
    """Restore (empty store) or merge (see the module docstring) in one transaction."""
    report = ImportReport(mode="restore" if store.is_empty() else "merge", dry_run=dry_run)
    try:
        with store.tx() as c:
            if c.execute("SELECT 1 FROM attempts UNION ALL SELECT 1 FROM cards UNION ALL SELECT 1 FROM review_log"
                         " UNION ALL SELECT 1 FROM mistakes UNION ALL SELECT 1 FROM exams LIMIT 1").fetchone():
                report.mode = "merge"
            _merge_settings(c, backup.settings, report, prefer_backup)
            if report.mode == "restore":
                _restore(c, backup, report)
            else:
                _merge(c, store, backup, report, prefer_backup)
            c.execute("DELETE FROM item_progress")
            c.execute(REBUILD_ITEM_PROGRESS)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _merge_settings(c, settings: dict, report: ImportReport, prefer_backup: bool) -> None:
    from tutor.schema import dumps_json as _dumps

    local = {k: json.loads(v) for k, v in c.execute("SELECT key, value FROM settings")}
    for k, v in settings.items():
        if k not in local:
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (k, _dumps(v)))
            report.settings_added.append(k)
        elif _canon(local[k]) == _canon(v):
            continue
        elif k == "opened_topics":   # a list of topics met: both sides' topics
            merged = list(dict.fromkeys([*local[k], *v]))
            c.execute("UPDATE settings SET value = ? WHERE key = ?", (_dumps(merged), k))
        else:
            kept = "took the backup's" if prefer_backup else "kept this one (--prefer-backup takes the backup's)"
            report.conflicts.append(f"settings.{k}: here {_short(local[k])}, in the backup {_short(v)}: {kept}")
            if prefer_backup:
                c.execute("UPDATE settings SET value = ? WHERE key = ?", (_dumps(v), k))


def _insert(c, table: str, row: dict) -> int:
    cols = list(row)
    cur = c.execute(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [_db_value(table, k, row[k]) for k in cols])
    return int(cur.lastrowid)


def _restore(c, backup: Backup, report: ImportReport) -> None:
    for table in TABLES:
        for row in backup.tables[table]:
            _insert(c, table, row)
        report.added[table] = len(backup.tables[table])


def _merge(c, store: Store, backup: Backup, report: ImportReport, prefer_backup: bool) -> None:
    t = backup.tables
    for table in TABLES:
        report.added[table] = report.duplicates[table] = 0

    def conflict(what: str) -> None:
        kept = "took the backup's" if prefer_backup else "kept this one"
        report.conflicts.append(f"{what}: {kept}")

    # exams: matched by (start, items); the backup's ids are mapped to this store's
    local_exams = {(r[1], _canon_text(r[2])): r for r in c.execute(
        "SELECT id, started, items, minutes, finished, report, topics FROM exams")}
    exam_map: dict[int, int] = {}
    for row in t["exams"]:
        key = (row["started"], _canon(row["items"]))
        mine = local_exams.get(key)
        if mine is None:
            exam_map[row["id"]] = _insert(c, "exams", {k: v for k, v in row.items() if k != "id"})
            report.added["exams"] += 1
            continue
        exam_map[row["id"]] = mine[0]
        report.duplicates["exams"] += 1
        theirs = (row.get("finished"), _canon(row.get("report")))
        if (mine[4], _canon_text(mine[5])) != theirs:
            conflict(f"exam started {row['started']}: it differs here and in the backup (finished, report)")
            if prefer_backup:
                c.execute("UPDATE exams SET finished = ?, report = ? WHERE id = ?",
                          (row.get("finished"), _db_value("exams", "report", row.get("report")), mine[0]))
    for table in ("exam_answers", "exam_drafts"):
        for row in t[table]:
            eid = exam_map[row["exam_id"]]
            mine = c.execute(f"SELECT answer FROM {table} WHERE exam_id = ? AND idx = ?", (eid, row["idx"])).fetchone()
            new = {**row, "exam_id": eid}
            if mine is None:
                _insert(c, table, new)
                report.added[table] += 1
            elif _canon_text(mine[0]) == _canon(row.get("answer")):
                report.duplicates[table] += 1
            else:
                report.duplicates[table] += 1
                conflict(f"{table} of the exam started {next(e['started'] for e in t['exams'] if e['id'] == row['exam_id'])}"
                         f", question {row['idx'] + 1}: the answers differ")
                if prefer_backup:
                    c.execute(f"DELETE FROM {table} WHERE exam_id = ? AND idx = ?", (eid, row["idx"]))
                    _insert(c, table, new)

    # attempts: (item, time, mode, answer)
    have = {(r[0], r[1], r[2], _canon_text(r[3]))
            for r in c.execute("SELECT item_id, at, mode, answer FROM attempts")}
    for row in sorted(t["attempts"], key=lambda r: (r["at"], r.get("id", 0))):
        key = (row["item_id"], row["at"], row["mode"], _canon(row.get("answer")))
        if key in have:
            report.duplicates["attempts"] += 1
            continue
        have.add(key)
        new = {k: v for k, v in row.items() if k != "id"}
        if new.get("exam_id") is not None:
            new["exam_id"] = exam_map[new["exam_id"]]
        _insert(c, "attempts", new)
        report.added["attempts"] += 1

    # mistakes: (item, mistake, time)
    have_m = set(c.execute("SELECT item_id, mistake_id, at FROM mistakes"))
    for row in sorted(t["mistakes"], key=lambda r: (r["at"], r.get("id", 0))):
        key = (row["item_id"], row["mistake_id"], row["at"])
        if key in have_m:
            report.duplicates["mistakes"] += 1
            continue
        have_m.add(key)
        _insert(c, "mistakes", {k: v for k, v in row.items() if k != "id"})
        report.added["mistakes"] += 1

    # review log: (item, time); the card id is this store's for the item
    local_reviews = {(r[1], r[2]): r for r in c.execute("SELECT id, item_id, reviewed_at, rating, auto FROM review_log")}
    card_ids = dict(c.execute("SELECT item_id, card_id FROM cards"))
    for item, cid in c.execute("SELECT item_id, card_id FROM review_log GROUP BY item_id"):
        card_ids.setdefault(item, cid)
    taken = {cid: item for item, cid in card_ids.items()}
    backup_card = {r["item_id"]: r for r in t["cards"]}

    def card_id(item: str, wanted: int) -> int:
        if item in card_ids:
            return card_ids[item]
        from tutor.store import card_id_for

        cid, salt = wanted, 0
        while cid in taken and taken[cid] != item:
            cid, salt = card_id_for(item, salt), salt + 1
        card_ids[item], taken[cid] = cid, item
        return cid

    touched: set[str] = set()
    for row in sorted(t["review_log"], key=lambda r: (r["reviewed_at"], r.get("id", 0))):
        mine = local_reviews.get((row["item_id"], row["reviewed_at"]))
        if mine is not None:
            report.duplicates["review_log"] += 1
            if (mine[3], mine[4]) != (row["rating"], row["auto"]):
                conflict(f"review of {row['item_id']} at {row['reviewed_at']}: rated {mine[3]} here, "
                         f"{row['rating']} in the backup")
                if prefer_backup:
                    c.execute("UPDATE review_log SET rating = ?, auto = ? WHERE id = ?",
                              (row["rating"], row["auto"], mine[0]))
                    touched.add(row["item_id"])
            continue
        new = {k: v for k, v in row.items() if k != "id"}
        new["card_id"] = card_id(row["item_id"], row["card_id"])
        _insert(c, "review_log", new)   # before/after/due are rewritten by the replay below
        local_reviews[(row["item_id"], row["reviewed_at"])] = (None, row["item_id"], row["reviewed_at"],
                                                               row["rating"], row["auto"])
        report.added["review_log"] += 1
        touched.add(row["item_id"])

    # cards never reviewed (queued remedial items) that only the backup has
    for item, row in backup_card.items():
        if item in touched or row.get("reps", 0) or c.execute(
                "SELECT 1 FROM cards WHERE item_id = ? UNION ALL SELECT 1 FROM review_log WHERE item_id = ?",
                (item, item)).fetchone():
            continue
        cid = card_id(item, row["card_id"])
        _insert(c, "cards", {**row, "card_id": cid, "card": {**row["card"], "card_id": cid}})
        report.added["cards"] += 1
    report.cards_rebuilt = _replay(c, store, sorted(touched), backup_card)


def _replay(c, store: Store, items: list[str], backup_card: dict[str, dict]) -> int:
    """Re-derive each item's card (and its log rows' before/after) from its review log, in time order."""
    from fsrs import Card, Rating, State

    from tutor.clock import parse_iso
    from tutor.schedule import _CARD_COLS, REMEDIAL_PREFIX, Scheduler, _put_card

    sched = Scheduler(store)
    for item in items:
        local = c.execute("SELECT due FROM cards WHERE item_id = ?", (item,)).fetchone()
        logs = c.execute("SELECT id, topic, card_id, rating, reviewed_at, duration_ms FROM review_log"
                         " WHERE item_id = ? ORDER BY reviewed_at, id", (item,)).fetchall()
        card = Card(card_id=logs[0][2], due=parse_iso(logs[0][4]))
        reps = lapses = 0
        introduced = None
        before: dict | None = None
        for rid, topic, _cid, rating, at_text, duration in logs:
            at = parse_iso(at_text)
            state_before = int(card.state) if reps else None
            new = sched._next(card, Rating(rating), at, reps, duration)
            if card.state == State.Review and rating == 1:
                lapses += 1
            reps += 1
            introduced = introduced or at_text
            c.execute("UPDATE review_log SET state_before = ?, before = ?, after = ?, due = ? WHERE id = ?",
                      (state_before, None if before is None else json.dumps(before, ensure_ascii=False),
                       new.to_json(), iso(new.due), rid))
            values = (item, topic, new.card_id, int(new.state), iso(new.due), new.stability, iso(new.last_review),
                      reps, lapses, introduced, new.to_json())
            before = dict(zip(_CARD_COLS, values))
            card = new
        if item.startswith(REMEDIAL_PREFIX):  # a remedial item re-queued (due now) after its last review
            queued = [d for d in (local[0] if local else None, backup_card.get(item, {}).get("due"))
                      if d is not None and logs[-1][4] <= d < iso(card.due)]
            if queued:
                card.due = parse_iso(min(queued))
        _put_card(c, item, logs[-1][1], card, reps=reps, lapses=lapses, introduced=introduced)
    return len(items)


__all__ = ["Backup", "BackupInvalid", "ImportReport", "SETTINGS", "SPEC", "import_backup", "parse_backup"]
