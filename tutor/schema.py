"""The progress database's schema and its migrations (stdlib sqlite3 only).

Schema history:

* v1 — the first schema: ``meta``, ``settings``, ``attempts``, ``exams``, ``exam_answers``.
* v2 — spaced review: ``cards`` (one row per scheduled item: the fsrs ``Card`` as JSON, plus the
  ``due`` time as an indexed column), ``review_log`` (state before/after, rating, auto/override,
  time, duration: the fsrs Optimizer's input), ``mistakes`` (diagnosed misconceptions),
  ``item_progress`` (per-item summary kept in step with ``attempts`` so topic progress does not
  scan every attempt), ``attempts.exam_id``.
* v3 — the learner model: ``attempts.solution_viewed`` (the worked solution was shown before this
  answer), ``item_progress.learned`` (right attempts made without the solution: "learned" means
  at least one), ``exam_drafts`` (what is typed in an exam's answer fields, saved while typing,
  with the "flag for later" mark).
* v4 — ``item_progress_topic`` also holds ``learned``: topic progress (the home screen's first
  frame) is read from the index alone, without a lookup of every item's row.

A new file is built by :func:`create_schema`: :data:`V1_SCHEMA` and then every migration, so the
upgrade path runs on every fresh install. :data:`MIGRATIONS` maps version N to the function that
upgrades N to N+1 inside the caller's transaction (the :class:`~tutor.store.Store` backs the file
up first and sets ``PRAGMA user_version``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

SCHEMA_VERSION = 4

V1_SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);
CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    item_id      TEXT    NOT NULL,
    topic        TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    mode         TEXT    NOT NULL,
    variant_seed INTEGER,
    answer       TEXT,               -- JSON
    score        REAL    NOT NULL,
    correct      INTEGER NOT NULL,
    hints_used   INTEGER NOT NULL DEFAULT 0,
    mistake      TEXT,
    duration_ms  INTEGER,
    at           TEXT    NOT NULL
);
CREATE INDEX attempts_item ON attempts(item_id);
CREATE TABLE exams (
    id       INTEGER PRIMARY KEY,
    topics   TEXT NOT NULL,          -- JSON list
    items    TEXT NOT NULL,          -- JSON list of {"item_id", "variant_seed", ...}
    minutes  REAL NOT NULL,
    started  TEXT NOT NULL,
    finished TEXT,
    report   TEXT                    -- JSON, set by finish_exam
);
CREATE TABLE exam_answers (
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    idx     INTEGER NOT NULL,
    answer  TEXT,
    score   REAL    NOT NULL,
    correct INTEGER NOT NULL,
    mistake TEXT,
    at      TEXT    NOT NULL,
    PRIMARY KEY (exam_id, idx)
);
"""

_V2_STATEMENTS = """
ALTER TABLE attempts ADD COLUMN exam_id INTEGER;
CREATE INDEX attempts_at ON attempts(at);
CREATE TABLE item_progress (
    item_id  TEXT PRIMARY KEY,
    topic    TEXT    NOT NULL,
    attempts INTEGER NOT NULL,
    correct  INTEGER NOT NULL,       -- number of fully right attempts
    best     REAL    NOT NULL,
    first_at TEXT    NOT NULL,
    last_at  TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX item_progress_topic ON item_progress(topic, correct, attempts, last_at);
INSERT INTO item_progress(item_id, topic, attempts, correct, best, first_at, last_at)
    SELECT a.item_id,
           (SELECT b.topic FROM attempts b WHERE b.item_id = a.item_id ORDER BY b.at DESC, b.id DESC LIMIT 1),
           COUNT(*), SUM(a.correct <> 0), MAX(a.score), MIN(a.at), MAX(a.at)
    FROM attempts a GROUP BY a.item_id;
CREATE TABLE cards (
    item_id    TEXT    PRIMARY KEY,
    topic      TEXT    NOT NULL,
    card_id    INTEGER NOT NULL UNIQUE,   -- stable int from the item id (sha256), fsrs card_id
    state      INTEGER NOT NULL,          -- fsrs State: 1 learning, 2 review, 3 relearning
    due        TEXT    NOT NULL,
    stability  REAL,                      -- copies of the Card's fields, for statistics in SQL
    last_review TEXT,
    reps       INTEGER NOT NULL DEFAULT 0,
    lapses     INTEGER NOT NULL DEFAULT 0,
    introduced TEXT,                      -- first review (NULL: queued, never reviewed)
    card       TEXT    NOT NULL           -- fsrs Card.to_json()
);
CREATE INDEX cards_due ON cards(due);
CREATE INDEX cards_topic_due ON cards(topic, due);
CREATE INDEX cards_introduced ON cards(introduced);
CREATE TABLE review_log (
    id           INTEGER PRIMARY KEY,
    item_id      TEXT    NOT NULL,
    topic        TEXT    NOT NULL,
    card_id      INTEGER NOT NULL,
    rating       INTEGER NOT NULL,        -- 1 Again, 2 Hard, 3 Good, 4 Easy
    auto         INTEGER NOT NULL,        -- 1: rated by the tutor, 0: the learner's override
    state_before INTEGER,                 -- fsrs State before (NULL: first review)
    before       TEXT,                    -- JSON of the cards row before (NULL: no row)
    after        TEXT    NOT NULL,        -- fsrs Card.to_json() after
    due          TEXT    NOT NULL,
    reviewed_at  TEXT    NOT NULL,
    duration_ms  INTEGER
);
CREATE INDEX review_log_at ON review_log(reviewed_at);
CREATE INDEX review_log_item ON review_log(item_id);
CREATE INDEX review_log_state ON review_log(state_before, reviewed_at, rating);
CREATE TABLE mistakes (
    id         INTEGER PRIMARY KEY,
    item_id    TEXT NOT NULL,
    topic      TEXT NOT NULL,
    mistake_id TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX mistakes_mistake ON mistakes(mistake_id);
"""


def split_sql(script: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit the open transaction)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            stmt = buf.strip()
            if stmt and stmt != ";":
                out.append(stmt)
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


_V3_STATEMENTS = """
ALTER TABLE attempts ADD COLUMN solution_viewed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE item_progress ADD COLUMN learned INTEGER NOT NULL DEFAULT 0;
UPDATE item_progress SET learned = correct;
CREATE TABLE exam_drafts (
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    idx     INTEGER NOT NULL,
    answer  TEXT,                     -- JSON {field: text} as typed, parsed or not
    flagged INTEGER NOT NULL DEFAULT 0,
    at      TEXT    NOT NULL,
    PRIMARY KEY (exam_id, idx)
);
"""

_V4_STATEMENTS = """
DROP INDEX item_progress_topic;
CREATE INDEX item_progress_topic ON item_progress(topic, correct, learned, attempts, last_at);
"""

# item_progress rebuilt from attempts (after an import): the one definition of its columns
REBUILD_ITEM_PROGRESS = (
    "INSERT INTO item_progress(item_id, topic, attempts, correct, learned, best, first_at, last_at)"
    " SELECT a.item_id,"
    " (SELECT b.topic FROM attempts b WHERE b.item_id = a.item_id ORDER BY b.at DESC, b.id DESC LIMIT 1),"
    " COUNT(*), SUM(a.correct <> 0), SUM(a.correct <> 0 AND a.solution_viewed = 0), MAX(a.score), MIN(a.at),"
    " MAX(a.at) FROM attempts a GROUP BY a.item_id")
# the same for one item (``?``: its id), after one of its attempts is taken back (undo)
REBUILD_ONE_ITEM_PROGRESS = REBUILD_ITEM_PROGRESS.replace(" GROUP BY", " WHERE a.item_id = ? GROUP BY")


def _run(script: str):
    def migrate(conn: sqlite3.Connection) -> None:
        for stmt in split_sql(script):
            conn.execute(stmt)
    return migrate


MIGRATIONS = {1: _run(_V2_STATEMENTS), 2: _run(_V3_STATEMENTS), 3: _run(_V4_STATEMENTS)}  # N → N+1, inside one transaction


def create_schema(conn: sqlite3.Connection) -> None:
    """Build the current schema in an empty database, inside the caller's transaction: the v1
    script, every migration, then ``user_version``."""
    for stmt in split_sql(V1_SCHEMA):
        conn.execute(stmt)
    for v in range(1, SCHEMA_VERSION):
        MIGRATIONS[v](conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def dumps_json(value: Any) -> str:
    """A JSON column's text (compact, UTF-8; lone surrogates kept \\u-escaped)."""
    import json  # here, not at the top: the app's start writes nothing (see tutor.store_rows._SETTING)

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes read from stdin): keep them \u-escaped
        text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


def loads_json(text: str | None) -> Any:
    import json

    return None if text is None else json.loads(text)


__all__ = ["SCHEMA_VERSION", "V1_SCHEMA", "MIGRATIONS", "REBUILD_ITEM_PROGRESS", "REBUILD_ONE_ITEM_PROGRESS", "split_sql", "create_schema", "dumps_json", "loads_json"]
