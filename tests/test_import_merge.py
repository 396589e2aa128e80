"""Importing a backup: every field is checked first (a bad file changes nothing and lists its
problems as `path: key: message`), an empty store is restored, a store with progress is merged
(no duplicates, conflicts reported, derived tables rebuilt), and a dry run writes nothing."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from tutor.backup import export_progress_json, import_progress_json, progress_dict
from tutor.backup_import import BackupInvalid
from tutor.cli import main
from tutor.schedule import AGAIN, GOOD, HARD, Scheduler
from tutor.store import Store

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
TABLES = ("attempts", "cards", "review_log", "mistakes", "exams", "exam_answers", "exam_drafts", "settings",
          "item_progress")


def dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def answer(store: Store, item: str, at: datetime, *, score: float = 1.0, rating: int = GOOD, topic: str = "em"):
    """One answer as the learner model writes it: an attempt and a review."""
    store.record_attempt(item_id=item, topic=topic, kind="exercise", mode="review", variant_seed=1,
                         answer={"x": str(score)}, score=score, correct=score == 1.0, now=at)
    Scheduler(store).review(item, topic, rating, now=at, duration_ms=4000)


def backup_of(store: Store, tmp_path, name="b.json") -> dict:
    p = tmp_path / name
    export_progress_json(store, p)
    return json.loads(p.read_text(encoding="utf-8"))


def write(tmp_path, data: dict, name="x.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.fixture
def two_histories(tmp_path):
    """Store A (this machine) and a backup of store B (another machine) that share one day."""
    a = Store.open(tmp_path / "a")
    b = Store.open(tmp_path / "b")
    shared = T0
    for s in (a, b):      # the same first answer on both (B was restored from A, then both went on)
        answer(s, "em.q1", shared)
    answer(a, "em.q1", T0 + 2 * DAY, rating=HARD)
    answer(b, "em.q1", T0 + 1 * DAY, score=0.0, rating=AGAIN)
    answer(b, "em.q1", T0 + 5 * DAY)
    answer(b, "em.q2", T0 + 3 * DAY)
    a.set_setting("desired_retention", 0.9)
    b.set_setting("desired_retention", 0.85)
    b.set_setting("opened_topics", ["em", "attention"])
    a.set_setting("opened_topics", ["em"])
    b.set_setting("daily_goal", 30)
    data = backup_of(b, tmp_path)
    b.close()
    yield a, data, tmp_path
    a.close()


def test_merge_adds_only_what_is_new_and_replays_the_cards(two_histories):
    a, data, tmp_path = two_histories
    report = import_progress_json(a, write(tmp_path, data))
    assert report.mode == "merge"
    assert (report.added["attempts"], report.duplicates["attempts"]) == (3, 1)
    assert (report.added["review_log"], report.duplicates["review_log"]) == (3, 1)
    # the card of em.q1 is what the scheduler gives for the four reviews in time order
    ref = Store.open(tmp_path / "ref")
    for at, score, rating in ((T0, 1.0, GOOD), (T0 + DAY, 0.0, AGAIN), (T0 + 2 * DAY, 1.0, HARD),
                              (T0 + 5 * DAY, 1.0, GOOD)):
        ref.set_setting("desired_retention", 0.9)
        answer(ref, "em.q1", at, score=score, rating=rating)
    answer(ref, "em.q2", T0 + 3 * DAY)
    want = ref.read("SELECT item_id, state, due, stability, reps, lapses, introduced, card FROM cards ORDER BY 1")
    got = a.read("SELECT item_id, state, due, stability, reps, lapses, introduced, card FROM cards ORDER BY 1")
    assert got == want
    log = "SELECT item_id, rating, state_before, before, after, due, reviewed_at FROM review_log ORDER BY reviewed_at"
    assert a.read(log) == ref.read(log)
    # item_progress rebuilt from the merged attempts
    assert a.item_progress(["em.q1"])["em.q1"]["attempts"] == 4
    assert a.item_progress(["em.q1"]) == ref.item_progress(["em.q1"])
    ref.close()
    # settings: conflicts reported and local kept; a list of topics met is the union; new keys added
    assert a.get_setting("desired_retention") == 0.9
    assert any(c.startswith("settings.desired_retention: here 0.9, in the backup 0.85") for c in report.conflicts)
    assert a.get_setting("opened_topics") == ["em", "attention"]
    assert a.get_setting("daily_goal") == 30 and "daily_goal" in report.settings_added
    # importing again adds nothing
    again = import_progress_json(a, write(tmp_path, data))
    assert sum(again.added.values()) == 0 and again.duplicates["attempts"] == 4


def test_prefer_backup_takes_the_backups_settings(two_histories):
    a, data, tmp_path = two_histories
    report = import_progress_json(a, write(tmp_path, data), prefer_backup=True)
    assert a.get_setting("desired_retention") == 0.85
    assert any("took the backup's" in c for c in report.conflicts)


def test_a_conflicting_review_is_reported_and_local_kept(two_histories):
    a, data, tmp_path = two_histories
    data = copy.deepcopy(data)
    first = min(data["review_log"], key=lambda r: r["reviewed_at"])
    first["rating"] = HARD                      # the shared review, rated otherwise in the backup
    report = import_progress_json(a, write(tmp_path, data))
    assert any(c.startswith("review of em.q1 at") for c in report.conflicts)
    assert a.read_one("SELECT rating FROM review_log ORDER BY reviewed_at LIMIT 1") == (GOOD,)


def test_dry_run_writes_nothing_and_reports_the_same(two_histories):
    a, data, tmp_path = two_histories
    before = dump(a.path)
    p = write(tmp_path, data)
    dry = import_progress_json(a, p, dry_run=True)
    assert dump(a.path) == before
    real = import_progress_json(a, p)
    assert (dry.added, dry.duplicates, dry.conflicts) == (real.added, real.duplicates, real.conflicts)
    assert dump(a.path) != before


def test_cli_import_dry_run_and_merge(two_histories, capsys):
    a, data, tmp_path = two_histories
    a.close()
    p = write(tmp_path, data)
    assert main(["import", str(p), "--dry-run", "--data-dir", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert "dry run" in err and "attempts: 3 new, 1 already here" in err
    assert "conflict: settings.desired_retention" in err
    with Store.open(tmp_path / "a") as s:
        assert len(s.attempts()) == 2
    assert main(["import", str(p), "--data-dir", str(tmp_path / "a")]) == 0
    with Store.open(tmp_path / "a") as s:
        assert len(s.attempts()) == 5


def test_merged_exams_map_ids_and_keep_answers(tmp_path):
    a = Store.open(tmp_path / "a")
    b = Store.open(tmp_path / "b")
    ea = a.start_exam(topics=["em"], items=[{"item_id": "em.q0", "variant_seed": 1}], minutes=5, now=T0)
    a.record_exam_answer(ea, 0, answer={"a": "1"}, score=1.0, correct=True, now=T0)
    eb = b.start_exam(topics=["em"], items=[{"item_id": "em.q5", "variant_seed": 2}], minutes=5, now=T0 + DAY)
    b.record_exam_answer(eb, 0, answer={"a": "2"}, score=0.0, correct=False, now=T0 + DAY)
    b.record_attempt(item_id="em.q5", topic="em", kind="exercise", mode="exam", variant_seed=2, answer={"a": "2"},
                     score=0.0, correct=False, exam_id=eb, now=T0 + DAY)
    b.finish_exam(eb, now=T0 + DAY + timedelta(minutes=3))
    data = backup_of(b, tmp_path)
    assert data["exams"][0]["id"] == ea  # the same id on both sides: must not collide
    import_progress_json(a, write(tmp_path, data))
    exams = a.exams()
    assert len(exams) == 2
    new_id = max(e["id"] for e in exams)
    assert a.read("SELECT exam_id FROM attempts") == [(new_id,)]
    assert a.read("SELECT exam_id, answer FROM exam_answers ORDER BY exam_id") == [(ea, '{"a":"1"}'),
                                                                                   (new_id, '{"a":"2"}')]
    a.close()
    b.close()


def test_an_old_backup_without_v3_columns_imports(two_histories):
    a, data, tmp_path = two_histories
    old = copy.deepcopy(data)
    old["schema"] = 2
    old.pop("exam_drafts", None)
    for r in old["attempts"]:
        r.pop("solution_viewed")
    import_progress_json(a, write(tmp_path, old))
    assert len(a.attempts()) == 5
    fresh = Store.open(tmp_path / "fresh")
    assert import_progress_json(fresh, write(tmp_path, old, "old2.json")).mode == "restore"
    assert fresh.item_progress(["em.q1"])["em.q1"]["learned"] == 2
    fresh.close()


# ----------------------------------------------------------------------------- validation


@pytest.fixture
def good(tmp_path):
    s = Store.open(tmp_path / "src")
    answer(s, "em.q1", T0)
    answer(s, "em.q1", T0 + DAY, score=0.0, rating=AGAIN)
    Scheduler(s).note_mistake("em.q1", "em", "em.swap", now=T0)
    ex = s.start_exam(topics=["em"], items=[{"item_id": "em.q0", "variant_seed": 3}], minutes=10, now=T0)
    s.record_exam_answer(ex, 0, answer={"a": "1"}, score=1.0, correct=True, now=T0)
    s.set_setting("lang", "ko")
    data = progress_dict(s)
    s.close()
    return json.loads(json.dumps(data))


BAD = [
    # (where, value, key in the message) — F4 and F5 of issue 18, and the rest of "every field"
    (("settings", "desired_retention"), "high", "settings.desired_retention"),
    (("settings", "desired_retention"), 1.0, "settings.desired_retention"),
    (("settings", "new_per_day"), -3, "settings.new_per_day"),
    (("settings", "lang"), "fr", "settings.lang"),
    (("settings", "fsrs_parameters"), [1.0] * 3, "settings.fsrs_parameters"),
    (("settings", "no_such_setting"), 1, "settings.no_such_setting"),
    (("attempts", 0, "id"), 2**70, "attempts[0].id"),
    (("attempts", 0, "id"), -(2**70), "attempts[0].id"),
    (("attempts", 0, "score"), "abc", "attempts[0].score"),
    (("attempts", 0, "score"), float("inf"), "attempts[0].score"),
    (("attempts", 0, "score"), float("nan"), "attempts[0].score"),
    (("attempts", 0, "score"), 1.5, "attempts[0].score"),
    (("attempts", 0, "at"), "garbage", "attempts[0].at"),
    (("attempts", 0, "hints_used"), -1, "attempts[0].hints_used"),
    (("attempts", 0, "correct"), "yes", "attempts[0].correct"),
    (("attempts", 0, "item_id"), [1], "attempts[0].item_id"),
    (("attempts", 0, "exam_id"), 99, "attempts[0].exam_id"),
    (("attempts", 0, "colour"), "red", "attempts[0].colour"),
    (("cards", 0, "state"), 9, "cards[0].state"),
    (("cards", 0, "card", "state"), 9, "cards[0].card"),
    (("cards", 0, "reps"), -2, "cards[0].reps"),
    (("cards", 0, "due"), "2025-13-45", "cards[0].due"),
    (("cards", 0, "card_id"), 2**64, "cards[0].card_id"),
    (("review_log", 0, "rating"), 5, "review_log[0].rating"),
    (("review_log", 1, "rating"), 0, "review_log[1].rating"),
    (("review_log", 0, "after"), "{not json", "review_log[0].after"),
    (("review_log", 1, "before"), {"card": "{not json"}, "review_log[1].before"),
    (("review_log", 0, "duration_ms"), -5, "review_log[0].duration_ms"),
    (("review_log", 0, "card_id"), 12345, "review_log[0].card_id"),
    (("mistakes", 0, "at"), 12, "mistakes[0].at"),
    (("exams", 0, "minutes"), -10, "exams[0].minutes"),
    (("exams", 0, "items"), "all", "exams[0].items"),
    (("exam_answers", 0, "idx"), 7, "exam_answers[0].idx"),
    (("exam_answers", 0, "score"), -0.5, "exam_answers[0].score"),
]


def _set(data, where, value):
    node = data
    for k in where[:-1]:
        node = node[k]
    node[where[-1]] = value


@pytest.mark.parametrize("where,value,key", BAD, ids=[k for _w, _v, k in BAD])
def test_one_bad_field_refuses_the_whole_file(tmp_path, good, where, value, key):
    data = copy.deepcopy(good)
    _set(data, where, value)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data), encoding="utf-8")   # NaN and Infinity as Python's json writes them
    dst = Store.open(tmp_path / "dst")
    answer(dst, "em.q9", T0)
    before = dump(dst.path)
    with pytest.raises(BackupInvalid) as ei:
        import_progress_json(dst, p)
    assert any(line.startswith(f"{p}: {key}") for line in ei.value.lines()), ei.value.lines()
    assert "\n" not in str(ei.value)
    dst.close()
    assert dump(tmp_path / "dst" / "progress.sqlite3") == before     # nothing written


def test_the_good_backup_passes(tmp_path, good):
    dst = Store.open(tmp_path / "dst")
    assert import_progress_json(dst, write(tmp_path, good)).mode == "restore"
    dst.close()


def test_f4_a_bad_setting_is_refused_by_the_cli_and_the_data_dir_still_works(tmp_path, good, capsys):
    data = copy.deepcopy(good)
    data["settings"]["desired_retention"] = "high"
    data["attempts"][0]["id"] = 2**70
    p = write(tmp_path, data)
    d = str(tmp_path / "d")
    assert main(["import", str(p), "--data-dir", d]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert f"{p}: settings.desired_retention: must be a number in [0.5, 1), not \"high\"" in lines
    assert any(line.startswith(f"{p}: attempts[0].id: ") for line in lines)
    assert "nothing was imported" in lines[-1]
    assert main(["stats", "--json", "--data-dir", d]) == 0   # not bricked
    with Store.open(d) as s:
        assert s.is_empty() and s.get_setting("desired_retention") is None


def test_wrong_types_everywhere_one_line_per_problem(tmp_path, capsys):
    p = write(tmp_path, {"format": "ml-tutor-progress", "version": 1, "schema": 2,
                         "attempts": [{"id": "x", "item_id": [1], "score": {}}]})
    assert main(["import", str(p), "--data-dir", str(tmp_path / "d")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    problems = lines[:-1]
    assert {line.split(": ")[1] for line in problems} >= {"attempts[0].id", "attempts[0].item_id",
                                                          "attempts[0].score", "attempts[0].at"}
    assert all(line.startswith(f"{p}: ") for line in problems)


def test_a_single_bad_field_is_one_line(tmp_path, good, capsys):
    data = copy.deepcopy(good)
    data["cards"][0]["state"] = 9
    p = write(tmp_path, data)
    assert main(["import", str(p), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"{p}: cards[0].state: ")
