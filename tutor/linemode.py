"""Plain line mode: `tutor practice TOPIC --plain` and `tutor review --plain` — the same study core
without the TUI.

For scripts, screen readers and dumb terminals. One line per answer field on stdin.
With ``--json`` every event is one JSON object per line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from engine.core import jsonable
from tutor.config import UsageError
from tutor.grading import t
from tutor.i18n import tr
from tutor.mathtext import plain_markdown
from tutor.session import Ask, Study, unreadable_fields
from tutor.store_errors import in_lang

# what was answered first, of how many: quitting at the first question said "0 of 7 right"
SUMMARY = t("Done: answered {attempts} of {n} questions, {right} right on the first try.",
            "끝: {n}문제 중 {attempts}문제에 답했고, 첫 시도에 {right}문제 정답입니다.")


def _ansi(out: TextIO) -> bool:
    """Bold and italic as ANSI styles: on a terminal, unless NO_COLOR is set (no-color.org) or
    TERM is dumb."""
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _text(md: str, ansi: bool = False) -> str:
    """A Markdown text as a plain line: math rendered, emphasis as ANSI bold/italic or bare words."""
    return plain_markdown(md, ansi=ansi)


def _emit(out: TextIO, obj: dict) -> None:
    out.write(json.dumps(jsonable(obj), ensure_ascii=False) + "\n")
    out.flush()


def _question_event(ask: Ask, lang: str) -> dict:
    return {"event": "question", "id": ask.item_id, "kind": ask.kind, "variant_seed": ask.seed,
            "params": ask.params, "prompt": ask.prompt[lang], "options": [o[lang] for o in ask.options],
            "data": ask.variant.data if ask.variant else None,
            "fields": [{"name": f.name, "label": f.label[lang], "kind": f.kind} for f in ask.fields]}


def _print_ask(out: TextIO, ask: Ask, lang: str, index: int, n: int, topic_title: str = "") -> None:
    from tutor.tables import TableSpec, fmt_value, plain_lines

    ansi = _ansi(out)
    out.write(f"\n[{index}/{n}] {topic_title}".rstrip() + "\n")   # the topic's title, never an item id
    out.write(_text(ask.prompt[lang], ansi).strip() + "\n")
    for i, o in enumerate(ask.options):
        out.write(f"  {i + 1}. {_text(o[lang], ansi)}\n")
    blanks = {f.name for f in ask.fields}
    for tb in ask.tables:   # boxes measured in display cells: Korean headers line up
        headers = [""] + [c[lang] if isinstance(c, dict) else str(c) for c in tb.cols]
        spec = TableSpec(f"{tb.title[lang]}:", headers, ["left"] * len(headers))
        for r, row in zip(tb.rows, tb.cells):
            spec.add_row(r[lang] if isinstance(r, dict) else str(r), *("?" if isinstance(c, str) and c in blanks else fmt_value(c) for c in row))
        out.write("\n".join(plain_lines(spec)) + "\n")
    out.flush()


def _open_store(args):
    from tutor.commands import open_store

    store = open_store(args)
    for notice in store.notices:
        print(in_lang(notice, args.lang), file=sys.stderr)
    return store


def _catalog(args):
    from tutor.commands import catalog_for  # the data directory's catalog cache, as every command reads it

    return catalog_for(args)


def _check_count(args, cmd: str) -> None:
    if args.count is not None and args.count < 0:
        raise UsageError(tr("cli.line.count", args.lang, cmd=cmd))


def run_practice(args, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """``tutor practice TOPIC --plain``: the topic's questions in order."""
    from tutor.browse import find_topic
    from tutor.commands import grade_expired_exam

    catalog = _catalog(args)

    topic = find_topic(catalog, args.topic)   # its id, or its title in Korean or English (any case)
    if topic is None:
        known = ", ".join(f"{tid} ({t.title[args.lang]})" for tid, t in catalog.topics.items())
        raise UsageError(tr("cli.practice.unknown_topic", args.lang, name=args.topic[:40], known=known))
    _check_count(args, "practice")
    store = _open_store(args)
    grade_expired_exam(catalog, store, args.lang)
    study = Study(catalog, store, lang=args.lang, mode="practice", seed=args.seed)
    items = [q.id for q in catalog.topics[topic].questions]
    if args.count:
        items = items[: args.count]
    asks = ((study.ask(item), study.submit) for item in items)
    return _session(args, study, store, asks, len(items), stdin, stdout)


def run_review(args, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """``tutor review --plain``: the review queue (due, remedial, new from studied topics), or with
    ``--mistakes`` the items missed in the last days; the same events as practice."""
    from tutor.commands import grade_expired_exam
    from tutor.learner import mistakes_queue
    from tutor.review import ReviewSession
    from tutor.schedule import Scheduler

    catalog = _catalog(args)
    _check_count(args, "review")
    if args.mistakes and args.days < 1:   # --days -1 was taken, and --days 0 showed nothing
        raise UsageError(tr("cli.line.days", args.lang, days=args.days))
    store = _open_store(args)
    grade_expired_exam(catalog, store, args.lang)
    known = {q.id for t_ in catalog.topics.values() for q in t_.questions}
    fixed = mistakes_queue(store, days=args.days, known=known) if args.mistakes else None
    review = ReviewSession(catalog, store, Scheduler(store), lang=args.lang, seed=args.seed, items=fixed)
    queue = review.refill() if fixed is None else review.queue
    n = min(len(queue), args.count) if args.count else len(queue)

    def asks():
        for _ in range(n):
            ask = review.next()
            if ask is None:
                return
            if ask.kind == "remedial":
                yield ask, review.rate_remedial
            else:
                yield ask, review.submit

    return _session(args, review.study, store, asks(), n, stdin, stdout)


COMMANDS = t(":hint shows a hint, :solution the worked solution, :skip goes to the next question, :quit ends.",
             ":hint 힌트, :solution 풀이, :skip 다음 문제로, :quit 끝내기.")
NO_HINT = t("No more hints.", "힌트가 더 없습니다.")
NOT_HERE = t("Not available for this item.", "이 항목에서는 쓸 수 없습니다.")
UNKNOWN = t("Unknown command {cmd}. ", "알 수 없는 명령 {cmd}. ")
SKIPPED = t("Skipped (nothing recorded).", "건너뜀(기록하지 않음).")
AGAIN = t("Only this again:", "이것만 다시 입력하세요:")


class _Skip(Exception):
    pass


class _Quit(Exception):
    pass


def _session(args, study: Study, store, asks, n: int, stdin: TextIO | None, stdout: TextIO | None) -> int:
    """Ask, read one line per field, grade through ``submit`` (the learner model records and
    rates), print or emit the result; a format error asks again for the unreadable field only;
    a line starting with ":" is a command (:hint, :solution, :skip, :quit); EOF ends the session."""
    stdin = stdin or sys.stdin
    if stdin is sys.stdin and hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # bytes that are not UTF-8 become U+FFFD, not a traceback
    out = stdout or sys.stdout
    lang = args.lang
    right = attempts = 0
    ansi = not args.json and _ansi(out)

    def say(text: str, event: dict | None = None) -> None:
        if args.json:
            _emit(out, event or {"event": "message", "text": text})
        else:
            out.write(text + "\n")
            out.flush()

    def command(line: str, ask: Ask) -> None:
        """Run a ":" command typed at a prompt (the same field is asked again after it)."""
        cmd = line.strip().lower()
        if cmd in (":q", ":quit", ":exit"):
            raise _Quit
        if cmd in (":s", ":skip", ":next"):
            raise _Skip
        if cmd in (":h", ":hint"):
            if ask.kind == "remedial":
                say(NOT_HERE[lang])
                return
            h = study.hint()
            text = _text(h[lang], ansi) if h is not None else NO_HINT[lang]
            say(("💡 " if h is not None else "") + text, {"event": "hint", "id": ask.item_id,
                                                         "text": text if h is not None else None})
            return
        if cmd in (":sol", ":solution"):
            if ask.kind == "remedial":
                say(NOT_HERE[lang])
                return
            lines = [(_text(line_, ansi), marked) for line_, marked in study.solution()]
            if args.json:
                _emit(out, {"event": "solution", "id": ask.item_id, "lines": [x for x, _ in lines]})
            else:
                for text, marked in lines:
                    out.write(("▶ " if marked else "  ") + text + "\n")
                out.flush()
            return
        say(UNKNOWN[lang].format(cmd=line.strip()[:20]) + COMMANDS[lang])

    def read_field(f, ask: Ask) -> str:
        while True:
            if not args.json:
                out.write(f"{f.label[lang]}> ")
                out.flush()
            line = stdin.readline()
            if not line:
                raise EOFError
            value = line.rstrip("\r\n")
            if value.strip().startswith(":") and len(value.strip()) > 1 and value.strip()[1:2].isalpha():
                command(value, ask)
                continue
            return value

    try:
        for index, (ask, submit) in enumerate(asks, 1):
            if args.json:
                _emit(out, _question_event(ask, lang))
            else:
                topic = study.catalog.topics.get(ask.topic)
                _print_ask(out, ask, lang, index, n, topic.title[lang] if topic else "")
                if index == 1:
                    out.write(f"({COMMANDS[lang]})\n")
            try:
                answers: dict[str, str] = {}
                todo = list(ask.fields)
                while True:
                    for f in todo:
                        answers[f.name] = read_field(f, ask)
                    g = submit(answers)
                    if args.json:
                        _emit(out, {"event": "result", "id": ask.item_id, "score": g.score,
                                    "fields": {k: r.ok for k, r in g.fields.items()}, "mistake": g.mistake,
                                    "format_error": g.format_error is not None, "feedback": g.feedback(lang)})
                    else:
                        out.write(f"{g.mark} {_text(g.feedback(lang), ansi)}\n")
                        if not g.format_error and not g.correct and ask.kind != "remedial":
                            for line_, marked in study.solution():
                                out.write(("▶ " if marked else "  ") + _text(line_, ansi) + "\n")
                    if g.format_error:
                        todo = unreadable_fields(ask, answers, g.format_error[lang])
                        if args.json:
                            _emit(out, {"event": "again", "id": ask.item_id, "fields": [f.name for f in todo]})
                        elif len(todo) < len(ask.fields):
                            out.write(AGAIN[lang] + " " + ", ".join(f.label[lang] for f in todo) + "\n")
                        continue
                    attempts += 1
                    right += g.correct
                    break
            except _Skip:
                say(SKIPPED[lang], {"event": "skipped", "id": ask.item_id})
    except (EOFError, _Quit, KeyboardInterrupt):   # ctrl+d, :quit, ctrl+c: the summary, as always
        pass
    finally:
        store.close()
    from tutor.learner import summary_lines

    if args.json:
        _emit(out, {"event": "summary", "right": right, "questions": n, "answered": attempts,
                    **(study.summary.as_json() if study.summary else {})})
    else:
        out.write("\n" + SUMMARY[lang].format(right=right, n=n, attempts=attempts) + "\n")
        for line_ in summary_lines(study.summary, lang)[1:]:   # next review, mistakes named
            out.write(line_ + "\n")
    return 0
