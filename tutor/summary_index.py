"""The home screen's catalog summary on disk (``content-cache.index.sqlite3``), read at every start.

A small SQLite file, not JSON: the app reads it before its first frame, and SQLite is loaded there
anyway (the progress file), while ``import json`` alone was ~5 M instructions of that frame of
~990 M (benchmarks: first screen). It is a cache: written only when it reads back equal to the
summary it holds, read only when written for the current content (:func:`tutor.catalog_cache.fingerprint`,
compared as its ``repr``), and anything unreadable is simply not used (the content is loaded then).

One table of rows ``(kind, pos, a, b, c, d)``, in order:

* ``key``: a = the fingerprint's repr, b = :data:`FORMAT`;
* ``topic``: pos = its place, a = id, b = cards, c = questions, d = 1 when it has a summary;
* ``title`` / ``summary``: a = language, b = text (of the topic at pos);
* ``requires``: a = a prerequisite's id (of the topic at pos, in order);
* ``problem``: a = path, b = line, c = key, d = message.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tutor.catalog_summary import Problem, Summary, TopicSummary

FORMAT = 1
LANGS = ("ko", "en")   # the languages the home screen shows a topic's title in
_CREATE = "CREATE TABLE rows (kind TEXT NOT NULL, pos INTEGER, a, b, c, d)"


def _rows(key: dict, summary: Summary) -> list[tuple]:
    rows = [("key", 0, repr(key), FORMAT, None, None)]
    for pos, t in enumerate(summary.topics.values()):
        rows.append(("topic", pos, t.id, t.n_cards, t.n_questions, int(t.summary is not None)))
        rows += [("title", pos, lang, text, None, None) for lang, text in t.title.items()]
        rows += [("summary", pos, lang, text, None, None) for lang, text in (t.summary or {}).items()]
        rows += [("requires", pos, r, None, None, None) for r in t.requires]
    rows += [("problem", i, p.path, p.line, p.key, p.message) for i, p in enumerate(summary.problems)]
    return rows


def read(path: Path, key: dict) -> Summary | None:
    """The summary in ``path`` if it was written for ``key``; None when stale, missing or unreadable."""
    if not os.path.isfile(path):   # (connecting would make an empty file)
        return None
    try:
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute("SELECT kind, pos, a, b, c, d FROM rows ORDER BY rowid").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if not rows or rows[0][:4] != ("key", 0, repr(key), FORMAT):
        return None
    topics: list[TopicSummary] = []
    problems: list[Problem] = []
    try:
        for kind, pos, a, b, c, d in rows[1:]:
            if kind == "topic":
                topics.append(TopicSummary(a, {}, {} if d else None, [], b, c))
            elif kind == "title":
                topics[pos].title[a] = b
            elif kind == "summary":
                topics[pos].summary[a] = b
            elif kind == "requires":
                topics[pos].requires.append(a)
            elif kind == "problem":
                problems.append(Problem(a, b, c, d))
            else:
                return None
    except (IndexError, TypeError):   # rows of another shape
        return None
    if not all(_whole(t) for t in topics):   # a damaged file that is still a database: not used
        return None
    return Summary(topics={t.id: t for t in topics}, problems=problems)


def _whole(t: TopicSummary) -> bool:
    """What the home screen reads of a topic is there, of the types it reads."""
    return (isinstance(t.id, str) and all(isinstance(t.title.get(lang), str) for lang in LANGS)
            and all(isinstance(v, str) for v in (*t.title.values(), *(t.summary or {}).values(), *t.requires))
            and isinstance(t.n_cards, int) and isinstance(t.n_questions, int))


def write(path: Path, key: dict, summary: Summary) -> bool:
    """Write ``summary`` for ``key`` atomically (a reader sees the old file or the new one); False
    (and nothing written) when it cannot be written or would not read back the same."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    try:
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            with conn:
                conn.execute(_CREATE)
                conn.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)", _rows(key, summary))
        finally:
            conn.close()
        if read(tmp, key) != summary:   # e.g. a value SQLite keeps in another type
            tmp.unlink(missing_ok=True)
            return False
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error, TypeError, ValueError, OverflowError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def index_path(cache_file: Path) -> Path:
    """The summary next to the full cache ``cache_file`` (``content-cache.json`` →
    ``content-cache.index.sqlite3``)."""
    return Path(cache_file).with_name(Path(cache_file).stem + ".index.sqlite3")
