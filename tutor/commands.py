"""Subcommands of the `tutor` CLI (imported only when a subcommand runs)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from tutor.config import UsageError, content_dirs, data_dir, default_lang, saved_lang
from tutor.i18n import tr
from tutor.store_errors import in_lang


def usage_error(key: str, lang: str | None, **kw) -> UsageError:
    """A one-line error of the CLI in the learner's language (the ``cli.`` keys of tutor.i18n)."""
    return UsageError(tr(key, lang or "en", **kw))


def learner_lang(args) -> str:
    """The language of a command's texts: ``args.lang`` as main() resolved it. ``tutor exam`` checks
    its arguments before the app resolves the language, so there: the language saved in the app
    (setting "lang"), else the locale."""
    lang = getattr(args, "lang", None)
    if lang in ("ko", "en"):
        return lang
    return saved_lang(args) or default_lang()


# ----------------------------------------------------------------------------- solve


def cmd_solve(args) -> int:
    """``tutor solve``: :mod:`tutor.commands_solve`."""
    from tutor.commands_solve import cmd_solve as solve

    return solve(args)


# ----------------------------------------------------------------------------- check-content


def cmd_check_content(args) -> int:
    from tutor.content import check_catalog, load_catalog, summary

    dirs = [Path(d) for d in args.dirs] or content_dirs(args)
    for d in dirs or []:
        if not d.is_dir():
            raise usage_error("cli.check.not_dir", args.lang, path=d)
    catalog = load_catalog(dirs)
    problems = list(catalog.problems) + check_catalog(catalog, verify_numbers=not args.no_verify)
    seen = set()
    for p in problems:
        s = str(p)
        if s not in seen:
            seen.add(s)
            print(s)
    rows = summary(catalog)
    from rich.console import Console
    from rich.table import Table

    table = Table(title="content", show_lines=False)
    for col in ("topic", "cards", "questions", "by kind", "exercises"):
        table.add_column(col)
    for r in rows:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(r.get("by_kind", {}).items()))
        table.add_row(r["topic"], str(r["cards"]), str(r["questions"]), kinds, str(r.get("exercises", 0)))
    Console(stderr=False).print(table)
    if args.data_dir:
        from tutor.store import Store, StoreError

        try:
            store = Store.open(data_dir(args.data_dir))
        except StoreError as e:
            raise UsageError(f"tutor check-content: {e}") from None
        known = {i for ids in catalog.items_by_topic().values() for i in ids}
        orphans = sorted(i for i in store.item_ids() if i not in known and not i.startswith("remedial:"))
        for i in orphans:
            print(f"progress kept for an id the content no longer has: {i}")
        store.close()
    n_items = sum(r["cards"] + r["questions"] for r in rows)
    with_why, without = sum(r["wrong_explained"] for r in rows), sum(r["wrong_unexplained"] for r in rows)
    print(f"wrong answers explained (a why for every wrong option, mistakes: for numeric): "
          f"{with_why} questions with, {without} without")
    print(f"{len(rows)} topics, {n_items} items, {len(seen)} problems")
    return 1 if seen else 0


# ----------------------------------------------------------------------------- practice (line mode)


def cmd_practice(args) -> int:
    from tutor.linemode import run_practice

    return run_practice(args)


def cmd_review(args) -> int:
    from tutor.linemode import run_review

    return run_review(args)


def catalog_for(args):
    """The content for a command that reads it: from the data directory's catalog cache when it
    is current (check-content always loads and checks the YAML)."""
    from tutor.catalog_cache import load_catalog_for

    return load_catalog_for(content_dirs(args), data_dir(args.data_dir))


def open_store(args, *, reading: bool = False):
    """The progress store of ``--data-dir`` (one-line error, exit 2, if it cannot be opened).
    ``reading``: a command that only reads (stats, export) also works read-only, on a read-only
    folder or a full disk (:meth:`Store.open_for_reading`)."""
    from tutor.store import Store, StoreError

    try:
        if reading:
            return Store.open_for_reading(data_dir(args.data_dir))
        return Store.open(data_dir(args.data_dir))
    except StoreError as e:
        raise UsageError(f"tutor: {e}") from None


def grade_expired_exam(catalog, store, lang: str) -> None:
    """An exam whose time ran out while the learner was away is graded before a command counts or
    serves anything (its items are due at once, as in the app); one line on stderr says so."""
    from tutor.review import finish_expired
    from tutor.store_errors import StoreError

    try:
        report = finish_expired(catalog, store, lang=lang)
    except StoreError:   # a read-only progress file: graded when it can be written
        return
    if report is not None:
        print(tr("exam.graded_cli", lang, score=report["score"] or 0), file=sys.stderr)


def cmd_stats(args) -> int:
    from tutor.stats import render_stats

    store = open_store(args, reading=True)
    for n in store.notices:
        print(in_lang(n, args.lang), file=sys.stderr)
    catalog = catalog_for(args)
    grade_expired_exam(catalog, store, args.lang)
    if getattr(args, "json", False):
        from tutor.stats import stats_json

        print(json.dumps(stats_json(store, catalog), ensure_ascii=False))
    else:
        render_stats(store, catalog, lang=args.lang)
    store.close()
    return 0


def _export_notes(args, catalog):
    """The notes of ``tutor export`` (apkg/anki/csv); skipped items are listed on stderr."""
    from tutor.anki import UnknownTopic, build_notes
    from tutor.textsafe import printable

    topics = [t for t in (args.topics or "").split(",") if t.strip()] if getattr(args, "topics", None) else None
    try:
        export = build_notes(catalog, args.lang, topics)
    except UnknownTopic as e:
        raise usage_error("cli.export.unknown_topic", args.lang, name=e.name, known=e.known) from None
    except ValueError as e:  # e.g. an unknown language
        raise UsageError(f"tutor export: {e}") from None
    for item_id, why in export.failed:
        print(printable(tr("cli.export.skipped", args.lang, item=item_id, why=why)), file=sys.stderr)
    return export


def cmd_export(args) -> int:
    from tutor.backup import export_cards, export_progress_json
    from tutor.store import StoreError

    target = args.path or ("ml-tutor.apkg" if args.format == "apkg" else "-")
    if args.lang == "both" and args.format == "json":
        args.lang = "en"   # a progress backup has no language
    try:
        if args.format == "json":
            store = open_store(args, reading=True)
            try:
                _set_bad_rows_aside(store, args.lang)
                export_progress_json(store, target if target != "-" else sys.stdout)
            finally:
                store.close()
        elif args.format == "apkg":
            from tutor.anki import write_apkg
            from tutor.backup import export_target

            out = sys.stdout.buffer if target == "-" else export_target(target)   # not a device or FIFO
            export = _export_notes(args, catalog_for(args))
            try:
                write_apkg(export, args.lang, out)
            except OSError as e:
                from tutor.store_texts import os_reason

                raise usage_error("cli.export.cannot_write", args.lang, path=target,
                             error=in_lang(os_reason(e), args.lang)) from None
            counts = export.counts()
            print(tr("cli.export.notes", args.lang, n=len(export.notes), decks=len(counts)), file=sys.stderr)
        else:
            from tutor.anki import tsv_cards

            export = _export_notes(args, catalog_for(args))
            export_cards(tsv_cards(export, as_html=args.format == "anki"), target if target != "-" else sys.stdout, args.format)
    except StoreError as e:  # e.g. the output folder does not exist or is not writable
        raise UsageError(f"tutor export: {_said(e, args.lang)}") from None
    if target != "-":
        print(tr("cli.export.wrote", args.lang, path=target), file=sys.stderr)
    return 0


def _said(e: Exception, lang: str | None) -> str:
    """A StoreError's message in ``lang`` (the backup's and the doctor's are :class:`Notice`)."""
    return in_lang(e.args[0], lang) if e.args else str(e)


def _set_bad_rows_aside(store, lang: str = "en") -> None:
    """One bad row never blocks a backup: rows whose JSON does not parse go to the quarantine
    table first (tutor doctor); on a read-only store the export says to run the doctor."""
    from tutor import doctor

    with store.snapshot() as c:
        bad = doctor.bad_rows(c)
    if not bad:
        return
    if store.read_only:
        from tutor.store_texts import table_name

        raise usage_error("cli.export.damaged", lang, n=len(bad), path=store.path, table=in_lang(table_name(bad[0][0]), lang),
                     row=bad[0][1], why=in_lang(bad[0][2], lang))
    with store.tx() as c:
        report = doctor.Report(str(store.path))
        doctor.check_connection_rows(c, report)
    print(tr("cli.export.set_aside", lang, n=len(bad)), file=sys.stderr)


def cmd_doctor(args) -> int:
    """``tutor doctor [--repair] [--json]``: exit 0 when nothing is wrong (or all was repaired), 1 otherwise."""
    from tutor import doctor

    path = data_dir(args.data_dir)
    try:
        report = doctor.run(path, repair=args.repair)
    except OSError as e:
        from tutor.store_texts import os_reason

        raise usage_error("cli.doctor.cannot", args.lang, path=path, error=in_lang(os_reason(e), args.lang)) from None
    except sqlite3.Error as e:
        from tutor.store_texts import sqlite_reason

        raise usage_error("cli.doctor.cannot", args.lang, path=path, error=in_lang(sqlite_reason(str(e)), args.lang)) from None
    if args.json:    # the keys stay English (a machine format), the messages in the learner's language
        print(json.dumps(report.as_json(args.lang or "en"), ensure_ascii=False))
    else:
        print("\n".join(report.lines(args.lang or "en")))
    return 0 if report.ok else 1


def _read_backup(path: Path, lang: str):
    """The checked backup at ``path``, read before any store is opened: a refused file creates
    and changes nothing. Every bad field as ``path: key: message`` (the message in ``lang``)."""
    from tutor.backup import read_backup
    from tutor.backup_import import BackupInvalid
    from tutor.store import StoreError
    from tutor.textsafe import printable

    if path.is_dir():
        raise usage_error("cli.import.folder", lang, path=path)
    if not path.is_file():
        raise usage_error("cli.import.no_file", lang, path=path)
    try:
        return read_backup(path)
    except BackupInvalid as e:
        lines = e.lines(lang)
        if len(lines) == 1:
            raise usage_error("cli.import.refused_one", lang, problem=lines[0]) from None
        for line in lines[:50]:
            print(printable(line), file=sys.stderr)
        more = tr("cli.import.more", lang, n=len(lines) - 50) if len(lines) > 50 else ""
        raise usage_error("cli.import.refused", lang, path=path, n=len(lines), more=more) from None
    except StoreError as e:
        raise UsageError(f"tutor import: {_said(e, lang)}") from None
    except RecursionError:
        raise usage_error("cli.import.nested", lang, path=path) from None


def cmd_import(args) -> int:
    """``tutor import PATH [--dry-run] [--prefer-backup]``: the file is checked first; a dry run
    works on a copy in memory (nothing on disk is created or changed)."""
    from tutor.backup import dry_run_store
    from tutor.backup_import import import_backup
    from tutor.store import StoreError
    from tutor.textsafe import printable

    path = Path(args.path).expanduser()
    backup = _read_backup(path, args.lang)
    try:
        store = dry_run_store(data_dir(args.data_dir)) if args.dry_run else open_store(args)
    except StoreError as e:
        raise UsageError(f"tutor import: {_said(e, args.lang)}") from None
    try:
        report = import_backup(store, backup, dry_run=args.dry_run, prefer_backup=args.prefer_backup)
    except StoreError as e:
        raise UsageError(f"tutor import: {_said(e, args.lang)}") from None
    finally:
        store.close()
    head = {("restore", False): "cli.import.restored", ("merge", False): "cli.import.merged",
            ("restore", True): "cli.import.dry_restore", ("merge", True): "cli.import.dry_merge"}
    print(printable(tr(head[report.mode, report.dry_run], args.lang, path=path, store=store.path)), file=sys.stderr)
    for line in report.lines(args.lang) or [tr("cli.import.nothing_new", args.lang)]:
        print(printable(line), file=sys.stderr)
    return 0


def cmd_plan(args) -> int:
    """``tutor plan [--exam YYYY-MM-DD] [--topics id,id] [--json]``: see tutor.plan."""
    from tutor.plan import PlanError, build_plan, exam_topic_ids, parse_exam_date, report_lines, save_exam, saved_exam

    store = open_store(args)
    try:
        for n in store.notices:
            print(in_lang(n, args.lang), file=sys.stderr)
        catalog = catalog_for(args)
        saved_date, saved_topics = saved_exam(store)
        try:
            if args.topics is not None:
                topics = args.topics.split(",")
            else:
                # saved topics the content no longer has are left out (all of them gone: every topic)
                topics = None if args.exam is not None or saved_topics is None else (
                    [t for t in saved_topics if t in catalog.topics] or None)
            if args.exam is not None:
                exam = parse_exam_date(args.exam)
            elif saved_date is not None:
                exam = parse_exam_date(saved_date)
            else:
                raise usage_error("cli.plan.no_date", args.lang)
            topic_ids = exam_topic_ids(catalog, topics)
        except PlanError as e:   # English as str(e) has always said it; else the UI's text of the same error
            raise UsageError(f"tutor plan: {e if args.lang == 'en' else tr(e.key, args.lang, **e.kw)}") from None
        if args.exam is not None or args.topics is not None:
            save_exam(store, exam, None if topics is None else topic_ids)
        plan = build_plan(catalog, store, exam, None if topics is None else topic_ids)
    finally:
        store.close()
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False))
    else:
        print("\n".join(report_lines(plan, catalog, args.lang)))
    return 0


# ----------------------------------------------------------------------------- exam


def exam_topics(args) -> list[str]:
    """The topic ids of ``tutor exam``, after checking --topics, --count and --minutes (one line,
    exit 2, before anything is opened)."""
    import math

    topics = list(dict.fromkeys(t.strip() for t in (args.topics or "").split(",") if t.strip()))
    if not topics:
        raise usage_error("cli.exam.need_topics", learner_lang(args))
    if args.count < 1:
        raise usage_error("cli.exam.count", learner_lang(args), count=args.count)
    if not math.isfinite(args.minutes) or not 0 < args.minutes <= 24 * 60:
        raise usage_error("cli.exam.minutes", learner_lang(args), minutes=args.minutes)
    return topics


def start_exam(args, topics: list[str], catalog, store, lang: str) -> int:
    """Start the exam of ``tutor exam`` (the app then opens on it). Unknown topics or topics
    without questions are one line, exit 2. An exam whose time ran out is graded first; one still
    running is not replaced."""
    from tutor.review import ExamSession

    for t in topics:
        if t not in catalog.topics:
            known = ", ".join(tid for tid, tp in catalog.topics.items() if tp.questions)
            raise usage_error("cli.exam.unknown_topic", lang, name=t[:40], known=known[:300])
        if not catalog.topics[t].questions:
            raise usage_error("cli.exam.no_questions", lang, name=t)
    old = ExamSession.resume(catalog, store, lang=lang)
    if old is not None:
        left = old.seconds_left()
        if left > 0:
            raise UsageError(tr("exam.in_progress", lang, time=f"{int(left) // 60}:{int(left) % 60:02d}"))
        report = old.finish()
        print(tr("exam.closed_old", lang, score=report["score"]), file=sys.stderr)
    return ExamSession(catalog, store, lang=lang).start(topics, args.count, args.minutes, seed=args.seed)


# ----------------------------------------------------------------------------- optimize


def cmd_optimize(args) -> int:
    from tutor.optimize import MIN_REVIEWS, OptimizeError, OptimizerMissing, TooLittleHistory, fit, report_lines

    store = open_store(args)
    progress = None
    if not args.json and sys.stderr.isatty():
        def progress(stage: str, frac: float) -> None:
            name = tr(f"optimize.stage.{stage}", args.lang) if args.lang != "en" else stage
            print(f"\roptimize: {name} {frac:4.0%}", end="", file=sys.stderr, flush=True)
    try:
        result = fit(store, progress=progress)
    except OptimizeError as e:   # in Korean the Settings screen's text of the same error
        if args.lang != "en" and isinstance(e, OptimizerMissing):
            e = tr("optimize.missing", args.lang)
        elif args.lang != "en" and isinstance(e, TooLittleHistory):
            e = tr("optimize.too_little", args.lang, usable=e.usable, need=MIN_REVIEWS)
        raise UsageError(f"tutor optimize: {e}") from None
    finally:
        store.close()
        if progress is not None:
            print(file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    for line in report_lines(result, args.lang):
        print(line)
    return 0


# ----------------------------------------------------------------------------- serve


def cmd_serve(args) -> int:
    from tutor.serve import serve

    return serve(args)


def cmd_sheet(args) -> int:
    """``tutor sheet TOPIC``: the topic's formulas as Markdown (exit 2 for an unknown topic);
    ``tutor sheet --all``: every topic's, in course order."""
    from tutor.sheet import all_sheets, formula_sheet

    if bool(args.topic) == bool(getattr(args, "all", False)):
        raise usage_error("cli.sheet.need_topic", args.lang)
    catalog = catalog_for(args)
    if not args.topic:
        print(all_sheets(catalog, args.lang))
        return 0
    if args.topic not in catalog.topics:
        known = ", ".join(sorted(catalog.topics))
        raise usage_error("cli.sheet.unknown_topic", args.lang, name=args.topic, known=known)
    print(formula_sheet(catalog, args.topic, args.lang))
    return 0
