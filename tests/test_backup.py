"""JSON progress backup round trip; Anki and CSV card exports read back with the csv module."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import fsrs
import pytest

from tutor.backup import export_cards, export_progress_json, import_progress_json
from tutor.schedule import AGAIN, GOOD, Scheduler
from tutor.store import Store, StoreError

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)
TABLES = ("attempts", "cards", "review_log", "mistakes", "exams", "exam_answers", "settings", "item_progress")


def dump(path) -> dict[str, list[tuple]]:
    """Every row of every table, read with a plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for t in TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()
            # JSON text may be re-encoded (spacing): compare decoded values
            out[t] = sorted(tuple(_norm(v) for v in r) for r in rows)
        return out
    finally:
        conn.close()


def _norm(v):
    if isinstance(v, str) and v[:1] in "{[\"":
        try:
            return json.dumps(json.loads(v), sort_keys=True)
        except ValueError:
            return v
    return v


def fill(store: Store) -> None:
    sched = Scheduler(store)
    for i in range(6):
        store.record_attempt(item_id=f"em.q{i % 3}", topic="em", kind="exercise", mode="practice", variant_seed=i,
                             answer={"resp[0]": f"0.{i}", "메모": "한국어"}, score=i / 5, correct=i == 5,
                             hints_used=i % 2, mistake="em.swap" if i == 1 else None, duration_ms=1000 * i,
                             now=T0 + i * MIN)
    now = T0
    for rating in (GOOD, GOOD, AGAIN, GOOD):
        now = sched.review("em.q1", "em", rating, now=now, duration_ms=5000)["due"]
    sched.review("em.q2", "em", GOOD, now=T0, auto=False)
    sched.note_mistake("em.q1", "em", "em.swap", now=T0)
    sched.note_mistake("em.q2", "em", "em.swap", now=T0)
    ex = store.start_exam(topics=["em"], items=[{"item_id": "em.q0", "variant_seed": 3}], minutes=10, now=T0)
    store.record_exam_answer(ex, 0, answer={"a": "1"}, score=1.0, correct=True, mistake=None, now=T0)
    store.finish_exam(ex, now=T0 + 5 * MIN)
    store.start_exam(topics=["em"], items=[{"item_id": "em.q1", "variant_seed": 4}], minutes=10, now=T0 + 9 * MIN)
    store.set_setting("lang", "ko")
    store.set_setting("new_per_day", 7)


def test_json_export_import_round_trip(tmp_path):
    src = Store.open(tmp_path / "src")
    fill(src)
    backup = tmp_path / "backup.json"
    export_progress_json(src, backup)
    src.close()
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert data["format"] == "ml-tutor-progress" and len(data["attempts"]) == 6
    assert data["attempts"][0]["answer"]["메모"] == "한국어"
    # the fsrs Optimizer input, as is
    logs = [fsrs.ReviewLog.from_dict(d) for d in data["fsrs_review_logs"]]
    assert [int(x.rating) for x in logs] == [GOOD, GOOD, AGAIN, GOOD, GOOD]
    assert logs[0].review_duration == 5000

    dst = Store.open(tmp_path / "dst")
    counts = import_progress_json(dst, backup)
    assert counts["attempts"] == 6 and counts["review_log"] == 5
    # behaviour survives too: the unfinished exam resumes, the log can be undone
    assert dst.unfinished_exam()["items"] == [{"item_id": "em.q1", "variant_seed": 4}]
    dst.close()
    assert dump(tmp_path / "src" / "progress.sqlite3") == dump(tmp_path / "dst" / "progress.sqlite3")
    with Store.open(tmp_path / "dst") as s:
        assert Scheduler(s).undo_last()["item_id"] == "em.q2"
        assert s.get_setting("lang") == "ko"


def test_export_to_a_stream(tmp_path):
    with Store.open(tmp_path) as s:
        fill(s)
        buf = io.StringIO()
        export_progress_json(s, buf)
    assert json.loads(buf.getvalue())["settings"]["new_per_day"] == 7


@pytest.mark.parametrize("content,match", [
    ("{not json", "not valid JSON"),
    ('{"format": "something-else"}', "not a tutor progress backup"),
    ('{"format": "ml-tutor-progress", "version": 99}', "newer tutor"),
    ('{"format": "ml-tutor-progress", "version": 1, "attempts": {"a": 1}}', "must be a list"),
    ('{"format": "ml-tutor-progress", "version": 1, "attempts": [{"item_id": "x"}]}', r"attempts\[0\]\.topic: missing"),
])
def test_import_rejects_bad_files_with_one_line(tmp_path, content, match):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with Store.open(tmp_path / "d") as s:
        with pytest.raises(StoreError, match=match) as ei:
            import_progress_json(s, p)
        assert "\n" not in str(ei.value)
        assert s.is_empty()
    with Store.open(tmp_path / "d") as s, pytest.raises(StoreError, match="no such file"):
        import_progress_json(s, tmp_path / "missing.json")


CARDS = [
    {"id": "em.c1", "topic": "em", "front": "E-step: what is resp?", "back": "P(z|x, θ)\nnormalised over z"},
    {"id": "attn.c1", "topic": "attention", "front": "왜 √d_k 로 나누나요?\t(tab)", "back": 'softmax "saturates"'},
    {"id": "x.c1", "topic": "deep learning", "front": "plain", "back": "", "tags": ["extra"]},
]


def test_anki_export_reads_back_with_csv(tmp_path):
    p = tmp_path / "cards.txt"
    export_cards(CARDS, p, "anki")
    text = p.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[:3] == ["#separator:tab", "#html:true", "#tags column:3"]
    body = "\n".join(line for line in lines if not line.startswith("#"))
    rows = list(csv.reader(io.StringIO(body), delimiter="\t"))
    assert [r[:2] for r in rows] == [[c["front"], c["back"]] for c in CARDS]
    assert [r[2] for r in rows] == ["em", "attention", "deep_learning extra"]
    assert all(len(r) == 3 for r in rows)


def test_csv_export_reads_back(tmp_path):
    p = tmp_path / "cards.csv"
    export_cards(CARDS, p, "csv")
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read Korean right
    with open(p, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["topic"], r["front"], r["back"]) for r in rows] == \
        [(c["id"], c["topic"], c["front"], c["back"]) for c in CARDS]


def test_card_export_errors(tmp_path):
    with pytest.raises(ValueError):
        export_cards(CARDS, tmp_path / "x", "apkg")
    with pytest.raises(ValueError, match="back"):
        export_cards([{"front": "a", "id": "q"}], tmp_path / "x", "csv")
    with pytest.raises(StoreError, match="cannot write"):
        export_cards(CARDS, tmp_path / "no" / "such" / "dir.txt", "anki")


def test_every_setting_the_tutor_keeps_survives_a_backup(tmp_path):
    """A learner who had set an exam date (tutor plan), suspended or flagged an item, used a lab or
    sat an exam could not restore their backup: `settings.exam_date: unknown setting`, and the
    whole file was refused. Each setting is made here by the feature that makes it."""
    from datetime import date

    from tutor import browse, labs
    from tutor.catalog_cache import load_catalog_for
    from tutor.plan import save_exam
    from tutor.review import ExamSession

    src = Store.open(tmp_path / "src")
    fill(src)
    catalog = load_catalog_for(None, tmp_path / "src" / "content-cache.json")
    save_exam(src, date(2027, 1, 15), ["em", "kmeans"])
    browse.set_suspended(src, "em.q.cloze")
    browse.set_flagged(src, "kmeans.q.k-choice")
    labs.save_text(src, "em-coins", "")          # a lab input the learner cleared is theirs too
    labs.save_text(src, "kmeans", "points: [[1, 2]]\n")
    src.set_setting(labs.CURRENT, "kmeans")
    ExamSession(catalog, src, lang="ko").start(["em"], 2, 5, seed=1)
    want = {k: src.get_setting(k) for k in ("exam_date", "exam_topics", "suspended", "flagged", "exam_last_topics",
                                            "exam_last_size", "lab.em-coins", "lab.kmeans", "lab.current")}
    assert all(v is not None for v in want.values()), want
    backup = tmp_path / "backup.json"
    export_progress_json(src, backup)
    src.close()
    for name in ("fresh", "busy"):               # a restore into an empty dir, and a merge
        dst = Store.open(tmp_path / name)
        if name == "busy":
            dst.record_attempt(item_id="em.q0", topic="em", kind="choice", mode="practice", variant_seed=None,
                               answer="1", score=1.0, correct=True, now=T0)
        import_progress_json(dst, backup)
        assert {k: dst.get_setting(k) for k in want} == want, name
        dst.close()


def test_every_setting_key_in_the_code_is_known_to_the_backup_check():
    """A new setting must be added to backup_check.SETTINGS, or a backup holding it is refused."""
    import re
    from pathlib import Path

    from tutor import browse, labs
    from tutor.backup_check import setting_check

    root = Path(__file__).resolve().parent.parent / "tutor"
    keys = set()
    for f in root.rglob("*.py"):
        keys |= set(re.findall(r"""(?:get|set)_setting\(\s*["']([^"']+)["']""", f.read_text(encoding="utf-8")))
    keys |= {browse._SUSPENDED, browse._FLAGGED, labs.CURRENT, labs.SETTING.format("em-coins")}
    assert len(keys) >= 15
    assert [k for k in sorted(keys) if setting_check(k) is None] == []
