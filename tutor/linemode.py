"""Plain line mode: `tutor practice TOPIC --plain` — the same study core without the TUI.

For scripts, screen readers and dumb terminals. One line per answer field on stdin.
With ``--json`` every event is one JSON object per line on stdout.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from engine.core import jsonable
from tutor.config import UsageError, content_dirs, data_dir
from tutor.grading import t
from tutor.mathtext import render_markdown_math
from tutor.session import Ask, Study

SUMMARY = t("Done: {right} of {n} questions right on the first try, {attempts} graded answers.",
            "끝: {n}문제 중 첫 시도에 {right}문제 정답, 채점된 답 {attempts}개.")


def _emit(out: TextIO, obj: dict) -> None:
    out.write(json.dumps(jsonable(obj), ensure_ascii=False) + "\n")
    out.flush()


def _question_event(ask: Ask, lang: str) -> dict:
    return {"event": "question", "id": ask.item_id, "kind": ask.kind, "variant_seed": ask.seed,
            "params": ask.params, "prompt": ask.prompt[lang], "options": [o[lang] for o in ask.options],
            "data": ask.variant.data if ask.variant else None,
            "fields": [{"name": f.name, "label": f.label[lang], "kind": f.kind} for f in ask.fields]}


def _print_ask(out: TextIO, ask: Ask, lang: str, index: int, n: int) -> None:
    from tutor.mathtext import render_markdown_math
    from tutor.render import fmt_value

    out.write(f"\n[{index}/{n}] {ask.item_id}\n")
    out.write(render_markdown_math(ask.prompt[lang]).strip() + "\n")
    for i, o in enumerate(ask.options):
        out.write(f"  {i + 1}. {render_markdown_math(o[lang])}\n")
    for tb in ask.tables:
        out.write(f"{tb.title[lang]}:\n")
        out.write("  " + "\t".join([""] + [c[lang] if isinstance(c, dict) else str(c) for c in tb.cols]) + "\n")
        for r, row in zip(tb.rows, tb.cells):
            cells = ["?" if isinstance(c, str) and c in {f.name for f in ask.fields} else fmt_value(c) for c in row]
            out.write("  " + "\t".join([str(r)] + cells) + "\n")
    out.flush()


def run_practice(args, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from tutor.content import load_catalog
    from tutor.store import Store, StoreError

    stdin = stdin or sys.stdin
    if stdin is sys.stdin and hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # bytes that are not UTF-8 become U+FFFD, not a traceback
    out = stdout or sys.stdout
    lang = args.lang
    catalog = load_catalog(content_dirs(args))
    if args.topic not in catalog.topics:
        raise UsageError(f"tutor practice: unknown topic {args.topic[:40]!r} (known: {', '.join(catalog.topics)})")
    if args.count is not None and args.count < 0:
        raise UsageError("tutor practice: --count must be ≥ 0")
    try:
        store = Store.open(data_dir(args.data_dir))
    except StoreError as e:
        raise UsageError(f"tutor: {e}") from None
    for notice in store.notices:
        print(notice, file=sys.stderr)
    study = Study(catalog, store, lang=lang, mode="practice", seed=args.seed)
    items = [q.id for q in catalog.topics[args.topic].questions]
    if args.count:
        items = items[: args.count]
    right = attempts = 0
    try:
        for index, item in enumerate(items, 1):
            ask = study.ask(item)
            if args.json:
                _emit(out, _question_event(ask, lang))
            else:
                _print_ask(out, ask, lang, index, len(items))
            while True:
                answers = {}
                for f in ask.fields:
                    if not args.json:
                        out.write(f"{f.label[lang]}> ")
                        out.flush()
                    line = stdin.readline()
                    if not line:
                        raise EOFError
                    answers[f.name] = line.rstrip("\r\n")
                g = study.submit(answers)
                if args.json:
                    _emit(out, {"event": "result", "id": ask.item_id, "score": g.score,
                                "fields": {k: r.ok for k, r in g.fields.items()}, "mistake": g.mistake,
                                "format_error": g.format_error is not None, "feedback": g.feedback(lang)})
                else:
                    mark = "⚠" if g.format_error else ("✓" if g.correct else "✗")
                    out.write(f"{mark} {render_markdown_math(g.feedback(lang))}\n")
                    if not g.format_error and not g.correct:
                        for line_, marked in study.solution():
                            out.write(("▶ " if marked else "  ") + render_markdown_math(line_) + "\n")
                if g.format_error:
                    if args.json:  # the same question again
                        _emit(out, _question_event(ask, lang))
                    continue
                attempts += 1
                right += g.correct
                break
    except EOFError:
        pass
    finally:
        store.close()
    summary = SUMMARY[lang].format(right=right, n=len(items), attempts=attempts)
    if args.json:
        _emit(out, {"event": "summary", "right": right, "questions": len(items), "answered": attempts})
    else:
        out.write("\n" + summary + "\n")
    return 0
