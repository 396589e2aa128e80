"""A lab's inputs as text and back (split out of :mod:`tutor.labs`, which re-exports every name):
the learner's YAML read safely (``1e-3`` is a number), bounded before the engine sees it, and the
problems named by key in the learner's language (:class:`LabError`).
"""

from __future__ import annotations

import json
from functools import lru_cache

MAX_TEXT = 20_000          # characters of YAML
MAX_VALUES = 5_000         # numbers/strings after YAML aliases are expanded
# integer inputs that multiply the engine's work: capped in a lab (the CLI keeps the engine's limits)
CAPS = {"iterations": 200, "steps": 2_000, "epochs": 500, "d_model": 512, "n": 10**9}
CAPS_PER_LAB = {"mlm-masking": {"n": 2_000}}


class LabError(ValueError):
    """A lab input problem, naming the key (or ``inputs`` / ``YAML``, with ``line`` when known)."""

    def __init__(self, key: str, message: str, line: int | None = None, texts: dict | None = None):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message
        self.line = line
        self.texts = texts     # {"en", "ko"}: a message written in both languages (a typed number)

    def text(self, lang: str) -> str:
        """The message in the learner's language (:func:`tutor.input_messages.message_in`)."""
        from tutor.input_messages import message_in

        if self.texts:
            return self.texts.get(lang) or self.texts["en"]
        if self.key == "YAML":
            from tutor.i18n import tr

            return tr("labs.yaml_line" if self.line else "labs.yaml", lang, line=self.line)
        return message_in(self.message, lang)

    def shown(self, lang: str) -> str:
        """The whole line the lab shows: ``입력 오류: theta_a: …`` (no key for the whole input)."""
        from tutor.i18n import tr
        from tutor.input_messages import key_in

        key = "" if self.key == "YAML" else key_in(self.key, lang)
        return f"{tr('labs.error', lang)}: {key + ': ' if key else ''}{self.text(lang)}"


class PictureError(LabError):
    """The engine ran, but its picture cannot be drawn (values too large to plot)."""

    def __init__(self, error):
        super().__init__("picture", str(error))
        self.error = error                 # a tutor.plots.PlotError

    def text(self, lang: str) -> str:
        return self.error.text(lang)

    def shown(self, lang: str) -> str:
        return self.text(lang)


def to_text(inputs: dict) -> str:
    """One key per line, values as JSON (valid YAML flow style), easy to edit."""
    return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in inputs.items()) + "\n"


# YAML 1.1 reads 1e-3 as text (it wants 1.0e-3); a number in scientific notation is a number here
_FLOAT = r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+"


@lru_cache(maxsize=1)
def _loader():
    """PyYAML's SafeLoader (plain data, no Python objects) that also reads ``1e-3``, ``1E5`` and
    ``-2e+3`` as floats."""
    import re

    import yaml

    class LabLoader(yaml.SafeLoader):
        pass

    LabLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(f"^{_FLOAT}$"), list("-+0123456789."))
    return LabLoader


def _expanded_size(obj, memo: dict) -> int:
    """Number of values in ``obj`` with shared (aliased) lists and mappings counted every time."""
    if not isinstance(obj, (list, dict)):
        return 1
    if id(obj) not in memo:
        memo[id(obj)] = 1     # a recursive alias counts once here; the algorithm rejects it
        items = obj.values() if isinstance(obj, dict) else obj
        memo[id(obj)] = 1 + sum(_expanded_size(x, memo) for x in items)
    return memo[id(obj)]


def parse(name: str, text: str) -> dict:
    """The learner's YAML as inputs, bounded before the engine sees it; raises :class:`LabError`."""
    import yaml

    if len(text) > MAX_TEXT:
        raise LabError("inputs", f"more than {MAX_TEXT:,} characters")
    try:
        inputs = yaml.load(text, Loader=_loader())   # safe: plain data only, never code
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = min(mark.line + 1, text.count("\n") + 1 - text.endswith("\n")) if mark else None   # not past the end
        raise LabError("YAML", str(e).splitlines()[0], line=line or None) from None
    except RecursionError:
        raise LabError("YAML", "nested too deeply") from None
    if not isinstance(inputs, dict):
        raise LabError("inputs", "write the inputs as `key: value` lines (YAML)")
    check_typos(name, inputs)
    for key, v in inputs.items():
        if _expanded_size(v, {}) > MAX_VALUES:   # YAML aliases: 9 lines can mean 10^9 numbers
            raise LabError(str(key), f"more than {MAX_VALUES:,} values in a lab")
    if _expanded_size(inputs, {}) > MAX_VALUES:
        raise LabError("inputs", f"more than {MAX_VALUES:,} values in a lab")
    caps = {**CAPS, **CAPS_PER_LAB.get(name, {})}
    for key, cap in caps.items():
        v = inputs.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > cap:
            raise LabError(key, f"must be ≤ {cap} in a lab")
    if name == "positional-encoding":
        pos = inputs.get("positions")
        if isinstance(pos, (int, float)) and not isinstance(pos, bool) and pos > 100_000:
            raise LabError("positions", "must be ≤ 100000 in a lab")
    return inputs


def check_typos(name: str, inputs: dict) -> None:
    """A key that is not one of the lab's inputs but close to one (``iteratiQons``) is a typo: the
    engine would ignore it and the learner would see the old result, unexplained. (Also ``tutor
    solve``'s input: difflib is imported only for a key it does not know.)"""
    from engine.registry import get_algorithm

    alg = get_algorithm(name)
    known = {*alg.inputs, *alg.example, "mistake"}
    for key in inputs:
        if isinstance(key, str) and key not in known:
            import difflib

            close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
            if close:
                raise LabError(key, f"unknown input (did you mean {close[0]}?)")
