"""Command line: `tutor` opens the app; subcommands for scripts and quick calculations.

Every user error is one line on stderr and exit code 2; no tracebacks. Heavy modules
(textual, the engine's algorithms) are imported only by the subcommand that needs them.
"""

from __future__ import annotations

import argparse
import sys

from tutor import __version__
from tutor.config import EXIT_USAGE, UsageError, content_dirs, data_dir, default_lang


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse prints usage + message otherwise)
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _app_parser() -> argparse.ArgumentParser:
    """The options of ``tutor`` itself (opening the app); :func:`build_parser` adds the commands."""
    p = _Parser(prog="tutor", description="A terminal tutor for machine learning and deep learning "
                "(lessons, live engine exercises, spaced review). Run without a command to open the app.")
    p.add_argument("--version", action="version", version=f"tutor {__version__}")
    p.add_argument("--lang", choices=("ko", "en"), help="language (default: from the locale, else English)")
    p.add_argument("--data-dir", metavar="PATH", help="where progress is kept (env TUTOR_DATA_DIR; "
                   "default: the platform's user data dir)")
    p.add_argument("--content", metavar="DIR", action="append",
                   help="load content from DIR instead of the shipped lessons (repeatable)")
    p.set_defaults(command=None)
    return p


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Opening the app (no command) is parsed by the small parser: building every command's parser
    costs ~8 ms of the start. Anything else, help and every error come from the full parser."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if "-h" not in argv and "--help" not in argv:
        try:
            return _app_parser().parse_args(argv)
        except UsageError:
            pass
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    p = _app_parser()
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("solve", help="run an engine algorithm as a calculator", add_help=False,
                       description="Run an engine algorithm and print its step trace.")
    s.add_argument("name", nargs="?", help="algorithm name (see --list)")
    s.add_argument("--input", "-i", metavar="JSON|@FILE", help="inputs as JSON, or @path to a JSON file")
    s.add_argument("--json", action="store_true", help="machine-readable JSON output")
    s.add_argument("--mistake", metavar="ID", help="compute what a learner with this mistake would get")
    s.add_argument("--list", action="store_true", help="list the algorithms")
    s.add_argument("-h", "--help", action="store_true", help="show help (for NAME: its input keys)")

    c = sub.add_parser("check-content", help="validate content and recompute every number")
    c.add_argument("dirs", nargs="*", metavar="DIR", help="content directories (default: the shipped content)")
    c.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH",
                   help="also report progress stored for ids the content no longer has")
    c.add_argument("--no-verify", action="store_true", help="skip the numeric verification")

    pr = sub.add_parser("practice", help="practise a topic in plain line mode (stdin/stdout)")
    pr.add_argument("topic", help="topic id (see the home screen or check-content)")
    pr.add_argument("--plain", action="store_true", help="line mode (the only mode of this command)")
    pr.add_argument("--seed", type=int, help="seed for reproducible variants")
    pr.add_argument("--count", type=int, default=0, help="number of questions (default: all)")
    pr.add_argument("--json", action="store_true", help="JSON lines out")
    pr.add_argument("--lang", dest="sub_lang", choices=("ko", "en"))
    pr.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    rv = sub.add_parser("review", help="review what is due, in plain line mode (stdin/stdout)")
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

    im = sub.add_parser("import", help="restore a JSON progress backup into an empty data dir")
    im.add_argument("path")
    im.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")

    dr = sub.add_parser("doctor", help="check the progress database; --repair fixes what can be fixed")
    dr.add_argument("--repair", action="store_true", help="salvage, rebuild and quarantine (see docs/RELIABILITY.md)")
    dr.add_argument("--json", action="store_true", help="the report as JSON")
    dr.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH")
    return p


def main(argv: list[str] | None = None) -> int:
    args = None
    try:
        args = parse_args(argv)
        if getattr(args, "sub_lang", None):
            args.lang = args.sub_lang
        if getattr(args, "sub_data_dir", None):
            args.data_dir = args.sub_data_dir
        if args.command is None:
            return run_app(args)   # --lang, else the saved setting, else the locale
        args.lang = args.lang or default_lang()
        from tutor import commands

        return getattr(commands, "cmd_" + args.command.replace("-", "_"))(args)
    except UsageError as e:
        from tutor.textsafe import printable

        print(printable(str(e)) or "tutor: error", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


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
    app.run()
    return app.return_code or 0


def entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["main", "build_parser", "UsageError", "EXIT_USAGE", "content_dirs", "data_dir", "default_lang"]
