"""The progress rows of the progress store: attempts, item summaries, due counts and settings.

A mixin of :class:`tutor.store.Store` (split out so that no module holds every job, like
:mod:`tutor.store_exams`): the methods use the store's public ``tx()``, ``snapshot()``, ``read()``
and ``read_one()``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tutor.clock import iso, utc
from tutor.schema import dumps_json as _dumps
from tutor.schema import loads_json as _loads
from tutor.store_errors import StoreError

# a setting's JSON value read by SQLite where it is a number, a string or a constant: the app's start
# reads its settings (language, theme, goal) without importing json (~5 M instructions of the first
# frame; benchmarks: first screen)
# (a \u escape is read by json: SQLite makes a lone surrogate bytes that are not UTF-8)
_SETTING = ("SELECT CASE WHEN json_valid(value) AND instr(value, '\\u') = 0 THEN json_type(value) END,"
            " CASE WHEN json_valid(value) AND instr(value, '\\u') = 0 THEN json_extract(value, '$') END, value"
            " FROM settings WHERE key = ?")
_CONSTANTS = {"true": True, "false": False, "null": None}


class ProgressRows:
    # ------------------------------------------------------------------ attempts
    def record_attempt(self, *, item_id: str, topic: str, kind: str, mode: str, variant_seed: int | None,
                       answer: dict | str | None, score: float, correct: bool, hints_used: int = 0,
                       mistake: str | None = None, duration_ms: int | None = None,
                       exam_id: int | None = None, solution_viewed: bool = False,
                       now: datetime | None = None) -> int:
        """Append one graded attempt (and update the item's summary) in one transaction; returns its id.
        A right answer given after the worked solution was shown counts as right, not as learned."""
        at = iso(utc(now))
        score = float(score)
        correct_i = 1 if correct else 0
        learned_i = 1 if correct and not solution_viewed else 0
        with self.tx() as c:
            cur = c.execute(
                "INSERT INTO attempts(item_id, topic, kind, mode, variant_seed, answer, score, correct, hints_used,"
                " mistake, duration_ms, at, exam_id, solution_viewed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (item_id, topic, kind, mode, variant_seed, None if answer is None else _dumps(answer), score,
                 correct_i, int(hints_used), mistake, None if duration_ms is None else int(duration_ms), at,
                 exam_id, 1 if solution_viewed else 0))
            c.execute(
                "INSERT INTO item_progress(item_id, topic, attempts, correct, learned, best, first_at, last_at)"
                " VALUES (?,?,1,?,?,?,?,?) ON CONFLICT(item_id) DO UPDATE SET"
                " topic = excluded.topic, attempts = attempts + 1, correct = correct + excluded.correct,"
                " learned = learned + excluded.learned,"
                " best = max(best, excluded.best), first_at = min(first_at, excluded.first_at),"
                " last_at = max(last_at, excluded.last_at)",
                (item_id, topic, correct_i, learned_i, score, at, at))
            return int(cur.lastrowid)

    def forget_attempt(self, attempt_id: int) -> dict | None:
        """Take back one attempt (an answer undone): its row, and its item's summary made again from
        the attempts left; {"item_id", "mistake", "at"} of it, None when there is no such attempt."""
        from tutor.schema import REBUILD_ONE_ITEM_PROGRESS

        with self.tx() as c:
            row = c.execute("SELECT item_id, mistake, at FROM attempts WHERE id = ?", (int(attempt_id),)).fetchone()
            if row is None:
                return None
            c.execute("DELETE FROM attempts WHERE id = ?", (int(attempt_id),))
            c.execute("DELETE FROM item_progress WHERE item_id = ?", (row[0],))
            c.execute(REBUILD_ONE_ITEM_PROGRESS, (row[0],))
        return {"item_id": row[0], "mistake": row[1], "at": row[2]}

    _ATTEMPT_COLS = ("id", "item_id", "topic", "kind", "mode", "variant_seed", "answer", "score", "correct",
                     "hints_used", "mistake", "duration_ms", "exam_id", "at", "solution_viewed")

    def _attempt_dict(self, row: tuple) -> dict:
        d = dict(zip(self._ATTEMPT_COLS, row))
        d["answer"] = _loads(d["answer"])
        d["correct"] = bool(d["correct"])
        d["solution_viewed"] = bool(d["solution_viewed"])
        return d

    def attempts(self, item_id: str | None = None, *, limit: int | None = None) -> list[dict]:
        """Attempts, oldest first (all, or one item's); ``limit`` keeps the most recent ones."""
        cols = ", ".join(self._ATTEMPT_COLS)
        where, params = ("WHERE item_id = ?", [item_id]) if item_id is not None else ("", [])
        if limit is None:
            rows = self.read(f"SELECT {cols} FROM attempts {where} ORDER BY at, id", params)
        else:
            rows = self.read(f"SELECT {cols} FROM attempts {where} ORDER BY at DESC, id DESC LIMIT ?",
                              [*params, int(limit)])[::-1]
        return [self._attempt_dict(r) for r in rows]

    def topic_progress(self) -> dict[str, dict]:
        """topic -> {"attempted": distinct items tried, "correct": distinct items ever fully right,
        "learned": distinct items right at least once without the solution shown first,
        "attempts": number of attempts, "last": ISO time of the last attempt}."""
        rows = self.read("SELECT topic, COUNT(*), SUM(correct > 0), SUM(learned > 0), SUM(attempts), MAX(last_at)"
                         " FROM item_progress GROUP BY topic")
        return {t: {"attempted": n, "correct": int(ok or 0), "learned": int(le or 0), "attempts": int(a or 0),
                    "last": last} for t, n, ok, le, a, last in rows}

    def due_counts(self, now: datetime | None = None) -> dict[str, int]:
        """topic -> number of scheduled cards due at ``now`` (the home screen's "due" column;
        here, not in tutor.schedule, so the start path does not import fsrs)."""
        return dict(self.read("SELECT topic, count(*) FROM cards WHERE due <= ? GROUP BY topic", (iso(utc(now)),)))

    def without_cards(self, item_ids: list[str], n: int) -> list[str]:
        """The first ``n`` ids (in order, no repeats) that have no card: checked in SQL in chunks, so
        the usual case (new items near the front) stops early."""
        out: list[str] = []
        if n <= 0:
            return out
        chunk = 5000
        for start in range(0, len(item_ids), chunk):
            part = list(dict.fromkeys(item_ids[start:start + chunk]))
            try:
                rows = self.read(
                    "SELECT j.value FROM json_each(?) j WHERE NOT EXISTS"
                    " (SELECT 1 FROM cards c WHERE c.item_id = j.value) ORDER BY j.key",
                    (_dumps(part),))
                fresh = [r[0] for r in rows]
            except StoreError:  # an sqlite without JSON1: read the ids instead
                have = set()
                for k in range(0, len(part), 500):
                    sub = part[k:k + 500]
                    have.update(r[0] for r in self.read(
                        f"SELECT item_id FROM cards WHERE item_id IN ({','.join('?' * len(sub))})", sub))
                fresh = [i for i in part if i not in have]
            for item_id in fresh:
                if item_id not in out:
                    out.append(item_id)
                    if len(out) >= n:
                        return out
        return out

    def introduced_since(self, start: datetime) -> int:
        """How many items had their first review at or after ``start``."""
        return self.read_one("SELECT count(*) FROM cards WHERE introduced >= ?", (iso(start),))[0]

    def item_progress(self, item_ids: list[str] | None = None) -> dict[str, dict]:
        """item -> {"topic", "attempts", "correct" (count of right attempts), "learned" (right attempts
        without the solution shown first), "best", "first", "last"}."""
        sql = "SELECT item_id, topic, attempts, correct, best, first_at, last_at, learned FROM item_progress"
        rows: list[tuple] = []
        if item_ids is None:
            rows = self.read(sql)
        else:
            ids = list(item_ids)
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                rows += self.read(f"{sql} WHERE item_id IN ({','.join('?' * len(chunk))})", chunk)
        return {r[0]: {"topic": r[1], "attempts": r[2], "correct": r[3], "best": r[4], "first": r[5], "last": r[6],
                       "learned": r[7]}
                for r in rows}

    def last_activity(self) -> dict | None:
        """The most recent attempt: {"item_id", "topic", "mode", "kind", "exam_id", "at"} (None if none)."""
        row = self.read_one("SELECT item_id, topic, mode, kind, exam_id, at FROM attempts"
                             " ORDER BY at DESC, id DESC LIMIT 1")
        if row is None:
            return None
        return dict(zip(("item_id", "topic", "mode", "kind", "exam_id", "at"), row))

    def item_ids(self) -> set[str]:
        """Every item id with stored progress (attempts or a card), including ids the content lost."""
        return {r[0] for r in self.read("SELECT item_id FROM item_progress UNION SELECT item_id FROM cards")}

    def counts(self) -> dict[str, int]:
        """Row counts per table (for stats and the empty-store check)."""
        out = {}
        for table in ("attempts", "cards", "review_log", "mistakes", "exams", "exam_answers", "exam_drafts", "settings"):
            out[table] = self.read_one(f"SELECT count(*) FROM {table}")[0]
        return out

    def is_empty(self) -> bool:
        """No learning data (settings do not count)."""
        c = self.counts()
        return not any(c[t] for t in ("attempts", "cards", "review_log", "mistakes", "exams"))

    # ------------------------------------------------------------------ settings
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.read_one(_SETTING, (key,))
        if row is None:
            return default
        kind, scalar, text = row
        if kind in ("integer", "real", "text"):
            return scalar
        if kind in _CONSTANTS:
            return _CONSTANTS[kind]
        return _loads(text)   # a list or an object (and a value that is not JSON: its error, as before)

    def int_setting(self, key: str, default: int) -> int:
        """A number setting (the daily goal, new per day) as an int; ``default`` when it is not a
        number (a value written by hand into the progress file stopped every start)."""
        try:
            return int(self.get_setting(key, default))
        except (TypeError, ValueError, OverflowError):
            return default

    def set_setting(self, key: str, value: Any) -> None:
        text = _dumps(value)
        with self.tx() as c:
            c.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, text))

    def settings(self) -> dict[str, Any]:
        return {k: _loads(v) for k, v in self.read("SELECT key, value FROM settings ORDER BY key")}
