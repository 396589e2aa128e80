"""The progress store: durability, concurrency, damage, permissions, migrations, exams."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tutor import schema as schema_mod
from tutor import store as store_mod
from tutor.schema import V1_SCHEMA, split_sql
from tutor.store import DB_NAME, SCHEMA_VERSION, Store, StoreError

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def attempt(store: Store, item_id: str, topic: str = "em", *, correct: bool = True, now=None, **kw) -> int:
    return store.record_attempt(item_id=item_id, topic=topic, kind="exercise", mode=kw.pop("mode", "practice"),
                                variant_seed=kw.pop("variant_seed", 7), answer=kw.pop("answer", {"x": "1"}),
                                score=1.0 if correct else 0.0, correct=correct, now=now, **kw)


def raw_count(db: Path, table: str = "attempts") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


# --------------------------------------------------------------------------- basics


def test_open_creates_wal_db_with_busy_timeout(tmp_path):
    d = tmp_path / "a" / "b"
    s = Store.open(d)
    try:
        assert s.path == d / DB_NAME and s.path.is_file()
        assert s.notices == []
        assert s.schema_version() == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        s.close()
    assert sorted(p.name for p in d.iterdir()) == [DB_NAME]  # no backup of a brand-new file, no WAL left


def test_attempts_progress_and_last_activity(tmp_path):
    with Store.open(tmp_path) as s:
        attempt(s, "em.q1", correct=False, now=T0, mistake="em.swap", hints_used=1, duration_ms=1234)
        attempt(s, "em.q1", correct=True, now=T0 + timedelta(minutes=1))
        attempt(s, "em.q2", correct=False, now=T0 + timedelta(minutes=2))
        attempt(s, "lstm.q1", "lstm", correct=True, now=T0 + timedelta(minutes=3), answer="정답 문자열", mode="review")
        attempt(s, "em.q2", correct=False, now=T0 + timedelta(minutes=4))
        tp = s.topic_progress()
        assert tp["em"] == {"attempted": 2, "correct": 1, "learned": 1, "attempts": 4,
                            "last": "2025-03-01T12:04:00.000000+00:00"}
        assert tp["lstm"]["attempted"] == 1 and tp["lstm"]["correct"] == 1 and tp["lstm"]["attempts"] == 1
        rows = s.attempts("em.q1")
        assert [r["correct"] for r in rows] == [False, True]
        assert rows[0]["mistake"] == "em.swap" and rows[0]["hints_used"] == 1 and rows[0]["duration_ms"] == 1234
        assert rows[0]["answer"] == {"x": "1"}
        assert s.attempts("lstm.q1")[0]["answer"] == "정답 문자열"
        assert len(s.attempts()) == 5 and [r["item_id"] for r in s.attempts(limit=2)] == ["lstm.q1", "em.q2"]
        last = s.last_activity()
        assert last["item_id"] == "em.q2" and last["topic"] == "em" and last["mode"] == "practice"
        assert last["at"] == "2025-03-01T12:04:00.000000+00:00"
        assert s.item_ids() == {"em.q1", "em.q2", "lstm.q1"}


def test_empty_store_has_no_activity(tmp_path):
    with Store.open(tmp_path) as s:
        assert s.last_activity() is None and s.topic_progress() == {} and s.unfinished_exam() is None
        assert s.is_empty()


def test_settings_are_json_and_persist(tmp_path):
    with Store.open(tmp_path) as s:
        assert s.get_setting("lang", "en") == "en"
        s.set_setting("lang", "ko")
        s.set_setting("desired_retention", 0.85)
        s.set_setting("topics", ["em", "어텐션"])
        s.set_setting("window", {"w": 80, "dark": True})
    with Store.open(tmp_path) as s:
        assert s.get_setting("lang") == "ko"
        assert s.get_setting("desired_retention") == 0.85
        assert s.get_setting("topics") == ["em", "어텐션"]
        assert s.get_setting("window") == {"w": 80, "dark": True}
        assert s.settings()["lang"] == "ko"


def test_progress_for_vanished_ids_is_kept(tmp_path):
    with Store.open(tmp_path) as s:
        attempt(s, "old.removed-question", "old")
    with Store.open(tmp_path) as s:  # reopening (a content update) never prunes
        assert "old.removed-question" in s.item_ids()
        assert s.topic_progress()["old"]["attempts"] == 1


# --------------------------------------------------------------------------- exams


def test_exam_resumes_after_reopen_and_reports_per_topic(tmp_path):
    items = [{"item_id": "em.q1", "variant_seed": 11, "topic": "em"},
             {"item_id": "em.q2", "variant_seed": 12, "topic": "em"},
             {"item_id": "attn.q1", "variant_seed": 13, "topic": "attention"}]
    with Store.open(tmp_path) as s:
        eid = s.start_exam(topics=["em", "attention"], items=items, minutes=20, now=T0)
        s.record_exam_answer(eid, 0, answer={"a": "0.5"}, score=1.0, correct=True, mistake=None,
                             now=T0 + timedelta(minutes=2))
        s.record_exam_answer(eid, 2, answer={"a": "2"}, score=0.5, correct=False, mistake="attn.no-scale",
                             now=T0 + timedelta(minutes=5))
    # a crash or quit: the exam is still there with both answers
    with Store.open(tmp_path) as s:
        ex = s.unfinished_exam()
        assert ex is not None and ex["id"] == eid
        assert ex["items"] == items and ex["topics"] == ["em", "attention"] and ex["minutes"] == 20
        assert set(ex["answers"]) == {0, 2}
        assert ex["answers"][0]["answer"] == {"a": "0.5"} and ex["answers"][0]["correct"] is True
        assert ex["answers"][2]["mistake"] == "attn.no-scale" and ex["answers"][2]["score"] == 0.5
        assert ex["deadline"] == "2025-03-01T12:20:00.000000+00:00"
        with pytest.raises(ValueError):
            s.record_exam_answer(eid, 3, answer="x", score=0, correct=False, mistake=None)
        rep = s.finish_exam(eid, now=T0 + timedelta(minutes=25))
        assert rep["total"] == 3 and rep["answered"] == 2 and rep["correct"] == 1
        assert rep["score"] == pytest.approx((1.0 + 0.0 + 0.5) / 3)
        assert rep["per_topic"]["em"] == {"total": 2, "answered": 1, "correct": 1, "score": 0.5}
        assert rep["per_topic"]["attention"]["score"] == 0.5
        assert rep["overtime"] is True and rep["elapsed_minutes"] == 25
        assert s.unfinished_exam() is None
        assert s.finish_exam(eid) == rep  # idempotent
        with pytest.raises(ValueError):
            s.record_exam_answer(eid, 1, answer="x", score=1, correct=True, mistake=None)
        hist = s.exams()
        assert len(hist) == 1 and hist[0]["score"] == pytest.approx(0.5) and hist[0]["finished"]


# --------------------------------------------------------------------------- durability and concurrency

KILL_CHILD = r"""
import sys, time
from tutor.store import Store
s = Store.open(sys.argv[1])
k, stop = int(sys.argv[2]), sys.argv[3] == "stop"
i = 0
while True:
    s.record_attempt(item_id=f"it{i % 13}", topic="t", kind="numeric", mode="practice", variant_seed=i,
                     answer={"v": str(i)}, score=1.0, correct=True, duration_ms=i)
    i += 1
    print(i, flush=True)
    if stop and i == k:
        time.sleep(600)
"""


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["stop", "run"])
def test_sigkill_keeps_every_recorded_attempt(tmp_path, stop):
    k = 25
    p = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(tmp_path), str(k), stop],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        reported = 0
        while reported < k:
            line = p.stdout.readline()
            assert line, p.stderr.read()
            reported = int(line)
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait(10)
    assert p.returncode == -signal.SIGKILL
    with Store.open(tmp_path) as s:
        assert s.notices == []
        assert s.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        n = len(s.attempts())
        if stop == "stop":
            assert n == k
        else:
            assert n >= k  # it may have committed a few more before the signal arrived
        assert s.topic_progress()["t"]["attempts"] == n  # summary written in the same transaction
        assert [a["variant_seed"] for a in s.attempts()] == list(range(n))


WRITER_CHILD = r"""
import os, sys, time
from tutor.schedule import Scheduler
from tutor.store import Store
s = Store.open(sys.argv[1])
sched = Scheduler(s)
print("ready", flush=True)
while not os.path.exists(sys.argv[3]):
    time.sleep(0.002)
for i in range(200):
    s.record_attempt(item_id=f"{sys.argv[2]}.q{i % 7}", topic=sys.argv[2], kind="numeric", mode="practice",
                     variant_seed=i, answer=str(i), score=float(i % 2), correct=bool(i % 2))
    # a review reads the card, then writes: both processes share the items "shared.q*"
    sched.review(f"shared.q{i % 5}", "shared", 3 if i % 2 else 1)
s.close()
print("done", flush=True)
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    go = tmp_path / "go"
    data = tmp_path / "data"  # not created yet: both processes also race to create the schema
    procs = [subprocess.Popen([sys.executable, "-c", WRITER_CHILD, str(data), name, str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert out.strip() == "done"
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    with Store.open(data) as s:
        assert len(s.attempts()) == 400
        assert s.counts()["review_log"] == 400
        assert s.conn.execute("SELECT sum(reps) FROM cards").fetchone()[0] == 400  # no lost update
        tp = s.topic_progress()
        assert tp["a"] == {"attempted": 7, "correct": 7, "learned": 7, "attempts": 200, "last": tp["a"]["last"]}
        assert tp["b"]["attempts"] == 200


# --------------------------------------------------------------------------- damage


def _make_store_with_rows(d: Path, n: int = 60) -> bytes:
    with Store.open(d) as s:
        for i in range(n):
            attempt(s, f"em.q{i}", answer={"long": "x" * 1500, "i": i}, now=T0)
    return (d / DB_NAME).read_bytes()


def _assert_moved_aside(d: Path, s: Store, original: bytes) -> None:
    assert len(s.notices) == 1
    aside = list(d.glob(DB_NAME + ".corrupt-*"))
    aside = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1
    assert str(aside[0]) in s.notices[0]
    assert "\n" not in s.notices[0]
    assert aside[0].read_bytes() == original  # the old file is kept untouched
    kept = len(s.attempts())   # what could be read was salvaged into the fresh file (tutor.doctor)
    assert (kept == 0 or "saved into a fresh file" in s.notices[0]) and s.schema_version() == SCHEMA_VERSION
    attempt(s, "em.q1")  # and the fresh one works
    assert len(s.attempts()) == kept + 1


def test_random_bytes_are_moved_aside(tmp_path):
    junk = random.Random(0).randbytes(20_000)
    (tmp_path / DB_NAME).write_bytes(junk)
    with Store.open(tmp_path) as s:
        _assert_moved_aside(tmp_path, s, junk)


@pytest.mark.parametrize("keep", [0.6, 0.1, 60])
def test_truncated_file_is_moved_aside(tmp_path, keep):
    data = _make_store_with_rows(tmp_path)
    cut = data[: int(len(data) * keep)] if isinstance(keep, float) else data[:keep]
    (tmp_path / DB_NAME).write_bytes(cut)
    with Store.open(tmp_path) as s:
        _assert_moved_aside(tmp_path, s, cut)


def test_a_table_sql_cannot_read_at_all_is_given_up_after_a_bounded_number_of_queries():
    """A truncated file answers every query with an error: guessing rowids one by one up to 100,000
    per table held the start for 13 s. Row-level reads stop once ranges keep giving nothing; rows
    that do read are all kept, and a known last rowid is still read to the end."""
    from tutor import doctor

    class Dead:
        calls = 0

        def execute(self, sql, args=()):
            Dead.calls += 1
            raise sqlite3.Error("file is not a database")

    assert doctor._read_table(Dead(), "attempts", ["id"]) == []
    assert Dead.calls <= 2 + doctor.BARREN_RANGES * 257

    # a readable table whose last rowid is unknown: every row before the barren stretch is kept
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, str(i)) for i in (*range(1, 600), 700, 1500)])

    class NoMax:
        def execute(self, sql, args=()):
            if "max(rowid)" in sql or "BETWEEN" not in sql and "rowid = ?" not in sql:
                raise sqlite3.Error("damaged")
            return conn.execute(sql, args)

    rows = doctor._read_table(NoMax(), "t", ["id", "v"])
    assert [r[0] for r in rows] == [*range(1, 600), 700, 1500]


def test_garbled_pages_inside_are_moved_aside(tmp_path):
    """Damage only a full check finds: the header and the first pages still read fine."""
    data = _garble_middle_pages(tmp_path)
    with Store.open(tmp_path) as s:
        _assert_moved_aside(tmp_path, s, data)
        assert "damaged" in s.notices[0]


def _garble_middle_pages(d: Path) -> bytes:
    data = bytearray(_make_store_with_rows(d))
    n_pages = len(data) // 4096
    rnd = random.Random(1)
    for page in range(n_pages // 2, n_pages // 2 + 3):
        data[page * 4096:(page + 1) * 4096] = rnd.randbytes(4096)
    (d / DB_NAME).write_bytes(bytes(data))
    return bytes(data)


def _statements_on_open(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = store_mod._connect

    def connect(path, timeout):
        conn = real(path, timeout)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(store_mod, "_connect", connect)
    return seen


def test_deferred_check_skips_quick_check_only_for_a_large_file(tmp_path, monkeypatch):
    _make_store_with_rows(tmp_path)
    seen = _statements_on_open(monkeypatch)
    with Store.open(tmp_path, deferred_check=True) as s:     # small (≤ 2 MB): checked at once
        assert not s.deferred_check
    assert any("quick_check" in q for q in seen)
    seen.clear()
    monkeypatch.setattr(store_mod, "SYNC_CHECK_BYTES", 1000)  # now it counts as large
    with Store.open(tmp_path, deferred_check=True) as s:
        assert s.deferred_check and len(s.attempts()) == 60
    assert not any("quick_check" in q for q in seen)
    seen.clear()
    with Store.open(tmp_path) as s:                          # CLI commands: always the full check
        assert not s.deferred_check
    assert any("quick_check" in q for q in seen)


def test_background_check_finds_damage_and_the_next_open_sets_it_aside(tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "SYNC_CHECK_BYTES", 1000)
    _garble_middle_pages(tmp_path)
    told: list[str] = []
    with Store.open(tmp_path, deferred_check=True) as s:     # the cheap checks pass: the app starts
        assert s.deferred_check and s.notices == []
        s.check_in_background(told.append).join(timeout=30)
    assert len(told) == 1 and "damaged" in told[0] and str(tmp_path / DB_NAME) in told[0]
    assert (tmp_path / store_mod.CHECK_FAILED).exists()
    assert not list(tmp_path.glob("*.corrupt-*"))              # nothing moved while in use
    used = (tmp_path / DB_NAME).read_bytes()                  # as the session left it
    with Store.open(tmp_path, deferred_check=True) as s:     # still "large", but flagged: full check
        _assert_moved_aside(tmp_path, s, used)
    assert not (tmp_path / store_mod.CHECK_FAILED).exists()


def test_background_check_of_a_sound_file_says_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "SYNC_CHECK_BYTES", 1000)
    _make_store_with_rows(tmp_path)
    told: list[str] = []
    with Store.open(tmp_path, deferred_check=True) as s:
        s.check_in_background(told.append).join(timeout=30)
    assert told == [] and not (tmp_path / store_mod.CHECK_FAILED).exists()


def test_foreign_sqlite_file_is_moved_aside(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    original = (tmp_path / DB_NAME).read_bytes()
    with Store.open(tmp_path) as s:
        _assert_moved_aside(tmp_path, s, original)
        assert "not a tutor progress database" in s.notices[0]


def test_healthy_file_is_not_touched(tmp_path):
    _make_store_with_rows(tmp_path, 5)
    with Store.open(tmp_path) as s:
        assert s.notices == [] and len(s.attempts()) == 5
    assert not list(tmp_path.glob("*.corrupt-*"))


# --------------------------------------------------------------------------- permissions, locks, full disk


def _cannot_write(d: Path) -> bool:
    probe = d / "probe"
    try:
        probe.touch()
    except OSError:
        return True
    probe.unlink()
    return False


def _readonly_dir(d: Path):
    """Make ``d`` read-only for this process; returns an undo callable, or None if impossible.
    As root, chmod does not stop writes; the immutable attribute (chattr +i) does."""
    os.chmod(d, 0o555)
    if _cannot_write(d):
        return lambda: os.chmod(d, 0o755)
    os.chmod(d, 0o755)
    try:
        r = subprocess.run(["chattr", "+i", str(d)], capture_output=True)
    except FileNotFoundError:
        return None
    if r.returncode == 0:
        undo = lambda: subprocess.run(["chattr", "-i", str(d)], check=True)  # noqa: E731
        if _cannot_write(d):
            return undo
        undo()
    return None


def _ro_connect(path, timeout):  # stands in for a read-only file system
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout, isolation_level=None,
                           check_same_thread=False)


@pytest.mark.slow
@pytest.mark.parametrize("existing", [False, True])
def test_readonly_data_dir_is_a_store_error(tmp_path, monkeypatch, existing):
    d = tmp_path / "data"
    d.mkdir()
    if existing:
        _make_store_with_rows(d, 3)
    undo = _readonly_dir(d)
    if undo is None:  # neither chmod nor chattr works here: simulate the read-only mount
        monkeypatch.setattr(store_mod, "_connect", _ro_connect)
    try:
        with pytest.raises(StoreError) as ei:
            Store.open(d)
    finally:
        if undo:
            undo()
    msg = str(ei.value)
    assert "\n" not in msg and ("read-only" in msg or "not writable" in msg) and "--data-dir" in msg
    assert not list(d.glob("*.corrupt-*"))  # a permission problem is not damage: nothing moved


def test_readonly_db_file_is_a_store_error(tmp_path, monkeypatch):
    _make_store_with_rows(tmp_path, 3)
    db = tmp_path / DB_NAME
    db.chmod(0o444)
    try:
        db.open("r+b").close()  # root ignores the mode bits: simulate the read-only file instead
        monkeypatch.setattr(store_mod, "_connect", _ro_connect)
    except PermissionError:
        pass
    with pytest.raises(StoreError, match="read-only|not writable"):
        Store.open(tmp_path)
    assert raw_count(tmp_path / DB_NAME) == 3


def test_uncreatable_data_dir_is_a_store_error(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file|not a folder|cannot create"):
        Store.open(f)
    with pytest.raises(StoreError, match="cannot create|not a folder"):
        Store.open(f / "sub")


def test_locked_db_is_a_store_error_with_a_clear_message(tmp_path):
    Store.open(tmp_path).close()
    other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        t = time.monotonic()
        with pytest.raises(StoreError, match="locked by another program") as ei:
            Store.open(tmp_path, busy_timeout=0.2)
        assert time.monotonic() - t < 5
        assert "\n" not in str(ei.value)
    finally:
        other.execute("ROLLBACK")
    s = Store.open(tmp_path, busy_timeout=0.2)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError, match="locked"):
            attempt(s, "em.q1")
        other.execute("ROLLBACK")
        attempt(s, "em.q1")  # works again once the lock is gone
        assert len(s.attempts()) == 1
    finally:
        s.close()
        other.close()


def test_locked_rollback_journal_db_is_not_mistaken_for_damage(tmp_path):
    """A copy in rollback-journal mode, locked by another program: even reading is blocked."""
    _make_store_with_rows(tmp_path, 3)
    other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    assert other.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM meta")  # holds the exclusive lock from here on
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            Store.open(tmp_path, busy_timeout=0.2)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not list(tmp_path.glob("*.corrupt-*"))
    with Store.open(tmp_path) as s:
        assert len(s.attempts()) == 3 and s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_busy_timeout_waits_for_a_short_lock(tmp_path):
    with Store.open(tmp_path) as s:
        other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO settings(key, value) VALUES ('other', '1')")
        timer = threading.Timer(0.4, lambda: other.execute("COMMIT"))
        timer.start()
        t = time.monotonic()
        attempt(s, "em.q1")  # waits for the other writer instead of failing
        assert time.monotonic() - t >= 0.3
        timer.join()
        other.close()
        assert len(s.attempts()) == 1 and s.get_setting("other") == 1


def test_full_disk_is_a_store_error_and_nothing_half_written(tmp_path):
    with Store.open(tmp_path) as s:
        attempt(s, "em.q0")
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count = {pages + 3}")  # a disk with room for 3 more pages
        with pytest.raises(StoreError, match="disk is full") as ei:
            for i in range(100):
                attempt(s, f"em.q{i + 1}", answer={"big": "x" * 3000})
        assert "\n" not in str(ei.value)
        n = len(s.attempts())
        assert sum(p["attempts"] for p in s.topic_progress().values()) == n


def test_newer_schema_is_refused(tmp_path):
    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer tutor"):
        Store.open(tmp_path)


# --------------------------------------------------------------------------- migrations


def _build_v1_from_script(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    for stmt in split_sql(V1_SCHEMA):
        conn.execute(stmt)
    rows = [(f"em.q{i % 3}", "em", "exercise", "practice", i, '{"a":"1"}', float(i % 2), i % 2, 0, None, 1000 + i,
             f"2025-01-0{1 + i % 5}T10:00:00.000000+00:00") for i in range(10)]
    conn.executemany("INSERT INTO attempts(item_id, topic, kind, mode, variant_seed, answer, score, correct,"
                     " hints_used, mistake, duration_ms, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("INSERT INTO settings VALUES ('lang', '\"ko\"')")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_migration_from_v1_script_keeps_rows_and_backs_up(tmp_path):
    db = tmp_path / DB_NAME
    _build_v1_from_script(db)
    with Store.open(tmp_path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.notices == []
        rows = s.attempts()
        assert len(rows) == 10 and rows[0]["exam_id"] is None
        tp = s.topic_progress()["em"]
        assert tp["attempted"] == 3 and tp["attempts"] == 10
        # item em.q1 has attempts i=1,4,7 → correct for odd i: 1 and 7
        assert s.item_progress(["em.q1"])["em.q1"]["correct"] == 2
        assert s.get_setting("lang") == "ko"
        attempt(s, "em.q9")  # the new columns work
    backups = list(tmp_path.glob(DB_NAME + ".bak-v1-*"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 10
    conn.close()
    with Store.open(tmp_path):  # already current: no second backup
        pass
    assert len(list(tmp_path.glob(DB_NAME + ".bak-v*"))) == 1


def test_migration_from_frozen_v1_fixture(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript((FIXTURES / "db_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    with Store.open(tmp_path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert len(s.attempts()) == 4
        assert s.topic_progress()["em"] == {"attempted": 2, "correct": 2, "learned": 2, "attempts": 3,
                                            "last": "2025-02-01T08:03:00.000000+00:00"}
        assert s.attempts("attention.q.scale")[0]["answer"] == "루트 d_k"
        ex = s.unfinished_exam()  # an exam in progress under v1 still resumes
        assert ex["id"] == 1 and ex["answers"][0]["answer"] == "루트 d_k"
        assert s.get_setting("desired_retention") == 0.85
        assert s.last_activity()["item_id"] == "attention.q.scale"
    assert len(list(tmp_path.glob(DB_NAME + ".bak-v1-*"))) == 1


def test_migrations_cover_every_version():
    assert sorted(schema_mod.MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def _benchmark_fixtures():
    """benchmarks/fixtures.py, loaded by path (tests run against the installed package, which has no
    ``benchmarks``)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "fixtures.py"
    spec = importlib.util.spec_from_file_location("benchmark_fixtures", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_generate_large_db_small(tmp_path):
    fixtures = _benchmark_fixtures()
    db = fixtures.generate_large_db(tmp_path / "big", items=300, reviews=2000, seed=1)
    timings = fixtures.benchmark_queries(db.parent, repeat=1)
    assert {"open_ms", "due_ms", "due_new_ms", "due_counts_ms", "topic_progress_ms"} <= set(timings)
    with Store.open(db.parent) as s:
        assert s.notices == []
        c = s.counts()
        assert c["cards"] == 300 and c["review_log"] == 2000 and c["attempts"] == 2000
        tp = s.topic_progress()
        assert sum(v["attempts"] for v in tp.values()) == 2000
        assert sum(v["attempted"] for v in tp.values()) == len(s.item_progress())


@pytest.mark.slow
def test_tutors_opening_a_new_data_dir_at_the_same_moment_all_start(tmp_path):
    """Two tutors started together on a fresh data dir: both create/switch the file to WAL; neither
    may fail with 'locked' (SQLite does not run the busy handler for the journal-mode switch)."""
    code = ("import sys, time; from tutor.store import Store\n"
            "t = float(sys.argv[2])\n"
            "while time.time() < t: pass\n"
            "s = Store.open(sys.argv[1]); s.record_attempt(item_id='x', topic='t', kind='choice', mode='practice',"
            " variant_seed=None, answer='1', score=1.0, correct=True); s.close(); print('ok')")
    for round_ in range(3):
        d = tmp_path / f"d{round_}"
        start = time.time() + 1.5
        procs = [subprocess.Popen([sys.executable, "-c", code, str(d), str(start)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        outs = [p.communicate(timeout=60) for p in procs]
        assert all(out.strip() == "ok" for out, _ in outs), [err[-300:] for _, err in outs]
        s = Store.open(d)
        assert len(s.attempts()) == 4
        s.close()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_notice_about_the_progress_file_is_in_the_learners_language(tmp_path, capsys, lang):
    """The store does not know the language, so its notices said both ("Your progress file … /
    진도 파일이 …"); the app and the commands now show only the learner's, with where the damaged
    file was kept in both."""
    import asyncio
    import re

    from tutor.app import create_app
    from tutor.cli import main

    hangul = re.compile(r"[가-힣]")
    data = _make_store_with_rows(tmp_path / "cli")
    (tmp_path / "cli" / DB_NAME).write_bytes(data[:60])              # truncated: set aside on open
    assert main(["stats", "--lang", lang, "--data-dir", str(tmp_path / "cli")]) == 0
    err = capsys.readouterr().err.strip().splitlines()[0]
    aside = next(p for p in (tmp_path / "cli").glob(DB_NAME + ".corrupt-*") if not p.name.endswith(("-wal", "-shm")))
    assert str(aside) in err and " / " not in err.replace(str(aside), "")
    assert bool(hangul.search(err)) is (lang == "ko") and ("Your progress file" in err) is (lang == "en")

    data = _make_store_with_rows(tmp_path / "app")
    (tmp_path / "app" / DB_NAME).write_bytes(data[:60])
    app = create_app(data_dir=tmp_path / "app", lang=lang)
    said: list[str] = []
    real = app.notify
    app.notify = lambda message, *a, **k: (said.append(str(message)), real(message, *a, **k))[1]

    async def go():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(go())
    [notice] = [m for m in said if ".corrupt-" in m]
    assert bool(hangul.search(notice)) is (lang == "ko") and ("Your progress file" in notice) is (lang == "en")


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.floats(allow_nan=False) | st.text()
    | st.text(st.characters(categories=["Cs", "Cc", "Lo"])),   # lone surrogates, control characters, Korean
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_JSON_VALUES)
@example(value="a\ud800b").via("a lone surrogate, kept \\u-escaped")
@example(value={"날짜": "2026-12-24\n"}).via("an object")
def test_a_setting_reads_back_as_json_reads_it(tmp_path, value):
    """get_setting reads numbers, strings and constants in SQL (no json on the app's start path) and
    the rest with json: either way, what json itself reads back from the stored text."""
    import json

    with Store.open(tmp_path / "settings") as s:
        s.set_setting("k", value)
        stored = s.read_one("SELECT value FROM settings WHERE key = 'k'")[0]
        got = s.get_setting("k")
        assert got == json.loads(stored) and type(got) is type(json.loads(stored))
        assert s.settings()["k"] == got
        assert s.get_setting("missing", "default") == "default"


def test_a_setting_that_is_not_json_fails_as_json_fails(tmp_path):
    import json

    with Store.open(tmp_path / "settings") as s:
        with s.tx() as c:
            c.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('bad', '{oops')")
        with pytest.raises(json.JSONDecodeError):
            s.get_setting("bad")
        with s.tx() as c:
            c.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('nan', 'NaN')")
        assert s.get_setting("nan") != s.get_setting("nan")   # json's NaN, as before


def _topic_progress_plan(conn) -> str:
    sql = ("SELECT topic, COUNT(*), SUM(correct > 0), SUM(learned > 0), SUM(attempts), MAX(last_at)"
           " FROM item_progress GROUP BY topic")
    return " ".join(str(r[-1]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql))


def test_topic_progress_is_read_from_its_index_alone_in_new_and_upgraded_files(tmp_path):
    """v4: the home screen's topic progress needs no lookup of each item's row (a learner with
    months of history has thousands; benchmarks: first screen, 20,000 reviews)."""
    with Store.open(tmp_path / "new") as s:
        assert "COVERING INDEX item_progress_topic" in _topic_progress_plan(s.conn)
    v3 = tmp_path / "v3"
    v3.mkdir()
    conn = sqlite3.connect(v3 / DB_NAME)
    for stmt in split_sql(V1_SCHEMA):
        conn.execute(stmt)
    for v in (1, 2):
        schema_mod.MIGRATIONS[v](conn)
    conn.execute("INSERT INTO item_progress(item_id, topic, attempts, correct, learned, best, first_at, last_at)"
                 " VALUES ('em.q1', 'em', 2, 1, 1, 1.0, '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z')")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    assert "COVERING" not in _topic_progress_plan(conn)
    conn.close()
    with Store.open(v3) as s:
        assert s.schema_version() == SCHEMA_VERSION >= 4
        assert s.topic_progress()["em"]["learned"] == 1
    conn = sqlite3.connect(v3 / DB_NAME)
    assert "COVERING INDEX item_progress_topic" in _topic_progress_plan(conn)
    conn.close()


@pytest.mark.asyncio
async def test_settings_written_by_hand_do_not_stop_the_app(tmp_path):
    """A progress file edited by hand: a language the app does not have, a theme that is a list, a
    goal that is not a number, a value that is not JSON — the app starts on its defaults."""
    from tutor.app import create_app
    from tutor.progress import DEFAULT_DAILY_GOAL, DEFAULT_NEW_PER_DAY, today_counts

    with Store.open(tmp_path / "d") as s:
        with s.tx() as c:
            for key, value in (("lang", '"fr"'), ("theme", "[1]"), ("daily_goal", '"abc"'), ("new_per_day", "{oops")):
                c.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))
        assert s.int_setting("daily_goal", 7) == 7 and s.int_setting("new_per_day", 3) == 3
    app = create_app(data_dir=tmp_path / "d")
    assert app.lang in ("ko", "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        counts = today_counts(app.catalog, app.store)
        assert counts["goal"] == DEFAULT_DAILY_GOAL and counts["new_today"] <= DEFAULT_NEW_PER_DAY
