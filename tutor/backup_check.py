"""Checking a JSON progress backup before anything is written: every field of every table
(types, ranges, dates, states, ids within SQLite's 64-bit range, parseable JSON columns, known
settings with valid values) and the links between tables. Split out of
:mod:`tutor.backup_import`, which writes what passes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from tutor.clock import iso
from tutor.store import StoreError
from tutor.store_errors import Notice, in_lang
from tutor.store_texts import json_reason, notice

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_PROBLEMS = 1000          # stop collecting after this many (the file is refused anyway)
MAX_TEXT = 10_000            # longest id/topic/mistake text accepted


class BackupInvalid(StoreError):
    """The backup has bad fields; ``problems`` are ``key: message`` lines (:class:`Notice`: the
    message in English and Korean), ``args[0]`` is one line (a Notice too)."""

    def __init__(self, name: str, problems: list[Notice]):
        self.name = name
        self.problems = problems
        n = len(problems)
        more = notice("cli.backup.more", n=n - 1) if n > 1 else ""
        super().__init__(notice("cli.backup.invalid", path=name, problem=problems[0], more=more))

    def lines(self, lang: str = "en") -> list[str]:
        """``path: key: message``, one per problem, the message in ``lang``."""
        return [f"{self.name}: {in_lang(p, lang)}" for p in self.problems]


class _Bad(Exception):
    """A field's problem: ``notice`` is the message in both languages (a ``cli.backup.`` text)."""

    def __init__(self, key: str | Notice, **kw):
        self.notice = key if isinstance(key, Notice) else notice(f"cli.backup.{key}", **kw)
        super().__init__(self.notice.en)

    def under(self, where: str) -> _Bad:
        """The same problem, found inside ``where`` (``[3]: …``, ``due: …``)."""
        return _Bad(Notice(f"{where}: {self.notice.en}", f"{where}: {self.notice.ko}"))


def _unreadable(key: str, **kw) -> StoreError:
    """The file as a whole cannot be imported (not JSON, not a backup, too new)."""
    return StoreError(notice(f"cli.backup.{key}", **kw))


# --------------------------------------------------------------------------- field checks
# each check returns the value to store (normalised) or raises _Bad(message)

Check = Callable[[Any], Any]


def _int(lo: int = INT64_MIN, hi: int = INT64_MAX) -> Check:
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int):
            raise _Bad("int", v=_show(v))
        if not INT64_MIN <= v <= INT64_MAX:
            raise _Bad("int64")
        if not lo <= v <= hi:
            raise _Bad("at_least", lo=lo, v=v) if hi == INT64_MAX else _Bad("between", lo=lo, hi=hi, v=v)
        return v
    return check


def _flag(v):
    if v in (0, 1) and (isinstance(v, bool) or isinstance(v, int)):
        return int(v)
    raise _Bad("flag", v=_show(v))


def _num(lo: float, hi: float, *, hi_open: bool = False, lo_open: bool = False) -> Check:
    interval = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"

    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _Bad("number", interval=interval, v=_show(v))
        if isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX:
            raise _Bad("number", interval=interval, v=v)
        v = float(v)
        if not math.isfinite(v) or v < lo or v > hi or (hi_open and v == hi) or (lo_open and v == lo):
            raise _Bad("number", interval=interval, v=f"{v:g}")
        return v
    return check


def _text(v):
    if not isinstance(v, str):
        raise _Bad("text", v=_show(v))
    if not v.strip():
        raise _Bad("empty")
    if len(v) > MAX_TEXT:
        raise _Bad("too_long", n=len(v))
    if "\x00" in v:
        raise _Bad("nul")
    return v


def _date(v, *, aware: bool = False):
    """An ISO-8601 date-time; returned in the store's form (UTC, microseconds)."""
    if not isinstance(v, str):
        raise _Bad("date_text", v=_show(v))
    text = v.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
        if aware and dt.tzinfo is None:
            raise _Bad("zone", v=_show(v))
        if not 1970 <= dt.year <= 9998:
            raise _Bad("year", v=_show(v))
        return iso(dt.astimezone(timezone.utc))
    except (ValueError, OverflowError, OSError):
        raise _Bad("not_date", v=_show(v)) from None


def _any(v):
    return v


def _nullable(check: Check) -> Check:
    def wrapped(v):
        return None if v is None else check(v)
    return wrapped


def _one_of(*values) -> Check:
    def check(v):
        if v not in values or isinstance(v, bool):
            raise _Bad("one_of", values=", ".join(map(repr, values)), v=_show(v))
        return v
    return check


def _list_of(check: Check, *, n: int | None = None) -> Check:
    def wrapped(v):
        if not isinstance(v, list):
            raise _Bad("list", v=_show(v))
        if n is not None and len(v) != n:
            raise _Bad("entries", n=n, got=len(v))
        out = []
        for i, x in enumerate(v):
            try:
                out.append(check(x))
            except _Bad as e:
                raise e.under(f"[{i}]") from None
        return out
    return wrapped


def _show(v) -> str | Notice:
    if isinstance(v, (dict, list)):
        return notice("cli.backup.show_list" if isinstance(v, list) else "cli.backup.show_object")
    if v is None:
        return "null"
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, float) else repr(v)
    return s if len(s) <= 40 else s[:37] + "…"


_CARD_FIELDS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")


def _fsrs_card(v):
    """An fsrs Card as a dict (``Card.to_dict()``): every field checked, so ``Card.from_dict`` works."""
    if not isinstance(v, dict):
        raise _Bad("fsrs_card", v=_show(v))
    unknown = [k for k in v if k not in _CARD_FIELDS]
    missing = [k for k in ("card_id", "state", "due") if k not in v]
    if unknown or missing:
        raise _Bad("fsrs_unknown" if unknown else "fsrs_missing", field=repr((unknown or missing)[0]))
    checks = {"card_id": _int(0), "state": _int(1, 3), "step": _nullable(_int(0, 1000)),
              "stability": _nullable(_num(0, 1e9)), "difficulty": _nullable(_num(0, 11)),
              "due": lambda x: _date(x, aware=True), "last_review": _nullable(lambda x: _date(x, aware=True))}
    for k, check in checks.items():
        try:
            check(v.get(k))
        except _Bad as e:
            raise e.under(k) from None
    return v


def _fsrs_card_text(v):
    if not isinstance(v, str):
        raise _Bad("fsrs_text", v=_show(v))
    try:
        _fsrs_card(json.loads(v))
    except (ValueError, RecursionError):
        raise _Bad("bad_json") from None
    return v


def _exam_item(v):
    if not isinstance(v, dict):
        raise _Bad("exam_item", v=_show(v))
    try:
        _text(v.get("item_id"))
    except _Bad as e:
        raise e.under("item_id") from None
    try:
        _nullable(_int())(v.get("variant_seed"))
    except _Bad as e:
        raise e.under("variant_seed") from None
    return v


def _object_or_null(v):
    if v is not None and not isinstance(v, dict):
        raise _Bad("object", v=_show(v))
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
        raise _Bad("object", v=_show(v))
    for k, x in v.items():
        if k not in _CARDS_ROW:
            raise _Bad("unknown_named", field=repr(k))
        check = _fsrs_card_text if k == "card" else _CARDS_ROW[k][0]
        try:
            check(x)
        except _Bad as e:
            raise e.under(k) from None
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
            raise _Bad("within", interval=f"[{lo:g}, {hi:g}]", v=f"{x:g}").under(f"[{i}]")
    return out


def _resume(v):
    if not isinstance(v, dict):
        raise _Bad("object", v=_show(v))
    checks = {"topic": _text, "screen": _one_of("lesson", "practice"), "card": _nullable(_int(0)),
              "item": _nullable(_text)}
    for k, x in v.items():
        if k not in checks:
            raise _Bad("unknown_named", field=repr(k))
        try:
            checks[k](x)
        except _Bad as e:
            raise e.under(k) from None
    if "topic" not in v:
        raise _Bad("no_topic")
    return v


def _day(v):
    """A calendar day written YYYY-MM-DD (the exam date of the plan)."""
    from datetime import date

    if not isinstance(v, str):
        raise _Bad("day_text", v=_show(v))
    try:
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise _Bad("day", v=_show(v)) from None


def _exam_size(v):
    if not isinstance(v, dict) or set(v) - {"count", "minutes"}:
        raise _Bad("exam_size", v=_show(v))
    return {"count": _int(1, 10_000)(v.get("count")), "minutes": _num(0, 24 * 60, lo_open=True)(v.get("minutes"))}


def _lab_text(v):
    """A lab's edited input as the learner left it (may be empty or not parse: it is their text)."""
    from tutor.labs import MAX_TEXT

    if not isinstance(v, str) or len(v) > MAX_TEXT:
        raise _Bad("lab_text", n=MAX_TEXT, v=_show(v))
    return v


# every setting the tutor reads, with what a valid value is (a new setting must be added here;
# tests/test_backup.py checks every key the tutor reads or writes is here)
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
    "exam_date": _day,                                   # tutor plan --exam
    "exam_topics": _nullable(_list_of(_text)),
    "exam_last_topics": _list_of(_text),                 # the exam setup starts from the last exam
    "exam_last_size": _exam_size,
    "exam_unseen_report": _nullable(_int(1)),           # an exam graded when its time ran out: its report
    "suspended": _list_of(_text),                        # the browser's suspended and flagged items
    "flagged": _list_of(_text),
    "retry_after_undo": _list_of(_text),                 # answers undone in review: the next is a second try
    "lab.current": _text,                                # the lab open last, and each lab's inputs
}
# settings named by a prefix: lab.<name> holds that lab's edited input
SETTING_PREFIXES: dict[str, Check] = {"lab.": _lab_text}


def setting_check(key: str) -> Check | None:
    """How a setting's value is checked; None for a setting this tutor does not use."""
    if key in SETTINGS:
        return SETTINGS[key]
    return next((c for p, c in SETTING_PREFIXES.items() if key.startswith(p)), None)


def valid_setting(key: str, value: Any) -> Any:
    """``value`` checked as setting ``key`` is (normalised), or None when it is not valid — how the
    tutor reads back a setting that may have been damaged."""
    check = setting_check(key)
    if check is None or value is None:
        return None
    try:
        return check(value)
    except _Bad:
        return None


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
        raise _unreadable("not_json", path=name, line=e.lineno, error=json_reason(e.msg)) from None
    except RecursionError:
        raise _unreadable("nested", path=name) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _unreadable("not_backup", path=name)
    version, schema = data.get("version"), data.get("schema", 1)
    for key, v in (("version", version), ("schema", schema)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise BackupInvalid(name, [_Bad("version", v=_show(v)).under(key).notice])
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise _unreadable("newer", path=name)
    problems: list[Notice] = []

    def bad(key: str, msg: str | _Bad) -> None:
        """``key: msg``; ``msg`` a _Bad or the key of a ``cli.backup.`` text."""
        if len(problems) < MAX_PROBLEMS:
            problems.append((msg if isinstance(msg, _Bad) else _Bad(msg)).under(key).notice)

    known_top = {"format", "version", "schema", "exported", "settings", "fsrs_review_logs", *TABLES}
    for k in data:
        if k not in known_top:
            bad(str(k)[:60], "unknown_section")
    if "exported" in data:
        try:
            _date(data["exported"])
        except _Bad as e:
            bad("exported", e)
    if not isinstance(data.get("fsrs_review_logs", []), list):
        bad("fsrs_review_logs", "a_list")  # derived from review_log: not imported

    settings: dict[str, Any] = {}
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        bad("settings", _Bad("object", v=_show(raw_settings)))
        raw_settings = {}
    for k, v in raw_settings.items():
        check = setting_check(k)
        if check is None:
            bad(f"settings.{str(k)[:60]}", "unknown_setting")
            continue
        try:
            settings[k] = check(v)
        except _Bad as e:
            bad(f"settings.{k}", e)

    tables: dict[str, list[dict]] = {}
    for table, spec in SPEC.items():
        rows = data.get(table, [])
        if not isinstance(rows, list):
            bad(table, _Bad("objects", v=_show(rows)))
            continue
        out = []
        for i, row in enumerate(rows):
            where = f"{table}[{i}]"
            if not isinstance(row, dict):
                bad(where, _Bad("object", v=_show(row)))
                continue
            clean: dict[str, Any] = {}
            for k, v in row.items():
                if k not in spec:
                    bad(f"{where}.{str(k)[:60]}", "unknown_field")
                    continue
                try:
                    clean[k] = spec[k][0](v)
                except _Bad as e:
                    bad(f"{where}.{k}", e)
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
                    bad(f"{table}[{i}].id", _Bad("twice", value=r["id"]))
                seen.add(r["id"])
    exams = {r["id"]: r for r in t["exams"]}
    for i, r in enumerate(t["attempts"]):
        if r.get("exam_id") is not None and r["exam_id"] not in exams:
            bad(f"attempts[{i}].exam_id", _Bad("no_exam", id=r["exam_id"]))
    for table in ("exam_answers", "exam_drafts"):
        seen_keys: set[tuple] = set()
        for i, r in enumerate(t[table]):
            ex = exams.get(r["exam_id"])
            if ex is None:
                bad(f"{table}[{i}].exam_id", _Bad("no_exam", id=r["exam_id"]))
            elif r["idx"] >= len(ex["items"]):
                bad(f"{table}[{i}].idx", _Bad("no_index", id=r["exam_id"], n=len(ex["items"]), idx=r["idx"]))
            key = (r["exam_id"], r["idx"])
            if key in seen_keys:
                bad(f"{table}[{i}]", _Bad("index_twice", id=key[0], idx=key[1]))
            seen_keys.add(key)
    card_of: dict[str, int] = {}
    item_of: dict[int, str] = {}
    for i, r in enumerate(t["cards"]):
        if r["item_id"] in card_of:
            bad(f"cards[{i}].item_id", _Bad("twice", value=repr(r["item_id"])))
        if r["card_id"] in item_of:
            bad(f"cards[{i}].card_id", _Bad("card_of", card=r["card_id"], item=repr(item_of[r["card_id"]])))
        if r["card"]["card_id"] != r["card_id"]:
            bad(f"cards[{i}].card.card_id", "card_differs")
        card_of[r["item_id"]] = r["card_id"]
        item_of[r["card_id"]] = r["item_id"]
    for i, r in enumerate(t["review_log"]):
        cid = card_of.setdefault(r["item_id"], r["card_id"])
        if cid != r["card_id"]:
            bad(f"review_log[{i}].card_id", _Bad("has_card", item=repr(r["item_id"]), card=cid, got=r["card_id"]))
        owner = item_of.setdefault(r["card_id"], r["item_id"])
        if owner != r["item_id"]:
            bad(f"review_log[{i}].card_id", _Bad("card_of", card=r["card_id"], item=repr(owner)))
