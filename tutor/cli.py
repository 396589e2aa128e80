"""Command line: `tutor` opens the app; subcommands for scripts and quick calculations.

Every user error is one line on stderr and exit code 2; no tracebacks. Heavy modules
(textual, the engine's algorithms) are imported only by the subcommand that needs them.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from tutor.config import EXIT_USAGE, UsageError, content_dirs, data_dir, default_lang, saved_lang

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


def _app_parser(lang: str = "en"):
    """The options of ``tutor`` itself (opening the app): see :mod:`tutor.cli_args`."""
    from tutor.cli_args import app_parser

    return app_parser(lang)


def parse_args(argv: list[str] | None):
    """Opening the app (no command) is read without argparse when it can be (:func:`_open_app_args`),
    else by the small parser: building every command's parser costs ~8 ms of the start. Anything
    else, help and every error come from the full parser."""
    argv = sys.argv[1:] if argv is None else list(argv)
    fast = _open_app_args(argv)
    if fast is not None:
        return fast
    from tutor.cli_args import argv_lang

    lang = argv_lang(argv)
    args = None
    if "-h" not in argv and "--help" not in argv:
        try:
            args = _app_parser(lang).parse_args(argv)
        except UsageError:
            pass
    args = args or build_parser(lang).parse_args(argv)
    args.cli_lang = lang   # main's choice too (the same order): the progress file is read once
    return args


def build_parser(lang: str = "en"):
    """The full parser, every command (:mod:`tutor.cli_args`)."""
    from tutor.cli_args import build_parser as build

    return build(lang)


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
        args.lang = args.lang or getattr(args, "cli_lang", None) \
            or (None if args.command == "solve" else saved_lang(args)) or default_lang()
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
