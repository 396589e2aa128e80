"""The exam rows of the progress store: a timed exam, its answers, its drafts and its report.

A mixin of :class:`tutor.store.Store` (split out so that no module holds every job): the methods
use the store's public ``tx()``, ``snapshot()`` and ``read()``.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

from tutor.clock import iso, parse_iso, utc
from tutor.schema import dumps_json as _dumps
from tutor.schema import loads_json as _loads


class ExamRows:
    def start_exam(self, *, topics: list[str], items: list[dict], minutes: float,
                   now: datetime | None = None) -> int:
        """Start a timed exam; ``items`` = [{"item_id", "variant_seed", optional "topic"}]. Returns its id."""
        if not items:
            raise ValueError("an exam needs at least one item")
        for it in items:
            if "item_id" not in it:
                raise ValueError("each exam item needs an 'item_id'")
        with self.tx() as c:
            cur = c.execute("INSERT INTO exams(topics, items, minutes, started) VALUES (?,?,?,?)",
                            (_dumps(list(topics)), _dumps([dict(it) for it in items]), float(minutes),
                             iso(utc(now))))
            return int(cur.lastrowid)

    def record_exam_answer(self, exam_id: int, index: int, *, answer: Any, score: float, correct: bool,
                           mistake: str | None = None, now: datetime | None = None) -> None:
        """Save (or replace) the answer to item ``index`` of an unfinished exam, committed at once."""
        with self.tx() as c:
            row = c.execute("SELECT items, finished FROM exams WHERE id = ?", (exam_id,)).fetchone()
            if row is None:
                raise ValueError(f"no exam {exam_id}")
            if row[1] is not None:
                raise ValueError(f"exam {exam_id} is already finished")
            n = len(_loads(row[0]))
            if not 0 <= index < n:
                raise ValueError(f"exam {exam_id} has items 0..{n - 1}, not {index}")
            c.execute("INSERT OR REPLACE INTO exam_answers(exam_id, idx, answer, score, correct, mistake, at)"
                      " VALUES (?,?,?,?,?,?,?)",
                      (exam_id, int(index), None if answer is None else _dumps(answer), float(score),
                       1 if correct else 0, mistake, iso(utc(now))))

    def _exam(self, c: sqlite3.Connection, row: tuple) -> dict:
        exam_id, topics, items, minutes, started, finished, report = row
        answers = {}
        for idx, answer, score, correct, mistake, at in c.execute(
                "SELECT idx, answer, score, correct, mistake, at FROM exam_answers WHERE exam_id = ? ORDER BY idx",
                (exam_id,)):
            answers[idx] = {"answer": _loads(answer), "score": score, "correct": bool(correct),
                            "mistake": mistake, "at": at}
        drafts = {}
        for idx, answer, flagged, at in c.execute(
                "SELECT idx, answer, flagged, at FROM exam_drafts WHERE exam_id = ? ORDER BY idx", (exam_id,)):
            drafts[idx] = {"answer": _loads(answer) or {}, "flagged": bool(flagged), "at": at}
        deadline = parse_iso(started) + timedelta(minutes=minutes)
        return {"id": exam_id, "topics": _loads(topics), "items": _loads(items), "minutes": minutes,
                "started": started, "deadline": iso(deadline), "finished": finished,
                "report": _loads(report), "answers": answers, "drafts": drafts}

    # an exam's drafts: what is in its answer fields, saved while typing (one small transaction,
    # no read-back; a finished exam takes no more drafts)
    _DRAFT_UPSERT = ("INSERT INTO exam_drafts(exam_id, idx, answer, flagged, at)"
                     " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM exams WHERE id = ? AND finished IS NULL)"
                     " ON CONFLICT(exam_id, idx) DO UPDATE SET {set}")

    def save_exam_draft(self, exam_id: int, index: int, answer: dict, *, now: datetime | None = None) -> None:
        """Keep what is typed in item ``index``'s fields ({field: text}, parsed or not), committed at
        once; the "flag for later" mark is left as it is.

        Written on every pause in typing, so committed without waiting for the disk (WAL with
        ``synchronous=NORMAL`` for this one transaction): the draft is in the file when this
        returns and survives the app crashing or being killed (``kill -9``); only a power cut or
        an OS crash could lose the drafts written since the last fully synced commit (the next
        answer, setting or checkpoint syncs them). A save then costs ~0.05 ms instead of ~4 ms
        (benchmarks: exam-drafts)."""
        with self._lock:
            outer = self._tx_depth == 0
            if outer:
                self.conn.execute("PRAGMA synchronous = NORMAL")
            try:
                with self.tx() as c:
                    c.execute(self._DRAFT_UPSERT.format(set="answer = excluded.answer, at = excluded.at"),
                              (exam_id, int(index), _dumps(dict(answer)), 0, iso(utc(now)), exam_id))
            finally:
                if outer:
                    self.conn.execute("PRAGMA synchronous = FULL")

    def flag_exam_item(self, exam_id: int, index: int, flagged: bool, *, now: datetime | None = None) -> None:
        """Mark item ``index`` "for later" (or clear the mark); what is typed is left as it is."""
        with self.tx() as c:
            c.execute(self._DRAFT_UPSERT.format(set="flagged = excluded.flagged"),
                      (exam_id, int(index), None, 1 if flagged else 0, iso(utc(now)), exam_id))

    def exam_in_progress(self) -> dict | None:
        """The latest unfinished exam in brief (cheap enough to poll every second):
        {"id", "deadline", "total"} or None."""
        row = self.read_one("SELECT id, started, minutes, items FROM exams"
                            " WHERE finished IS NULL ORDER BY id DESC LIMIT 1")
        if row is None:
            return None
        exam_id, started, minutes, items = row
        return {"id": exam_id, "deadline": iso(parse_iso(started) + timedelta(minutes=minutes)),
                "total": len(_loads(items))}

    _EXAM_COLS = "id, topics, items, minutes, started, finished, report"

    def exam(self, exam_id: int) -> dict | None:
        with self.snapshot() as c:
            row = c.execute(f"SELECT {self._EXAM_COLS} FROM exams WHERE id = ?", (exam_id,)).fetchone()
            return None if row is None else self._exam(c, row)

    def unfinished_exam(self) -> dict | None:
        """The latest exam not finished: {"id", "topics", "items", "minutes", "started", "deadline",
        "answers": {index: {"answer", "score", "correct", "mistake", "at"}}} or None."""
        with self.snapshot() as c:
            row = c.execute(f"SELECT {self._EXAM_COLS} FROM exams WHERE finished IS NULL"
                            " ORDER BY id DESC LIMIT 1").fetchone()
            return None if row is None else self._exam(c, row)

    def _item_topic(self, c: sqlite3.Connection, item: dict, topics: list[str]) -> str:
        if item.get("topic"):
            return str(item["topic"])
        for table in ("item_progress", "cards"):
            row = c.execute(f"SELECT topic FROM {table} WHERE item_id = ?", (item["item_id"],)).fetchone()
            if row:
                return row[0]
        if len(topics) == 1:
            return topics[0]
        return str(item["item_id"]).split(".")[0]

    def finish_exam(self, exam_id: int, now: datetime | None = None) -> dict:
        """Close the exam and return its report (idempotent: a finished exam returns the stored report).

        Report: {"id", "topics", "started", "finished", "minutes", "elapsed_minutes", "overtime",
        "total", "answered", "correct", "score" (0..1: mean item score, unanswered = 0),
        "per_topic": {topic: {"total", "answered", "correct", "score"}}, "items": [per-item rows]}.
        A row's "unreadable" is the draft typed for an item that has no graded answer (the caller
        grades every readable draft first, in the same transaction: see ``ExamSession.finish``).
        """
        end = utc(now)
        with self.tx() as c:
            row = c.execute(f"SELECT {self._EXAM_COLS} FROM exams WHERE id = ?", (exam_id,)).fetchone()
            if row is None:
                raise ValueError(f"no exam {exam_id}")
            ex = self._exam(c, row)
            if ex["finished"] is not None and ex["report"] is not None:
                return ex["report"]
            per_topic: dict[str, dict] = {}
            rows = []
            for i, item in enumerate(ex["items"]):
                topic = self._item_topic(c, item, ex["topics"])
                a = ex["answers"].get(i)
                score = float(a["score"]) if a else 0.0
                correct = bool(a["correct"]) if a else False
                d = ex["drafts"].get(i)
                typed = d["answer"] if d and any(str(v).strip() for v in d["answer"].values()) else None
                # answered: something was typed (graded, or unreadable) — as the exam screens count it
                rows.append({"index": i, "item_id": item["item_id"], "topic": topic,
                             "answered": a is not None or typed is not None,
                             "score": score, "correct": correct, "mistake": a["mistake"] if a else None,
                             # typed but never graded: it could not be read (the report says so)
                             "unreadable": typed if a is None else None,
                             "flagged": bool(d and d["flagged"])})
                t = per_topic.setdefault(topic, {"total": 0, "answered": 0, "correct": 0, "score": 0.0})
                t["total"] += 1
                t["answered"] += rows[-1]["answered"]
                t["correct"] += correct
                t["score"] += score
            for t in per_topic.values():
                t["score"] = t["score"] / t["total"]
            total = len(rows)
            started = parse_iso(ex["started"])
            elapsed = (end - started).total_seconds() / 60.0
            report = {
                "id": exam_id, "topics": ex["topics"], "started": ex["started"], "finished": iso(end),
                "minutes": ex["minutes"], "elapsed_minutes": round(elapsed, 3),
                "overtime": elapsed > ex["minutes"],
                "total": total, "answered": sum(r["answered"] for r in rows),
                "correct": sum(r["correct"] for r in rows),
                "score": sum(r["score"] for r in rows) / total if total else 0.0,
                "per_topic": per_topic, "items": rows,
            }
            c.execute("UPDATE exams SET finished = ?, report = ? WHERE id = ?", (iso(end), _dumps(report), exam_id))
            return report

    def exams(self) -> list[dict]:
        """Exam history, oldest first: {"id", "topics", "minutes", "started", "finished", "total",
        "answered", "correct", "score" (None while unfinished), "per_topic"}."""
        out = []
        for exam_id, topics, items, minutes, started, finished, report in self.read(
                f"SELECT {self._EXAM_COLS} FROM exams ORDER BY started, id"):
            rep = _loads(report) or {}
            out.append({"id": exam_id, "topics": _loads(topics), "minutes": minutes, "started": started,
                        "finished": finished, "total": len(_loads(items)), "answered": rep.get("answered"),
                        "correct": rep.get("correct"), "score": rep.get("score"),
                        "per_topic": rep.get("per_topic", {})})
        return out


__all__ = ["ExamRows"]
