"""Benchmark data: a big, realistic progress database (:func:`generate_large_db`), and
:func:`benchmark_queries`, which times the hot queries on one.

Used by the benchmark runner (``python -m benchmarks``) and by a small test. Imports only the
installed ``tutor`` package, numpy and fsrs, so tests can load this file by its path.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from tutor.clock import utc
from tutor.schema import create_schema
from tutor.store import DB_NAME, Store, card_id_for


def generate_large_db(path: Path | str, items: int = 100_000, reviews: int = 1_000_000, seed: int = 0,
                      *, attempts: int | None = None, topics: int = 50, now: datetime | None = None) -> Path:
    """Build a big, realistic progress database for the benchmark runner; returns the db file path.

    ``path`` is a data folder (``progress.sqlite3`` is created in it: open it with
    ``Store.open(folder)``) or a ``*.sqlite3``/``*.db`` file path. It must not exist yet. ``items`` cards over ``topics`` topics (ids ``t07.q000123``, topic ``t07``),
    ``reviews`` review-log rows and as many attempts (``attempts`` to change that) over the last two
    years, dues from 30 days ago to 180 days ahead (about 14 % due now). The numbers are drawn with
    numpy (vectorised, seeded) and written with ``executemany`` in one transaction, indexes built last.
    """
    import numpy as np
    from fsrs import Card, State

    path = Path(path)
    if path.suffix in (".sqlite3", ".sqlite", ".db"):
        data_dir, db = path.parent, path
    else:
        data_dir, db = path, path / DB_NAME
    if db.exists():
        raise FileExistsError(db)
    data_dir.mkdir(parents=True, exist_ok=True)
    attempts = reviews if attempts is None else attempts
    now = utc(now)
    rng = np.random.default_rng(seed)
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    create_schema(conn)
    # indexes are built after the bulk insert (much faster than keeping them up to date row by row)
    index_sql = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")]
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX {name}")

    day_us = 86_400_000_000
    now_us = np.int64(int(now.timestamp() * 1_000_000))

    def ts(us) -> list[str]:  # epoch microseconds -> fixed-width UTC ISO text
        text = np.datetime_as_string(np.asarray(us, dtype="int64").astype("datetime64[us]"), unit="us")
        return [t + "+00:00" for t in text.tolist()]

    ids = [f"t{i % topics:02d}.q{i:06d}" for i in range(items)]
    topic_of = [f"t{i % topics:02d}" for i in range(items)]
    cids = [card_id_for(item_id) for item_id in ids]
    t0 = now_us - 730 * day_us  # two years of history

    # cards: one per item
    due = now_us + rng.integers(-30 * day_us, 180 * day_us, items)
    last = np.minimum(due - day_us, now_us - rng.integers(0, 30 * day_us, items))
    stability = rng.uniform(1.0, 200.0, items)
    difficulty = rng.uniform(1.0, 10.0, items)
    relearning = rng.random(items) < 0.1
    reps = rng.integers(1, 21, items)
    lapses = rng.integers(0, 4, items)
    due_s, last_s, intro_s = ts(due), ts(last), ts(t0 + rng.integers(0, 30 * day_us, items))
    card_rows = []
    for i in range(items):
        state = State.Relearning if relearning[i] else State.Review
        card = Card(card_id=cids[i], state=state, step=0 if relearning[i] else None, stability=float(stability[i]),
                    difficulty=float(difficulty[i]), due=datetime.fromisoformat(due_s[i]),
                    last_review=datetime.fromisoformat(last_s[i]))
        card_rows.append((ids[i], topic_of[i], cids[i], int(state), due_s[i], float(stability[i]), last_s[i],
                          int(reps[i]), int(lapses[i]), intro_s[i], card.to_json()))
    conn.executemany("INSERT INTO cards(item_id, topic, card_id, state, due, stability, last_review, reps, lapses,"
                     " introduced, card) VALUES (?,?,?,?,?,?,?,?,?,?,?)", card_rows)
    del card_rows

    chunk = 200_000
    for start in range(0, reviews, chunk):
        n = min(chunk, reviews - start)
        item = rng.integers(0, items, n)
        rating = rng.choice(np.array([1, 2, 3, 4]), n, p=[0.10, 0.15, 0.65, 0.10])
        state_before = rng.choice(np.array([1, 2, 3]), n, p=[0.2, 0.7, 0.1])
        at = np.sort(t0 + rng.integers(0, 730 * day_us, n))
        at_s, due_s2 = ts(at), ts(at + rng.integers(day_us // 24, 30 * day_us, n))
        dur = rng.integers(2_000, 120_000, n)
        conn.executemany(
            "INSERT INTO review_log(item_id, topic, card_id, rating, auto, state_before, before, after, due,"
            " reviewed_at, duration_ms) VALUES (?,?,?,?,1,?,NULL,'{}',?,?,?)",
            ((ids[k], topic_of[k], cids[k], r, sb, d, a, u) for k, r, sb, d, a, u in
             zip(item.tolist(), rating.tolist(), state_before.tolist(), due_s2, at_s, dur.tolist())))

    n_att = np.zeros(items, dtype=np.int64)
    n_ok = np.zeros(items, dtype=np.int64)
    best = np.full(items, -1.0)
    first = np.full(items, np.iinfo(np.int64).max)
    latest = np.full(items, np.iinfo(np.int64).min)
    for start in range(0, attempts, chunk):
        n = min(chunk, attempts - start)
        item = rng.integers(0, items, n)
        correct = rng.random(n) < 0.7
        score = np.where(correct, 1.0, rng.choice(np.array([0.0, 0.25, 0.5, 0.75]), n))
        at = np.sort(t0 + rng.integers(0, 730 * day_us, n))
        seeds = rng.integers(1, 2**31, n)
        dur = rng.integers(2_000, 120_000, n)
        np.add.at(n_att, item, 1)
        np.add.at(n_ok, item, correct.astype(np.int64))
        np.maximum.at(best, item, score)
        np.minimum.at(first, item, at)
        np.maximum.at(latest, item, at)
        conn.executemany(
            "INSERT INTO attempts(item_id, topic, kind, mode, variant_seed, answer, score, correct, hints_used,"
            " mistake, duration_ms, at) VALUES (?,?,'exercise','review',?,'{\"x\":\"1\"}',?,?,0,NULL,?,?)",
            ((ids[k], topic_of[k], sd, sc, ok, d, a) for k, sd, sc, ok, d, a in
             zip(item.tolist(), seeds.tolist(), score.tolist(), correct.astype(int).tolist(), dur.tolist(), ts(at))))
    seen = np.flatnonzero(n_att)
    first_s, last_s2 = ts(first[seen]), ts(latest[seen])
    conn.executemany("INSERT INTO item_progress(item_id, topic, attempts, correct, best, first_at, last_at)"
                     " VALUES (?,?,?,?,?,?,?)",
                     ((ids[k], topic_of[k], int(n_att[k]), int(n_ok[k]), float(best[k]), f, la)
                      for k, f, la in zip(seen.tolist(), first_s, last_s2)))
    for sql in index_sql:
        conn.execute(sql)
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('generated', ?)",
                 (json.dumps({"items": items, "reviews": reviews, "attempts": attempts, "seed": seed}, separators=(",", ":")),))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return db


def benchmark_queries(data_dir, *, repeat: int = 5, now: datetime | None = None,
                      all_items: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Time the hot queries on an existing data dir (e.g. one made by :func:`generate_large_db`).

    Returns the best of ``repeat`` runs in milliseconds for ``due`` (with and without ``all_items``),
    ``due_counts``, ``topic_progress`` and ``open`` (which includes ``PRAGMA quick_check``).
    """
    import time

    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        return min(times)

    out: dict[str, Any] = {}
    t = time.perf_counter()
    store = Store.open(data_dir)
    out["open_ms"] = (time.perf_counter() - t) * 1000
    try:
        from tutor.schedule import Scheduler

        sched = Scheduler(store)
        if all_items is None:
            all_items = [tuple(r) for r in store.read("SELECT item_id, topic FROM cards ORDER BY item_id")]
            all_items += [(f"new.q{i:06d}", "new") for i in range(100)]
        out["due_ms"] = best(lambda: sched.due(now))
        out["due_new_ms"] = best(lambda: sched.due(now, all_items=all_items))
        out["due_topics_ms"] = best(lambda: sched.due(now, topics=["t01", "t02"]))
        out["due_counts_ms"] = best(lambda: sched.due_counts(now))
        out["topic_progress_ms"] = best(store.topic_progress)
        out["due_counts_plus_topic_progress_ms"] = best(lambda: (sched.due_counts(now), store.topic_progress()))
    finally:
        store.close()
    return out


__all__ = ["generate_large_db", "benchmark_queries"]
