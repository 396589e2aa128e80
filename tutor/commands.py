"""Subcommands of the `tutor` CLI (imported only when a subcommand runs)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from tutor.config import UsageError, content_dirs, data_dir

# ----------------------------------------------------------------------------- solve


def _read_input(spec: str | None) -> dict:
    if spec is None:
        raise UsageError("tutor solve: --input is required (JSON text or @file); see tutor solve NAME --help")
    if spec.startswith("@"):
        path = Path(spec[1:]).expanduser()
        try:
            if path.stat().st_size > 50_000_000:
                raise UsageError(f"tutor solve: {path}: input file too large")
            text = path.read_text(encoding="utf-8")
        except UsageError:
            raise
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"tutor solve: cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    else:
        text = spec
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
        raise UsageError(f"tutor solve: --input is not valid JSON: {msg}") from None
    if not isinstance(data, dict):
        raise UsageError("tutor solve: --input must be a JSON object of named inputs")
    return data


def cmd_solve(args) -> int:
    from engine.core import InputError, jsonable
    from engine.registry import algorithms

    algs = algorithms()
    if args.list or (not args.name and not args.help):
        if not args.list:
            raise UsageError("tutor solve: give an algorithm NAME or --list")
        width = max(map(len, algs))
        for name, alg in algs.items():
            print(f"{name:<{width}}  {alg.title[args.lang]}")
        return 0
    if args.help and not args.name:
        print("usage: tutor solve NAME --input JSON|@FILE [--json] [--mistake ID]\n"
              "       tutor solve --list\n       tutor solve NAME --help")
        return 0
    if args.name not in algs:
        raise UsageError(f"tutor solve: unknown algorithm {args.name[:40]!r} (see tutor solve --list)")
    alg = algs[args.name]
    if args.help:
        print(f"{alg.name}: {alg.title['en']} / {alg.title['ko']}\n\ninputs:")
        for key, doc in alg.inputs.items():
            print(f"  {key:<14} {doc}")
        if alg.mistakes:
            print("\nmistakes (--mistake ID):")
            for m in alg.mistakes:
                print(f"  {m.id:<28} {m.explain['en']}")
        print(f"\nexample:\n  tutor solve {alg.name} --input '{json.dumps(alg.example, ensure_ascii=False)}'")
        return 0
    inputs = _read_input(args.input)
    if args.mistake and args.mistake not in {m.id for m in alg.mistakes}:
        raise UsageError(f"tutor solve: unknown mistake {args.mistake[:40]!r} for {alg.name} "
                         f"(known: {', '.join(m.id for m in alg.mistakes) or 'none'})")
    try:
        out = alg.run(inputs, mistake=args.mistake) if args.mistake else alg.run(inputs)
    except InputError as e:
        raise UsageError(f"tutor solve {alg.name}: {e.key}: {e.message}") from None
    except RecursionError:
        raise UsageError(f"tutor solve {alg.name}: input nested too deeply") from None
    except MemoryError:
        raise UsageError(f"tutor solve {alg.name}: input too large") from None
    out = jsonable(out)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
    else:
        from tutor.render import print_trace

        print_trace(alg, out, lang=args.lang)
    return 0


# ----------------------------------------------------------------------------- check-content


def cmd_check_content(args) -> int:
    from tutor.content import check_catalog, load_catalog, summary

    dirs = [Path(d) for d in args.dirs] or content_dirs(args)
    for d in dirs or []:
        if not d.is_dir():
            raise UsageError(f"tutor check-content: {d}: not a directory")
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
    print(f"{len(rows)} topics, {n_items} items, {len(seen)} problems")
    return 1 if seen else 0


# ----------------------------------------------------------------------------- practice (line mode)


def cmd_practice(args) -> int:
    from tutor.linemode import run_practice

    return run_practice(args)


def cmd_review(args) -> int:
    from tutor.linemode import run_review

    return run_review(args)


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


def cmd_stats(args) -> int:
    from tutor.content import load_catalog
    from tutor.stats import render_stats

    store = open_store(args, reading=True)
    for n in store.notices:
        print(n, file=sys.stderr)
    catalog = load_catalog(content_dirs(args))
    if getattr(args, "json", False):
        from tutor.stats import stats_json

        print(json.dumps(stats_json(store, catalog), ensure_ascii=False))
    else:
        render_stats(store, catalog, lang=args.lang)
    store.close()
    return 0


def _export_notes(args, catalog):
    """The notes of ``tutor export`` (apkg/anki/csv); skipped items are listed on stderr."""
    from tutor.anki import build_notes
    from tutor.textsafe import printable

    topics = [t for t in (args.topics or "").split(",") if t.strip()] if getattr(args, "topics", None) else None
    try:
        export = build_notes(catalog, args.lang, topics)
    except ValueError as e:  # an unknown topic
        raise UsageError(f"tutor export: {e}") from None
    for item_id, why in export.failed:
        print(printable(f"tutor export: skipped {item_id}: {why}"), file=sys.stderr)
    return export


def cmd_export(args) -> int:
    from tutor.backup import export_cards, export_progress_json
    from tutor.content import load_catalog
    from tutor.store import StoreError

    target = args.path or ("ml-tutor.apkg" if args.format == "apkg" else "-")
    if args.lang == "both" and args.format == "json":
        args.lang = "en"   # a progress backup has no language
    try:
        if args.format == "json":
            store = open_store(args, reading=True)
            try:
                _set_bad_rows_aside(store)
                export_progress_json(store, target if target != "-" else sys.stdout)
            finally:
                store.close()
        elif args.format == "apkg":
            from tutor.anki import write_apkg
            from tutor.backup import export_target

            out = sys.stdout.buffer if target == "-" else export_target(target)   # not a device or FIFO
            export = _export_notes(args, load_catalog(content_dirs(args)))
            try:
                write_apkg(export, args.lang, out)
            except OSError as e:
                raise UsageError(f"tutor export: cannot write {target}: {e.strerror or e}") from None
            counts = export.counts()
            print(f"{len(export.notes)} notes in {len(counts)} decks", file=sys.stderr)
        else:
            from tutor.anki import tsv_cards

            export = _export_notes(args, load_catalog(content_dirs(args)))
            export_cards(tsv_cards(export, as_html=args.format == "anki"), target if target != "-" else sys.stdout, args.format)
    except StoreError as e:  # e.g. the output folder does not exist or is not writable
        raise UsageError(f"tutor export: {e}") from None
    if target != "-":
        print(f"wrote {target}", file=sys.stderr)
    return 0


def _set_bad_rows_aside(store) -> None:
    """One bad row never blocks a backup: rows whose JSON does not parse go to the quarantine
    table first (tutor doctor); on a read-only store the export says to run the doctor."""
    from tutor import doctor

    with store.snapshot() as c:
        bad = doctor.bad_rows(c)
    if not bad:
        return
    if store.read_only:
        raise UsageError(f"tutor export: {len(bad)} rows of {store.path} are damaged "
                         f"({bad[0][0]} row {bad[0][1]}: {bad[0][2]}); run `tutor doctor --repair` first")
    with store.tx() as c:
        report = doctor.Report(str(store.path))
        doctor.check_connection_rows(c, report)
    print(f"tutor export: {len(bad)} damaged rows set aside in the table quarantine (see tutor doctor)",
          file=sys.stderr)


def cmd_doctor(args) -> int:
    """``tutor doctor [--repair] [--json]``: exit 0 when nothing is wrong (or all was repaired), 1 otherwise."""
    from tutor import doctor

    path = data_dir(args.data_dir)
    try:
        report = doctor.run(path, repair=args.repair)
    except (OSError, sqlite3.Error) as e:
        raise UsageError(f"tutor doctor: {path}: {getattr(e, 'strerror', None) or e}") from None
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return 0 if report.ok else 1


def cmd_import(args) -> int:
    from tutor.backup import import_progress_json
    from tutor.store import StoreError

    path = Path(args.path).expanduser()
    if not path.is_file():
        raise UsageError(f"tutor import: {args.path}: no such file")
    store = open_store(args)
    try:
        import_progress_json(store, path)
    except StoreError as e:
        raise UsageError(f"tutor import: {e}") from None
    except RecursionError:
        raise UsageError(f"tutor import: {path}: not a tutor backup (nested too deeply)") from None
    except (ValueError, KeyError, TypeError) as e:
        raise UsageError(f"tutor import: {path}: not a tutor backup ({str(e)[:80]})") from None
    finally:
        store.close()
    print(f"restored progress from {path}", file=sys.stderr)
    return 0
