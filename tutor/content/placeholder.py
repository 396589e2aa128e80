"""The placeholder language: ``{{run.path:fmt}}`` in lesson text, resolved against engine runs.

A path walks keys and indices (``em.iterations[0].resp_a[1]``, never ``eval``); a format is
``.Nf``, ``.Ng``, ``.N%`` or ``d``. Cloze blanks ``{{1}}`` are left for the question to fill.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from typing import Any, Mapping

from .spec import BLANK_RE, BRACES_RE, FMT_RE, PATH_TOKEN_RE, PLACEHOLDER_RE
from .util import _is_number, _typename


class PlaceholderError(KeyError):
    def __init__(self, placeholder: str, message: str):
        super().__init__(message)
        self.placeholder, self.message = placeholder, message

    def __str__(self) -> str:
        return f"{{{{{self.placeholder}}}}}: {self.message}"


def parse_path(path: str) -> list[str | int]:
    """``em.iterations[0].resp_a[1]`` → ``['em', 'iterations', 0, 'resp_a', 1]`` (ValueError if malformed)."""
    return list(_parse_path(path if isinstance(path, str) else ""))


@functools.lru_cache(maxsize=4096)
def _parse_path(path: str) -> tuple[str | int, ...]:
    s = path.strip()
    out: list[str | int] = []
    pos = 0
    while pos < len(s):
        m = PATH_TOKEN_RE.match(s, pos)
        if not m or (m.group(1) is not None and (pos == 0) == m.group(0).startswith(".")):
            raise ValueError(f"malformed path {path!r}: write name.key[0].key")
        out.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    if not out:
        raise ValueError("empty path")
    return tuple(out)


def resolve_path(obj: Any, path: str | list) -> Any:
    """Walk keys and indices through dicts, lists and arrays (never eval). KeyError/IndexError if absent."""
    parts = parse_path(path) if isinstance(path, str) else path
    done = ""
    for p in parts:
        if isinstance(p, int):
            if isinstance(obj, (str, bytes, Mapping)) or not hasattr(obj, "__getitem__") or not hasattr(obj, "__len__"):
                raise KeyError(f"{done or 'value'} is {_typename(obj)}, not a list: cannot take [{p}]")
            n = len(obj)
            if not -n <= p < n:
                raise IndexError(f"{done}[{p}] is out of range ({done} has {n} items)")
            obj = obj[p]
            done += f"[{p}]"
        else:
            if not isinstance(obj, Mapping):
                raise KeyError(f"{done or 'value'} is {_typename(obj)}, not a mapping: cannot take .{p}")
            if p not in obj:
                known = ", ".join(map(str, list(obj)[:12]))
                near = difflib.get_close_matches(p, [str(k) for k in obj], n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise KeyError(f"no key {p!r} in {done or 'the run'} (keys: {known}){hint}")
            obj = obj[p]
            done += ("." if done else "") + p
    return obj


def format_value(value: Any, spec: str | None = None) -> str:
    """Render one resolved value: numbers with ``.Nf``/``.Ng``/``.N%``/``d`` (or ``engine.core.fmt``)."""
    if hasattr(value, "tolist"):                                     # numpy array or scalar → Python
        value = value.tolist()
    if isinstance(value, Mapping):
        raise ValueError("is a mapping (a table), not a value; name a key inside it")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v, spec) for v in value) + "]"
    if value is None:
        return "—"
    if isinstance(value, bool):
        if spec:
            raise ValueError(f"format {spec!r} needs a number, got true/false")
        return "true" if value else "false"
    if isinstance(value, str):
        if spec:
            raise ValueError(f"format {spec!r} needs a number, got text")
        return value
    if not _is_number(value):
        raise ValueError(f"cannot show {_typename(value)}")
    x = float(value)
    if not spec:
        if isinstance(value, int):
            return str(value)
        from engine.core import fmt
        return fmt(x)
    m = FMT_RE.match(spec)
    if not m:
        raise ValueError(f"unknown format {spec!r}; use .2f, .3g, .1% or d")
    if not math.isfinite(x):
        return "∞" if x == math.inf else "−∞" if x == -math.inf else "nan"
    if spec == "d":
        s = str(int(round(x)))
    elif m.group(2) == "%":
        s = f"{x * 100:.{int(m.group(1))}f}%"
    else:
        s = f"{x:.{int(m.group(1))}{m.group(2)}}"
    if s.startswith("-") and not any(c in "123456789" for c in s.split("e")[0]):
        s = s[1:]                                                    # no "-0.00"
    return s


def placeholders(text: str) -> list[tuple[str, str | None, str]]:
    """Every ``{{...}}`` in ``text``: (kind, blank number or path, fmt or error) — kind is
    ``"blank"``, ``"ph"`` or ``"bad"``."""
    out = []
    for m in BRACES_RE.finditer(text):
        inner = m.group(1)
        b = BLANK_RE.match(inner)
        if b:
            out.append(("blank", b.group(1), ""))
            continue
        p = PLACEHOLDER_RE.match(inner)
        if not p:
            out.append(("bad", inner, "write {{run.key}}, {{run.key[0]:.2f}} or a cloze blank {{1}}"))
            continue
        fmt_spec = p.group("fmt")
        if fmt_spec is not None and not FMT_RE.match(fmt_spec):
            out.append(("bad", inner, f"unknown format {fmt_spec!r}; use .2f, .3g, .1% or d"))
            continue
        out.append(("ph", p.group("path"), fmt_spec or ""))
    return out


def render(text: str, runs: Mapping[str, Any], *, strict: bool = False) -> str:
    """Replace ``{{run.path:fmt}}`` placeholders with engine values; cloze blanks ``{{1}}`` stay.

    A placeholder that does not resolve is left as written (``strict=True`` raises
    :class:`PlaceholderError` instead); the content checker makes sure none are left.
    """
    if "{{" not in text:
        return text

    def sub(m: re.Match) -> str:
        inner = m.group(1)
        if BLANK_RE.match(inner):
            return m.group(0)
        p = PLACEHOLDER_RE.match(inner)
        try:
            if not p:
                raise PlaceholderError(inner.strip(), "malformed placeholder")
            path = parse_path(p.group("path"))
            if path[0] not in runs:
                known = ", ".join(runs) or "none"
                raise PlaceholderError(inner.strip(), f"no compute named {path[0]!r} (this item computes: {known})")
            try:
                return format_value(resolve_path(runs, path), p.group("fmt") or None)
            except (KeyError, IndexError, ValueError) as e:
                raise PlaceholderError(inner.strip(), str(e).strip("'\"")) from None
        except PlaceholderError:
            if strict:
                raise
            return m.group(0)

    return BRACES_RE.sub(sub, text)
