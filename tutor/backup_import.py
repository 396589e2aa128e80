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
from dataclasses import dataclass, field
from typing import Any

from tutor.backup_check import (  # noqa: F401 - BackupInvalid and parse_backup are this module's API too
    JSON_COLUMNS,
    SETTINGS,
    SPEC,
    TABLES,
    Backup,
    BackupInvalid,
    parse_backup,
)
from tutor.clock import iso
from tutor.schema import REBUILD_ITEM_PROGRESS
from tutor.store import Store
from tutor.store_errors import Notice, in_lang

# --------------------------------------------------------------------------- writing


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    mode: str                                            # "restore" (empty store) or "merge"
    dry_run: bool = False
    added: dict[str, int] = field(default_factory=dict)          # table -> new rows
    duplicates: dict[str, int] = field(default_factory=dict)     # table -> rows already here
    settings_added: list[str] = field(default_factory=list)      # setting keys (shown by setting_name)
    conflicts: list[str] = field(default_factory=list)           # one line each (a Notice: both languages)
    cards_rebuilt: int = 0

    def __getitem__(self, table: str) -> int:   # report["attempts"]: rows added
        return self.added.get(table, 0)

    def lines(self, lang: str = "en") -> list[str]:
        """What was added, a line per table, in ``lang``; the settings by their names, never keys."""
        from tutor.i18n import tr

        out = []
        for table in TABLES:
            a, d = self.added.get(table, 0), self.duplicates.get(table, 0)
            if a or d:
                name = tr(f"cli.import.t.{table}", lang)
                out.append(tr("cli.import.table", lang, table=name, n=a) + (tr("cli.import.already", lang, n=d) if d else ""))
        if self.settings_added:
            out.append(tr("cli.import.settings", lang, names=", ".join(setting_name(k, lang) for k in self.settings_added)))
        if self.cards_rebuilt:
            out.append(tr("cli.import.rebuilt", lang, n=self.cards_rebuilt))
        return out + [tr("cli.import.conflict", lang, what=in_lang(c, lang)) for c in self.conflicts]


def setting_name(key: str, lang: str) -> str:
    """A setting as the learner knows it ("exam date", "시험 날짜"; a lab's input by the lab's title),
    never its key; a key this tutor does not know (the backup check refuses those) as it is."""
    from tutor.i18n import has_text, tr

    if has_text(f"cli.setting.{key}"):
        return tr(f"cli.setting.{key}", lang)
    if key.startswith("lab."):
        from engine.registry import get_algorithm

        try:
            return tr("cli.setting.lab", lang, title=get_algorithm(key[4:]).title[lang])
        except (KeyError, ImportError):
            pass
    return key


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
            kept_ko = "백업의 값을 썼습니다" if prefer_backup else "이 값을 유지했습니다(--prefer-backup이면 백업의 값을 씁니다)"
            report.conflicts.append(Notice(f"settings.{k}: here {_short(local[k])}, in the backup {_short(v)}: {kept}",
                                           f"settings.{k}({setting_name(k, 'ko')}): 여기는 {_short(local[k])}, "
                                           f"백업은 {_short(v)}: {kept_ko}"))
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

    def conflict(what: str, what_ko: str) -> None:
        kept = "took the backup's" if prefer_backup else "kept this one"
        kept_ko = "백업의 것을 썼습니다" if prefer_backup else "이쪽 것을 유지했습니다"
        report.conflicts.append(Notice(f"{what}: {kept}", f"{what_ko}: {kept_ko}"))

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
            conflict(f"exam started {row['started']}: it differs here and in the backup (finished, report)",
                     f"{row['started']}에 시작한 시험: 여기와 백업의 종료 시각·결과가 다릅니다")
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
                started = next(e["started"] for e in t["exams"] if e["id"] == row["exam_id"])
                conflict(f"{table} of the exam started {started}, question {row['idx'] + 1}: the answers differ",
                         f"{started}에 시작한 시험의 {row['idx'] + 1}번 문제: "
                         f"{'답안' if table == 'exam_answers' else '임시 답안'}이 다릅니다")
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
                         f"{row['rating']} in the backup",
                         f"{row['reviewed_at']}의 복습({row['item_id']}): 여기서는 평가 {mine[3]}, 백업에서는 {row['rating']}")
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


__all__ = ["Backup", "BackupInvalid", "ImportReport", "SETTINGS", "SPEC", "import_backup", "parse_backup", "setting_name"]
