"""Command line: `tutor` opens the app; subcommands for scripts and quick calculations.

Every user error is one line on stderr and exit code 2; no tracebacks. Heavy modules
(textual, the engine's algorithms) are imported only by the subcommand that needs them.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from tutor import __version__
from tutor.config import EXIT_USAGE, UsageError, content_dirs, data_dir, default_lang, saved_lang

_PARSER_CLASS = None


def _parser_class():
    """argparse's parser that reports an error in one line, exit 2 (argparse prints usage and the
    message otherwise). argparse is imported here: opening the app does not need it (see
    :func:`_open_app_args`)."""
    global _PARSER_CLASS
    if _PARSER_CLASS is None:
        import argparse

        class _Parser(argparse.ArgumentParser):
            def error(self, message: str):
                raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")

        _PARSER_CLASS = _Parser
    return _PARSER_CLASS


APP_OPTIONS = {"--lang": "lang", "--data-dir": "data_dir", "--content": "content"}


def _open_app_args(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of opening the app, read without argparse (its import and a parser cost ~1 %
    of the first screen): only the exact options ``--lang ko|en``, ``--data-dir PATH`` and
    ``--content DIR`` (repeatable), as ``--opt value`` or ``--opt=value``. Anything else — a command,
    help, an abbreviation, an error — is None: argparse reads it (tests check both agree)."""
    out = SimpleNamespace(command=None, lang=None, data_dir=None, content=None)
    k = 0
    while k < len(argv):
        opt, eq, value = argv[k].partition("=")
        if opt not in APP_OPTIONS:
            return None
        if not eq:
            if k + 1 >= len(argv) or argv[k + 1].startswith("-"):
                return None
            k += 1
            value = argv[k]
        k += 1
        if opt == "--lang" and value not in ("ko", "en"):
            return None
        if opt == "--content":
            out.content = (out.content or []) + [value]
        else:
            setattr(out, APP_OPTIONS[opt], value)
    return out


def _app_parser():
    """The options of ``tutor`` itself (opening the app); :func:`build_parser` adds the commands."""
    p = _parser_class()(prog="tutor", description="A terminal tutor for machine learning and deep learning "
                "(lessons, live engine exercises, spaced review). Run without a command to open the app.")
    p.add_argument("--version", action="version", version=f"tutor {__version__}")
    p.add_argument("--lang", choices=("ko", "en"), help="language (default: from the locale, else English)")
    p.add_argument("--data-dir", metavar="PATH", help="where progress is kept (env TUTOR_DATA_DIR; "
                   "default: the platform's user data dir)")
    p.add_argument("--content", metavar="DIR", action="append",
                   help="load content from DIR instead of the shipped lessons (repeatable)")
    p.set_defaults(command=None)
    return p


LINE_COMMANDS = """commands at any answer prompt / 답 입력 중 쓸 수 있는 명령:
  :hint       the next hint / 다음 힌트
  :solution   the worked solution (a right answer after it counts as solved with help) / 풀이 보기
  :skip       the next question, nothing recorded / 기록 없이 다음 문제로
  :quit       end the session with its summary / 요약을 보고 끝내기
A format error asks again only for the field that could not be read.
"""


def parse_args(argv: list[str] | None):
    """Opening the app (no command) is read without argparse when it can be (:func:`_open_app_args`),
    else by the small parser: building every command's parser costs ~8 ms of the start. Anything
    else, help and every error come from the full parser."""
    argv = sys.argv[1:] if argv is None else list(argv)
    fast = _open_app_args(argv)
    if fast is not None:
        return fast
    if "-h" not in argv and "--help" not in argv:
        try:
            return _app_parser().parse_args(argv)
        except UsageError:
            pass
    return build_parser().parse_args(argv)


def build_parser():
    import argparse

    p = _app_parser()
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_parser_class())

    s = sub.add_parser("solve", help="run an engine algorithm as a calculator", add_help=False,
                       description="Run an engine algorithm and print its step trace.")
    s.add_argument("name", nargs="?", help="algorithm name (see --list)")
    s.add_argument("--input", "-i", metavar="JSON|@FILE", help="inputs as JSON, or @path to a JSON file")
    s.add_argument("--json", action="store_true", help="machine-readable JSON output")
    s.add_argument("--mistake", metavar="ID", help="compute what a learner with this mistake would get")
    s.add_argument("--list", action="store_true", help="list the algorithms")
    s.add_argument("--plot", action="store_true", help="draw the lab's picture after the trace")
    s.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    s.add_argument("-h", "--help", action="store_true", help="show help (for NAME: its input keys)")

    c = sub.add_parser("check-content", help="validate content and recompute every number")
    c.add_argument("dirs", nargs="*", metavar="DIR", help="content directories (default: the shipped content)")
    c.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH",
                   help="also report progress stored for ids the content no longer has")
    c.add_argument("--no-verify", action="store_true", help="skip the numeric verification")

    pr = sub.add_parser("practice", help="practise a topic in plain line mode (stdin/stdout)",
                        epilog=LINE_COMMANDS, formatter_class=argparse.RawDescriptionHelpFormatter)
    pr.add_argument("topic", help="topic id (shown on the home screen) or title, Korean or English")
    pr.add_argument("--plain", action="store_true", help="line mode (the only mode of this command)")
    pr.add_argument("--seed", type=int, help="seed for reproducible variants")
    pr.add_argument("--count", type=int, default=0, help="number of questions (default: all)")
    pr.add_argument("--json", action="store_true", help="JSON lines out")
    pr.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    pr.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    rv = sub.add_parser("review", help="review what is due, in plain line mode (stdin/stdout)",
                        epilog=LINE_COMMANDS, formatter_class=argparse.RawDescriptionHelpFormatter)
    rv.add_argument("--plain", action="store_true", help="line mode (the only mode of this command)")
    rv.add_argument("--json", action="store_true", help="JSON lines out (the events of practice --json)")
    rv.add_argument("--count", type=int, default=0, help="at most this many items (default: the whole queue)")
    rv.add_argument("--mistakes", action="store_true", help="the items you missed recently instead of the queue")
    rv.add_argument("--days", type=int, default=7, help="with --mistakes: how many days back (default 7)")
    rv.add_argument("--seed", type=int, help="seed for reproducible variants")
    rv.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    rv.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    st = sub.add_parser("stats", help="print study statistics")
    st.add_argument("--json", action="store_true", help="machine-readable figures (due_today, new_today, "
                    "streak, topics)")
    st.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")
    st.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))

    ex = sub.add_parser("export", help="export cards (apkg/anki/csv) or progress (json)")
    ex.add_argument("--format", required=True, choices=("apkg", "anki", "csv", "json"),
                    help="apkg: an Anki package (one deck per topic); anki: Anki TSV; csv; json: progress backup")
    ex.add_argument("path", nargs="?",
                    help="output file (default: stdout; for apkg ml-tutor.apkg, '-' for stdout)")
    ex.add_argument("--topics", metavar="ID,ID", help="only these topics (apkg/anki/csv; default: all)")
    ex.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")
    ex.add_argument("--lang", dest="sub_lang", choices=("ko", "en", "both"),
                    help="card language; both: Korean then English on each side")

    im = sub.add_parser("import", help="restore or merge a JSON progress backup (every field checked first)")
    im.add_argument("path")
    im.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    im.add_argument("--prefer-backup", action="store_true",
                    help="on a conflicting setting or review, take the backup's value (default: keep this one)")
    im.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    pl = sub.add_parser("plan", help="exam-day readiness: predicted recall per topic, a day-by-day plan, a mock exam")
    pl.add_argument("--exam", metavar="YYYY-MM-DD", help="the exam date (saved; default: the saved one)")
    pl.add_argument("--topics", metavar="ID,ID", help="the exam's topics (saved; default with --exam: all)")
    pl.add_argument("--json", action="store_true", help="machine-readable: exam_date, topics, days, readiness")
    pl.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")
    pl.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))

    xm = sub.add_parser("exam", help="open the app on a new timed exam")
    xm.add_argument("--topics", required=True, metavar="ID,ID", help="topic ids, comma-separated (e.g. em,kmeans)")
    xm.add_argument("--count", type=int, default=10, help="number of questions (default 10)")
    xm.add_argument("--minutes", type=float, default=20.0, help="time allowed, in minutes (default 20)")
    xm.add_argument("--seed", type=int, help="seed for the choice of questions and their variants")
    xm.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    xm.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    op = sub.add_parser("optimize", help="fit the FSRS parameters to your own review log (needs the torch extra)")
    op.add_argument("--json", action="store_true", help="the figures as JSON")
    op.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    sv = sub.add_parser("serve", help="serve the tutor in a web browser (textual-serve)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sv.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    sv.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    sh = sub.add_parser("sheet", help="print a topic's formula sheet (every formula of its cards) as Markdown")
    sh.add_argument("topic", metavar="TOPIC", nargs="?", help="topic id, e.g. lstm")
    sh.add_argument("--all", action="store_true", help="every topic's sheet, in course order")
    sh.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    sh.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    dr = sub.add_parser("doctor", help="check the progress database; --repair fixes what can be fixed")
    dr.add_argument("--repair", action="store_true", help="salvage, rebuild and quarantine (see docs/RELIABILITY.md)")
    dr.add_argument("--json", action="store_true", help="the report as JSON")
    dr.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")
    return p


# The engine's arrays are tiny (a few hundred values at most), so BLAS worker threads never pay for
# themselves, while OpenBLAS starting them at `import numpy` costs more CPU than the rest of numpy's
# import (measured on 2 cores: 135 → 77 ms of CPU). A user's own setting wins. (torch, used only by
# `tutor optimize`, has its own threads and does not read this variable.)
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault(*BLAS_THREADS)
    args = None
    try:
        args = parse_args(argv)
        if getattr(args, "sub_lang", None):
            args.lang = args.sub_lang
        if getattr(args, "sub_data_dir", None):
            args.data_dir = args.sub_data_dir
        if args.command is None:
            return run_app(args)   # --lang, else the saved setting, else the locale
        if args.command == "exam":
            return run_exam(args)  # the app, on a new exam
        # the calculator needs no data dir; every other command speaks the language chosen in the app
        args.lang = args.lang or (None if args.command == "solve" else saved_lang(args)) or default_lang()
        from tutor import commands

        return getattr(commands, "cmd_" + args.command.replace("-", "_"))(args)
    except UsageError as e:
        from tutor.textsafe import printable

        print(printable(str(e)) or "tutor: error", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        from tutor.i18n import tr

        print(tr("cli.interrupted", getattr(args, "lang", None) or default_lang()), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def terminal_size_from_the_terminal() -> None:
    """Let the TUI ask the terminal for its size. Textual reads it with shutil.get_terminal_size,
    which prefers the COLUMNS and LINES environment variables: exported by a shell profile or a
    test runner (pytest-xdist sets 80 and 24), they made the app draw 80×24 in a 40×12 terminal,
    and keep that size through every resize. Only for the full-screen app, only on a terminal."""
    if sys.stdout.isatty():
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)


def run_app(args) -> int:
    # Start-up allocates a few hundred thousand long-lived objects (textual's modules, styles,
    # widgets); the collector would walk them all several times before the first frame for
    # nothing. It stays off until the first screen is drawn, then TutorApp.first_screen_shown
    # freezes those objects (later collections skip them) and turns it back on.
    import gc

    gc.disable()
    from tutor.store import StoreError

    try:
        from tutor.app import create_app

        app = create_app(data_dir=data_dir(args.data_dir), lang=args.lang, content=content_dirs(args))
    except StoreError as e:
        raise UsageError(f"tutor: {e}") from None
    terminal_size_from_the_terminal()
    app.run()
    return app.return_code or 0


def exam_app(args):
    """The app, opened on a new exam (``tutor exam``); bad arguments are one line, exit 2."""
    from tutor.commands import exam_topics, start_exam
    from tutor.store import StoreError

    topics = exam_topics(args)
    try:
        from tutor.app import create_app

        # `tutor exam --lang ko …` or `tutor --lang ko exam …` (main copies the first into args.lang)
        app = create_app(data_dir=data_dir(args.data_dir), lang=getattr(args, "sub_lang", None) or getattr(args, "lang", None),
                         content=content_dirs(args), seed=args.seed)
    except StoreError as e:
        raise UsageError(f"tutor: {e}") from None
    try:
        start_exam(args, topics, app.catalog, app.store, app.lang)
    except BaseException:
        app.store.close()
        raise
    app.open_exam = True
    return app


def run_exam(args) -> int:
    app = exam_app(args)
    terminal_size_from_the_terminal()
    app.run()
    return app.return_code or 0


def entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["main", "build_parser", "UsageError", "EXIT_USAGE", "content_dirs", "data_dir", "default_lang"]
