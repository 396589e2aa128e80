"""``tutor solve``: the engine as a calculator — its input (JSON or @file), its help, the step
trace, notes on undefined values and the lab's picture. Split out of :mod:`tutor.commands`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tutor.commands import usage_error
from tutor.config import UsageError
from tutor.i18n import tr


def _read_input(spec: str | None, lang: str = "en") -> dict:
    if spec is None:
        raise usage_error("cli.solve.need_input", lang)
    if spec.startswith("@"):
        path = Path(spec[1:]).expanduser()
        try:
            if path.stat().st_size > 50_000_000:
                raise usage_error("cli.solve.file_too_large", lang, path=path)
            text = path.read_text(encoding="utf-8")
        except UsageError:
            raise
        except OSError as e:   # the system's reason, in Korean where we know it ("No such file …")
            from tutor.store_errors import in_lang
            from tutor.store_texts import os_reason

            raise usage_error("cli.solve.cannot_read", lang, path=path, error=in_lang(os_reason(e), lang)) from None
        except UnicodeDecodeError as e:
            raise usage_error("cli.solve.cannot_read", lang, path=path, error=e) from None
    else:
        text = spec
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        if isinstance(e, json.JSONDecodeError):   # json's own words, in Korean where we know them
            from tutor.store_texts import JSON_KO

            msg = tr("cli.solve.json_at", lang, line=e.lineno, col=e.colno,
                     error=JSON_KO.get(e.msg, e.msg) if lang == "ko" else e.msg)
        else:
            msg = tr("cli.nested", lang)
        raise usage_error("cli.solve.bad_json", lang, error=msg) from None
    if not isinstance(data, dict):
        raise usage_error("cli.solve.not_object", lang)
    return data


def cmd_solve(args) -> int:
    from engine.core import InputError, jsonable
    from engine.registry import algorithms, get_algorithm

    if args.list or (not args.name and not args.help):
        if not args.list:
            raise usage_error("cli.solve.need_name", args.lang)
        algs = algorithms()
        width = max(map(len, algs))
        for name, alg in algs.items():
            print(f"{name:<{width}}  {alg.title[args.lang]}")
        return 0
    if args.help and not args.name:
        print(tr("cli.solve.usage", args.lang))
        return 0
    try:
        alg = get_algorithm(args.name)   # imports the module of that name only, when it can
    except KeyError:
        raise usage_error("cli.solve.unknown", args.lang, name=args.name[:40]) from None
    if args.help:
        lang = args.lang
        docs = (alg.inputs_ko or alg.inputs) if lang == "ko" else alg.inputs
        print(f"{alg.name}: {alg.title[lang]}\n\n{tr('cli.solve.help_inputs', lang)}")
        for key, doc in alg.inputs.items():
            print(f"  {key:<14} {docs.get(key, doc)}")
        if alg.mistakes:
            print("\n" + tr("cli.solve.help_mistakes", lang))
            for m in alg.mistakes:
                print(f"  {m.id:<28} {m.explain[lang]}")
        print(f"\n{tr('cli.solve.help_example', lang)}\n"
              f"  tutor solve {alg.name} --input '{json.dumps(alg.example, ensure_ascii=False)}'")
        return 0
    inputs = _read_input(args.input, args.lang)
    from tutor.lab_input import LabError, check_typos

    try:   # "iteration": 2 was ignored without a word, and the default 10 iterations ran
        check_typos(alg.name, inputs)
    except LabError as e:
        from tutor.input_messages import key_in

        raise UsageError(f"tutor solve {alg.name}: {key_in(e.key, args.lang)}: {e.text(args.lang)}") from None
    if args.mistake and args.mistake not in {m.id for m in alg.mistakes}:
        raise usage_error("cli.solve.unknown_mistake", args.lang, mistake=args.mistake[:40], alg=alg.name,
                     known=", ".join(m.id for m in alg.mistakes) or tr("cli.none", args.lang))
    try:
        import numpy as np

        with np.errstate(all="ignore"):   # an overflow is the trace's inf, never a RuntimeWarning on the terminal
            out = alg.run(inputs, mistake=args.mistake) if args.mistake else alg.run(inputs)
    except InputError as e:   # the engine's message, in the learner's language
        from tutor.input_messages import key_in, message_in

        key = key_in(e.key, args.lang)
        raise UsageError(f"tutor solve {alg.name}: {key + ': ' if key else ''}{message_in(e.message, args.lang)}") from None
    except RecursionError:
        raise usage_error("cli.solve.nested", args.lang, alg=alg.name) from None
    except MemoryError:
        raise usage_error("cli.solve.too_large", args.lang, alg=alg.name) from None
    undefined = [k for k, v in out.items() if _has_nan(v)] if isinstance(out, dict) else []
    out = jsonable(out)   # (nan becomes null)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
    else:
        from tutor.tables import print_trace

        print_trace(alg, out, lang=args.lang)   # names, notes and warnings in the learner's language
        if undefined:
            print(_nan_note(alg.name, undefined, args.lang), file=sys.stderr)
    if getattr(args, "plot", False):
        return _print_picture(alg.name, inputs, out, args.lang)
    return 0


# what an undefined value (nan) means in each algorithm's trace
_NAN_NOTES = {"em-coins": "cli.solve.nan", "kmeans": "cli.solve.nan", "gmm-em": "cli.solve.nan",   # a group with no data
              "softmax": "cli.solve.nan.softmax"}                                               # exp(z) directly


def _nan_note(name: str, keys: list[str], lang: str) -> str:
    """The note under a trace with nan: softmax's only where the naive exp(z) overflowed, by design."""
    if name == "softmax" and not set(keys) <= {"naive"}:
        return tr("cli.solve.nan.any", lang)
    return tr(_NAN_NOTES.get(name, "cli.solve.nan.any"), lang)


def _has_nan(x) -> bool:
    import numpy as np

    if isinstance(x, (float, np.floating)):
        return x != x
    if isinstance(x, np.ndarray):
        return x.dtype.kind == "f" and bool(np.isnan(x).any())
    if isinstance(x, dict):
        return any(_has_nan(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return any(_has_nan(v) for v in x)
    return False


def _print_picture(name: str, inputs: dict, out: dict, lang: str) -> int:
    """The lab's picture of the last step; plain text at full width when stdout is not a terminal."""
    from rich.console import Console

    from tutor import labs, plots

    tty = sys.stdout.isatty()
    console = Console() if tty else Console(width=100, color_system=None, force_terminal=False, soft_wrap=False)
    width = min(console.width, 120) - 1
    import numpy as np

    frames = labs.frames(name, out)
    try:
        with np.errstate(all="ignore"):
            more = labs.extras(name, inputs, out)
        pic = plots.picture(name, inputs, out, frames[-1].index, more, width=width, height=20, lang=lang,
                            color=tty and plots.use_color())
    except plots.PlotError as e:   # the trace is printed; the picture's failure is one line, exit 1
        print(f"tutor solve {name}: {e.text(lang)}", file=sys.stderr)
        return 1
    if pic is None:
        print(f"({name}: no picture)")
        return 0
    console.print(pic, crop=False)
    return 0
