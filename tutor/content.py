"""Lesson content: the YAML loader, the schema checks, placeholders and engine-checked numbers.

Content is data only: one YAML file per topic (``content/<topic>.yaml``) or a folder of files
merged into one topic (``content/<topic>/*.yaml``).  The format is documented for authors in
``docs/CONTENT_FORMAT.md``; this module is its reference implementation.

Loading never throws at the first error.  Every problem is collected as a :class:`Problem`
(``path:line: key: message``; the line is the parser's, never guessed) and loading goes on:

* a **file** that cannot be read or parsed, or whose header (``topic``, ``order``, ``title``,
  ``summary``, ``requires``, ``source``, unknown top-level keys) is wrong, is skipped and listed
  in :attr:`Catalog.skipped`; its cards and questions are still checked, so all of its problems
  are reported in one run;
* a **card or question** with a problem is skipped (listed in :attr:`Catalog.skipped_items`);
  the rest of its file loads;
* a prerequisite that is unknown or closes a cycle is reported and that edge is dropped; the
  topic still loads;
* a duplicate id (topic, card or question) is reported at both places; the first one in file
  order is kept.

YAML is read by :class:`ContentLoader`, a safe loader (``CSafeLoader`` when libyaml is there,
else ``SafeLoader``) that builds the data straight from the parser's events, without Python
recursion, so that hostile files stay cheap:

* the file size is checked with ``stat`` before reading (:data:`MAX_FILE_BYTES`), and at most
  that many bytes are read;
* non-UTF-8 bytes are reported with their line; tabs in indentation get a clear message;
* only plain data tags are accepted (``!!python/...`` and other tags are refused);
* aliases are counted as expanded (:data:`MAX_NODES` values per file; an alias bomb aborts the
  file) and nesting is capped (:data:`MAX_DEPTH`);
* duplicate keys are reported with both lines.

``verify_numbers=True`` runs every ``compute`` with the engine and resolves every placeholder,
``show`` key and numeric/matrix answer, and draws one variant (seed 0) of every exercise, so
that every number a lesson states is the engine's.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

LANGS = ("ko", "en")
MAX_FILE_BYTES = 2 * 1024 * 1024   # bigger files are refused unread
MAX_NODES = 20_000                 # values per file, aliases counted as expanded
MAX_DEPTH = 60                     # nesting of mappings/lists

KINDS = ("choice", "multi", "order", "text", "cloze", "numeric", "matrix", "exercise")

TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ITEM_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9_-]*)+$")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
FMT_RE = re.compile(r"^(?:\.(\d{1,2})([fg%])|d)$")
# {{ ... }}: a placeholder {{run.path:fmt}} or a cloze blank {{1}}
BRACES_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
BLANK_RE = re.compile(r"^\s*(\d+)\s*$")
PLACEHOLDER_RE = re.compile(
    r"^\s*(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[-?\d+\])*)\s*(?::\s*(?P<fmt>[^\s}]*)\s*)?$")
PATH_TOKEN_RE = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(-?\d+)\]")

HEADER_KEYS = ("order", "title", "summary", "requires", "source")
TOP_KEYS = {"topic", *HEADER_KEYS, "cards", "questions"}
CARD_KEYS = {"id", "title", "body", "compute", "show", "note"}
QUESTION_KEYS = {"id", "kind", "prompt", "compute", "explain", "hints"}
KIND_KEYS: dict[str, tuple[set[str], set[str]]] = {   # kind -> (required, optional) own keys
    "choice": ({"choices", "answer"}, {"shuffle"}),
    "multi": ({"choices", "answer"}, {"shuffle"}),
    "order": ({"items"}, set()),
    "text": ({"answers"}, set()),
    "cloze": ({"blanks"}, set()),
    "numeric": ({"answer"}, {"tolerance"}),
    "matrix": ({"answer"}, {"tolerance", "rows", "cols"}),
    "exercise": ({"generator"}, {"params"}),
}
TOLERANCE_KEYS = ("rtol", "atol", "sig", "decimals")


# =========================================================================== the public types
# (defined in tutor.model, which the app can import without yaml; re-exported here)

from tutor.model import Card, Catalog, Problem, Question, Topic, default_content_dir  # noqa: E402,F401

# =========================================================================== YAML loading


class LineDict(dict):
    """A mapping from the YAML file: ``line`` of its first key, ``lines[key]`` of each key."""

    __slots__ = ("line", "lines", "dups")


class LineList(list):
    """A list from the YAML file: ``line`` where it starts, ``lines[i]`` of each item."""

    __slots__ = ("line", "lines")


class _Abort(Exception):
    def __init__(self, line: int | None, key: str, message: str):
        super().__init__(message)
        self.line, self.key, self.message = line, key, message


_MERGE = object()
_PENDING = object()
_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + "str", _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp"}
_BaseLoader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class _Frame:
    __slots__ = ("obj", "is_map", "anchor", "size", "key", "key_line", "merges")

    def __init__(self, obj, is_map, anchor):
        self.obj, self.is_map, self.anchor = obj, is_map, anchor
        self.size, self.key, self.key_line, self.merges = 1, _PENDING, None, []


class ContentLoader(_BaseLoader):
    """Safe YAML loader that keeps line numbers and refuses what content never needs.

    :meth:`load_tree` composes the document from parser events with an explicit stack
    (libyaml's own composer recurses in C and crashes on deeply nested input), counts every
    value with aliases expanded, and records duplicate keys in :attr:`duplicates`.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str, int]] = []   # (line, key, first line)
        self.root_line: int | None = None

    def load_tree(self) -> Any:
        self.get_event()                                   # StreamStart
        if self.check_event(StreamEndEvent):
            return None
        ev = self.get_event()
        assert isinstance(ev, DocumentStartEvent)
        root = self._document()
        if not self.check_event(StreamEndEvent):
            ev = self.peek_event()
            raise _Abort(ev.start_mark.line + 1, "yaml",
                         "a second YAML document (---) in the file; put one topic per file")
        return root

    def _document(self) -> Any:
        anchors: dict[str, Any] = {}
        stack: list[_Frame] = []
        total = 0
        root = None
        while True:
            ev = self.get_event()
            line = ev.start_mark.line + 1
            if isinstance(ev, ScalarEvent):
                value, size = self._scalar(ev, line), 1
                total += 1
                if ev.anchor:
                    anchors[ev.anchor] = (value, 1)
            elif isinstance(ev, AliasEvent):
                got = anchors.get(ev.anchor)
                if got is None:
                    raise _Abort(line, "yaml", f"alias *{ev.anchor} has no anchor &{ev.anchor} before it")
                if got is _PENDING:
                    raise _Abort(line, "yaml", f"alias *{ev.anchor} refers to its own enclosing &{ev.anchor} "
                                               "(a recursive structure)")
                value, size = got
                total += size
                if total > MAX_NODES:
                    raise _Abort(line, "yaml", f"aliases expand to more than {MAX_NODES:,} values "
                                               "(an alias bomb?); write the data out or split the file")
            elif isinstance(ev, (MappingStartEvent, SequenceStartEvent)):
                is_map = isinstance(ev, MappingStartEvent)
                tag = ev.tag
                if tag not in (None, "!", _T + ("map" if is_map else "seq")):
                    raise _Abort(line, "yaml", _tag_message(tag))
                if len(stack) >= MAX_DEPTH:
                    raise _Abort(line, "yaml", f"nested more than {MAX_DEPTH} levels deep")
                obj: Any = LineDict() if is_map else LineList()
                obj.line, obj.lines = line, ({} if is_map else [])
                if is_map:
                    obj.dups = None
                if self.root_line is None:
                    self.root_line = line
                if ev.anchor:
                    anchors[ev.anchor] = _PENDING
                stack.append(_Frame(obj, is_map, ev.anchor))
                total += 1
                if total > MAX_NODES:
                    raise _Abort(line, "yaml", f"more than {MAX_NODES:,} values in one file; split the topic "
                                               "into a folder of smaller files")
                continue
            elif isinstance(ev, (MappingEndEvent, SequenceEndEvent)):
                fr = stack.pop()
                if fr.is_map and fr.merges:
                    self._merge(fr)
                value, size, line = fr.obj, fr.size, fr.obj.line
                if fr.anchor:
                    anchors[fr.anchor] = (value, size)
            elif isinstance(ev, DocumentEndEvent):
                return root
            else:  # pragma: no cover - the parser emits nothing else inside a document
                raise _Abort(line, "yaml", f"unexpected {type(ev).__name__}")
            if total > MAX_NODES:
                raise _Abort(line, "yaml", f"more than {MAX_NODES:,} values in one file")
            if not stack:
                root = value
                if self.root_line is None:
                    self.root_line = line
                continue
            self._attach(stack[-1], value, size, line)

    def _attach(self, fr: _Frame, value: Any, size: int, line: int) -> None:
        fr.size += size
        if not fr.is_map:
            fr.obj.append(value)
            fr.obj.lines.append(line)
            return
        if fr.key is _PENDING:                      # this value is a key
            if isinstance(value, (dict, list)):
                raise _Abort(line, "yaml", "a mapping or list used as a key; keys must be plain words")
            fr.key, fr.key_line = value, line
            return
        key, fr.key = fr.key, _PENDING
        if key is _MERGE:
            fr.merges.append((value, fr.key_line))
        elif key in fr.obj:
            self.duplicates.append((fr.key_line, key, fr.obj.lines[key]))
            if fr.obj.dups is None:
                fr.obj.dups = []
            fr.obj.dups.append(key)
        else:
            fr.obj[key] = value
            fr.obj.lines[key] = fr.key_line

    def _merge(self, fr: _Frame) -> None:
        for value, line in fr.merges:
            sources = value if isinstance(value, list) else [value]
            for src in sources:
                if not isinstance(src, dict):
                    raise _Abort(line, "yaml", "<< (merge) needs a mapping or a list of mappings")
                for k, v in src.items():
                    if k not in fr.obj:
                        fr.obj[k] = v
                        fr.obj.lines[k] = src.lines.get(k, line) if isinstance(src, LineDict) else line

    def _scalar(self, ev: ScalarEvent, line: int) -> Any:
        tag = ev.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        if tag == _T + "str":
            return ev.value
        if tag == _T + "null":
            return None
        if tag == _T + "merge":
            return _MERGE
        if tag not in _SCALAR_TAGS:
            raise _Abort(line, "yaml", _tag_message(tag))
        node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
        try:
            return self.yaml_constructors[tag](self, node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            raise _Abort(line, "yaml", f"cannot read {ev.value[:40]!r} as {tag.rsplit(':', 1)[-1]}: {e}") from None


def _tag_message(tag: str) -> str:
    if tag.startswith(_T + "python/") or tag.startswith("!python") or "python" in tag:
        return f"the tag {tag.replace(_T, '!!')} is refused: content is data only (no Python objects)"
    return f"the tag {tag.replace(_T, '!!')} is not allowed; content uses plain text, numbers, lists and mappings"


@dataclass
class _Parsed:
    data: Any
    problems: list[Problem]
    has_dups: bool = False


_PARSE_CACHE: OrderedDict[tuple, _Parsed] = OrderedDict()
_PARSE_CACHE_MAX = 512
_cache_lock = threading.Lock()
_cache_stats = {"hits": 0, "misses": 0}


def cache_info() -> dict[str, int]:
    """Parse-cache counters (for tests and benchmarks)."""
    return {**_cache_stats, "size": len(_PARSE_CACHE)}


def clear_cache() -> None:
    with _cache_lock:
        _PARSE_CACHE.clear()
        _RUN_CACHE.clear()
        _VARIANT_CACHE.clear()
        _cache_stats.update(hits=0, misses=0)


def parse_file(path: Path, display: str | None = None) -> _Parsed:
    """Read and parse one YAML file (cached by path, mtime and size)."""
    shown = display if display is not None else str(path)
    try:
        st = os.stat(path)
    except OSError as e:
        return _Parsed(None, [Problem(shown, None, "file", f"cannot read: {e.strerror or e}")])
    key = (shown, st.st_mtime_ns, st.st_size)
    with _cache_lock:
        hit = _PARSE_CACHE.get(key)
        if hit is not None:
            _PARSE_CACHE.move_to_end(key)
            _cache_stats["hits"] += 1
            return hit
    parsed = _parse_uncached(path, shown, st.st_size)
    with _cache_lock:
        _cache_stats["misses"] += 1
        _PARSE_CACHE[key] = parsed
        while len(_PARSE_CACHE) > _PARSE_CACHE_MAX:
            _PARSE_CACHE.popitem(last=False)
    return parsed


def _too_big(shown: str, size: int) -> _Parsed:
    return _Parsed(None, [Problem(shown, None, "file", f"{size / 1e6:.1f} MB is over the {MAX_FILE_BYTES // 2**20} MB "
                                                       "limit for one content file; split the topic into a folder")])


def _parse_uncached(path: Path, shown: str, size: int) -> _Parsed:
    if size > MAX_FILE_BYTES:
        return _too_big(shown, size)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        return _Parsed(None, [Problem(shown, None, "file", f"cannot read: {e.strerror or e}")])
    if len(raw) > MAX_FILE_BYTES:
        return _too_big(shown, len(raw))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        return _Parsed(None, [Problem(shown, line, "file", f"not UTF-8: byte 0x{raw[e.start]:02x} at column {col}; "
                                                           "save the file as UTF-8")])
    if not text.strip():
        return _Parsed(None, [Problem(shown, None, "file", "empty file")])
    loader = ContentLoader(text)
    try:
        data = loader.load_tree()
    except _Abort as e:
        return _Parsed(None, [Problem(shown, e.line, e.key, e.message)])
    except yaml.MarkedYAMLError as e:
        return _Parsed(None, [_yaml_problem(shown, text, e)])
    except yaml.YAMLError as e:  # pragma: no cover - every parser error carries a mark
        return _Parsed(None, [Problem(shown, None, "yaml", str(e).splitlines()[0])])
    finally:
        loader.dispose()
    problems = [Problem(shown, line, str(key), f"duplicate key {key!r} (first at line {first})")
                for line, key, first in loader.duplicates]
    if data is None:
        problems.append(Problem(shown, None, "file", "empty file (only comments)"))
    elif not isinstance(data, dict):
        problems.append(Problem(shown, loader.root_line, "file",
                                f"expected a mapping with topic:, cards:, questions:, got {_typename(data)}"))
    return _Parsed(data if isinstance(data, dict) else None, problems, bool(loader.duplicates))


def _yaml_problem(shown: str, text: str, e: yaml.MarkedYAMLError) -> Problem:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark is not None else None
    lines = text.splitlines()
    if line is not None:
        # a tab in the indentation of the failing line or of a line just before it
        for ln in range(line, max(0, line - 3), -1):
            if ln - 1 < len(lines):
                s = lines[ln - 1]
                indent = s[: len(s) - len(s.lstrip(" \t"))]
                if "\t" in indent:
                    return Problem(shown, ln, "yaml", "tab character in the indentation; YAML indents with "
                                                      "spaces only")
    msg = (e.problem or "syntax error").strip()
    if e.context:
        msg = f"{msg} ({e.context.strip()})"
    if mark is not None and mark.column:
        msg += f" at column {mark.column + 1}"
    return Problem(shown, line, "yaml", msg)


# =========================================================================== placeholders


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


def _is_number(v: Any) -> bool:
    try:
        import numpy as np
        if isinstance(v, np.generic):
            return isinstance(v, (np.integer, np.floating))
    except ImportError:  # pragma: no cover
        pass
    return isinstance(v, (int, float)) and not isinstance(v, bool)


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


# =========================================================================== engine runs


class ComputeError(ValueError):
    def __init__(self, name: str, message: str, key: str = ""):
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.key = name, message, key


_RUN_CACHE: OrderedDict[str, Any] = OrderedDict()
_VARIANT_CACHE: dict[str, str | None] = {}
_RUN_CACHE_MAX = 512


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)


def run_one(spec: Mapping[str, Any], name: str = "run") -> dict:
    """Run one compute entry ``{engine, inputs, mistake}`` (cached by its content)."""
    key = _canonical([spec.get("engine"), spec.get("inputs"), spec.get("mistake")])
    with _cache_lock:
        if key in _RUN_CACHE:
            _RUN_CACHE.move_to_end(key)
            return _RUN_CACHE[key]
    from engine.core import InputError
    from engine.registry import get_algorithm

    engine = spec.get("engine")
    try:
        alg = get_algorithm(engine)
    except KeyError:
        raise ComputeError(name, f"unknown engine algorithm {engine!r}", "engine") from None
    mistake = spec.get("mistake")
    if mistake is not None and mistake not in {m.id for m in alg.mistakes}:
        raise ComputeError(name, f"{engine} has no mistake {mistake!r}", "mistake")
    inputs = spec.get("inputs") or {}
    try:
        out = alg.run(_plain(inputs), mistake=mistake) if mistake else alg.run(_plain(inputs))
    except InputError as e:
        raise ComputeError(name, f"{engine} rejected the inputs: {e.key}: {e.message}", "inputs") from None
    except Exception as e:  # an engine bug must not take the checker down
        raise ComputeError(name, f"{engine} failed: {type(e).__name__}: {e}", "inputs") from None
    with _cache_lock:
        _RUN_CACHE[key] = out
        while len(_RUN_CACHE) > _RUN_CACHE_MAX:
            _RUN_CACHE.popitem(last=False)
    return out


def run_compute(compute_spec: Mapping[str, Any] | None) -> dict[str, dict]:
    """``{name: {engine, inputs, mistake}}`` → ``{name: outputs}``; raises :class:`ComputeError`."""
    return {name: run_one(spec, name) for name, spec in (compute_spec or {}).items()}


def expected_answer(q: Question, runs: Mapping[str, Any] | None = None) -> Any:
    """The right value of a numeric/matrix question (a float, or a nested list for a matrix)."""
    ans = q.data["answer"]
    if "value" in ans:
        return ans["value"]
    runs = runs if runs is not None else run_compute(q.compute)
    value = resolve_path(runs[ans["run"]], ans["key"])
    return value.tolist() if hasattr(value, "tolist") else value


def tolerance_of(q: Question, default=None):
    """``engine.core.Tolerance`` of a numeric/matrix question (``default`` when none is given)."""
    from engine.core import Tolerance

    return Tolerance.parse(q.data.get("tolerance"), default if default is not None else Tolerance(rtol=0.01))


# =========================================================================== engine names


_registry_error: list[str] = []


def _known(kind: str) -> dict | None:
    """The registry's algorithms or generators, or None when the engine cannot be imported."""
    try:
        from engine import registry

        return registry.algorithms() if kind == "algorithms" else registry.generators()
    except Exception as e:  # a broken engine module must not hide every content problem
        _registry_error[:] = [f"{type(e).__name__}: {e}"]
        return None


def _did_you_mean(name: Any, known: list[str]) -> str:
    near = difflib.get_close_matches(str(name), known, n=1)
    if near:
        return f"; did you mean {near[0]!r}?"
    return f"; known: {', '.join(known[:12])}" + (" …" if len(known) > 12 else "")


# =========================================================================== schema checks


def _typename(v: Any) -> str:
    if v is None:
        return "nothing (an empty value)"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, (list, tuple)):
        return "a list"
    if hasattr(v, "shape") and hasattr(v, "ndim"):
        return f"a list of {v.shape[0]} values" if v.ndim == 1 else f"an array of shape {tuple(v.shape)}"
    if isinstance(v, Mapping):
        return "a mapping"
    return type(v).__name__


def _bool_hint(v: Any) -> str:
    return " (YAML reads yes/no/on/off/true/false as true/false: quote the text)" if isinstance(v, bool) else ""


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def _line(container: Any, key: Any) -> int | None:
    """Line of ``container[key]`` (a mapping key or a list index), else of the container."""
    if isinstance(container, LineDict):
        return container.lines.get(key, container.line)
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.lines):
            return container.lines[key]
        return container.line
    return None


def _item_lines(obj: LineDict) -> dict[str, int | None]:
    """Lines of an item's fields for later (engine) checks: ``body``, ``body.en``, ``hints[1].ko``,
    ``compute.mle``, ``show[0]`` …"""
    lines: dict[str, int | None] = {}
    for k, v in obj.items():
        k = str(k)
        lines[k] = _line(obj, k)
        if isinstance(v, LineDict):
            for sub in v:
                lines[f"{k}.{sub}"] = _line(v, sub)
        elif isinstance(v, LineList):
            for j, x in enumerate(v):
                lines[f"{k}[{j}]"] = _line(v, j)
                if isinstance(x, LineDict):
                    for sub in x:
                        lines[f"{k}[{j}].{sub}"] = _line(x, sub)
    return lines


def _field_line(lines: Mapping[str, int | None], fld: str) -> int | None:
    """The most precise known line for ``fld`` (``hints[1].ko`` → ``hints[1]`` → ``hints``)."""
    while True:
        if lines.get(fld) is not None:
            return lines[fld]
        cut = max(fld.rfind("."), fld.rfind("["))
        if cut <= 0:
            return None
        fld = fld[:cut]


def _has_dups(obj: Any, budget: list[int]) -> bool:
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if isinstance(obj, LineDict):
        return bool(obj.dups) or any(_has_dups(v, budget) for v in obj.values())
    if isinstance(obj, list):
        return any(_has_dups(v, budget) for v in obj)
    return False


@dataclass
class _FileResult:
    path: str
    data: dict | None
    topic: str | None
    header: dict                 # header key -> (value, line)
    cards: list[Card]
    questions: list[Question]
    fatal: bool
    topic_line: int | None


class _Checker:
    """Schema checks of one file; every problem is collected in ``self.problems``."""

    def __init__(self, path: str, problems: list[Problem], skipped_items: list[str], has_dups: bool = True):
        self.path = path
        self.has_dups = has_dups
        self.problems = problems
        self.skipped_items = skipped_items

    def p(self, line: int | None, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, key, message))

    # ------------------------------------------------------------------ leaves
    def text(self, parent: dict, key: str, kp: str, *, required: bool = True) -> dict | None:
        if key not in parent or parent[key] is None:
            if required:
                self.p(_line(parent, key), kp, "missing: give the text in both languages, {ko: ..., en: ...}")
            return None
        return self.text_value(parent[key], _line(parent, key), kp)

    def text_value(self, v: Any, line: int | None, kp: str) -> dict | None:
        if isinstance(v, str):
            self.p(line, kp, "needs both languages as {ko: ..., en: ...}, got a single text")
            return None
        if not isinstance(v, dict):
            self.p(line, kp, f"expected {{ko: ..., en: ...}}, got {_typename(v)}{_bool_hint(v)}")
            return None
        ok = True
        for lang in LANGS:
            s = v.get(lang)
            if s is None or (isinstance(s, str) and not s.strip()):
                self.p(_line(v, lang) if lang in v else line, f"{kp}.{lang}",
                       f"missing language {lang!r}: every learner-facing text needs both ko and en")
                ok = False
            elif not isinstance(s, str):
                self.p(_line(v, lang), f"{kp}.{lang}", f"expected text, got {_typename(s)}{_bool_hint(s)}")
                ok = False
        for k in v:
            if k not in LANGS:
                self.p(_line(v, k), f"{kp}.{k}", "unknown language; use ko and en")
                ok = False
        return {lang: v[lang] for lang in LANGS} if ok else None

    def text_list(self, parent: dict, key: str, kp: str, *, min_len: int = 0, required: bool = True) -> list | None:
        if key not in parent:
            if required:
                self.p(_line(parent, key), kp, "missing")
            return None
        v = parent[key]
        if not isinstance(v, list):
            self.p(_line(parent, key), kp, f"expected a list of {{ko: ..., en: ...}}, got {_typename(v)}")
            return None
        if len(v) < min_len:
            self.p(_line(parent, key), kp, f"needs at least {min_len} entries, got {len(v)}")
            return None
        out = [self.text_value(x, _line(v, i), f"{kp}[{i}]") for i, x in enumerate(v)]
        return out if all(x is not None for x in out) else None

    def unknown_keys(self, obj: dict, allowed: set[str], kp: str, what: str) -> None:
        for k in obj:
            if k not in allowed:
                near = difflib.get_close_matches(str(k), sorted(allowed), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else f"; {what} keys are {', '.join(sorted(allowed))}"
                self.p(_line(obj, k), f"{kp}.{k}" if kp else str(k), f"unknown key{hint}")

    def string_list(self, parent: dict, key: str, kp: str) -> list[str] | None:
        v = parent[key]
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            self.p(_line(parent, key), kp, f"expected a list, got {_typename(v)}")
            return None
        ok = True
        for i, x in enumerate(v):
            if not isinstance(x, str) or not x.strip():
                self.p(_line(v, i) if isinstance(parent[key], list) else _line(parent, key), f"{kp}[{i}]",
                       f"expected text, got {_typename(x)}{_bool_hint(x)}")
                ok = False
        return list(v) if ok else None

    # ------------------------------------------------------------------ header
    def header(self, data: dict, folder_topic: str | None) -> tuple[str | None, dict, bool]:
        fatal = False
        n0 = len(self.problems)
        tid = data.get("topic")
        if "topic" not in data:
            self.p(data.line, "topic", "missing: every content file starts with topic: <id>")
            tid = None
        elif not isinstance(tid, str) or not TOPIC_RE.match(tid):
            self.p(_line(data, "topic"), "topic",
                   f"{tid!r} is not a topic id (lower-case letters, digits and -)")
            tid = None
        elif folder_topic is not None and tid != folder_topic:
            self.p(_line(data, "topic"), "topic", f"{tid!r} differs from its folder {folder_topic!r}: every file "
                                                  "in a topic folder must say topic: <folder name>")
            tid = None
        self.unknown_keys(data, TOP_KEYS, "", "top-level")
        header: dict[str, tuple[Any, int | None]] = {}
        if "order" in data:
            o = data["order"]
            if isinstance(o, bool) or not isinstance(o, int):
                self.p(_line(data, "order"), "order", f"expected a whole number, got {_typename(o)}")
            else:
                header["order"] = (o, _line(data, "order"))
        for key in ("title", "summary"):
            if key in data:
                t = self.text(data, key, key)
                if t is not None:
                    header[key] = (t, _line(data, key))
        if "requires" in data:
            r = data["requires"]
            if r is None:
                r = LineList()
                r.line, r.lines = _line(data, "requires"), []
            if not isinstance(r, list):
                self.p(_line(data, "requires"), "requires", f"expected a list of topic ids, got {_typename(r)}")
            else:
                ok = True
                for i, x in enumerate(r):
                    if not isinstance(x, str) or not TOPIC_RE.match(x):
                        self.p(_line(r, i), f"requires[{i}]", f"{x!r} is not a topic id")
                        ok = False
                if ok:
                    header["requires"] = ([(x, _line(r, i)) for i, x in enumerate(r)], _line(data, "requires"))
        if "source" in data and data["source"] is not None:
            s = self.string_list(data, "source", "source")
            if s is not None:
                header["source"] = (s, _line(data, "source"))
        for key in ("cards", "questions"):
            if key in data and data[key] is not None and not isinstance(data[key], list):
                self.p(_line(data, key), key, f"expected a list, got {_typename(data[key])}")
        if self.has_dups and (data.dups or any(_has_dups(v, [MAX_NODES]) for k, v in data.items()
                                               if k not in ("cards", "questions"))):
            fatal = True
        if len(self.problems) > n0 or tid is None:
            fatal = True
        return tid, header, fatal

    # ------------------------------------------------------------------ items
    def item_id(self, obj: dict, label: str, topic: str | None) -> str | None:
        if "id" not in obj:
            self.p(obj.line, f"{label}.id", "missing: every card and question needs a stable id")
            return None
        iid = obj["id"]
        if not isinstance(iid, str) or not ITEM_RE.match(iid):
            self.p(_line(obj, "id"), f"{label}.id",
                   f"{iid!r} is not an id: <topic>.<name>, lower-case letters, digits, - and _ (e.g. em.e-step)")
            return None
        if topic is not None and not iid.startswith(topic + "."):
            self.p(_line(obj, "id"), iid, f"id must start with the topic: {topic}.")
            return None
        return iid

    def compute(self, obj: dict, label: str) -> dict:
        if "compute" not in obj or obj["compute"] is None:
            return {}
        c = obj["compute"]
        kp = f"{label}.compute"
        if not isinstance(c, dict):
            self.p(_line(obj, "compute"), kp, f"expected a mapping name → {{engine:, inputs:}}, got {_typename(c)}")
            return {}
        algs = _known("algorithms")
        for name, spec in c.items():
            nkp = f"{kp}.{name}"
            line = _line(c, name)
            if not isinstance(name, str) or not NAME_RE.match(name):
                self.p(line, nkp, "a compute name is a plain word (letters, digits, _), used in {{name.key}}")
            if not isinstance(spec, dict):
                self.p(line, nkp, f"expected {{engine: <algorithm>, inputs: {{...}}}}, got {_typename(spec)}")
                continue
            self.unknown_keys(spec, {"engine", "inputs", "mistake"}, nkp, "compute")
            engine = spec.get("engine")
            if not isinstance(engine, str):
                self.p(_line(spec, "engine"), f"{nkp}.engine",
                       "missing: name an engine algorithm" if engine is None else f"expected text, got {_typename(engine)}")
            elif algs is not None and engine not in algs:
                self.p(_line(spec, "engine"), f"{nkp}.engine",
                       f"unknown engine algorithm {engine!r}{_did_you_mean(engine, list(algs))}")
            inputs = spec.get("inputs")
            if inputs is not None and not isinstance(inputs, dict):
                self.p(_line(spec, "inputs"), f"{nkp}.inputs", f"expected a mapping of inputs, got {_typename(inputs)}")
            mistake = spec.get("mistake")
            if mistake is not None:
                if not isinstance(mistake, str):
                    self.p(_line(spec, "mistake"), f"{nkp}.mistake", f"expected a mistake id, got {_typename(mistake)}")
                elif algs is not None and isinstance(engine, str) and engine in algs:
                    ids = [m.id for m in algs[engine].mistakes]
                    if mistake not in ids:
                        self.p(_line(spec, "mistake"), f"{nkp}.mistake",
                               f"{engine} has no mistake {mistake!r}{_did_you_mean(mistake, ids)}")
        return _plain(c)

    def check_texts(self, label: str, texts: list[tuple[str, dict]], compute: dict, lines: dict, *,
                    blanks: bool = False) -> None:
        """Placeholder syntax and run names; ``{{n}}`` blanks only in a cloze prompt (``blanks``)."""
        for fld, t in texts:
            in_cloze = blanks and fld == "prompt"
            for lang in LANGS:
                line = _field_line(lines, f"{fld}.{lang}")
                kp = f"{label}.{fld}.{lang}"
                for kind, what, extra in placeholders(t[lang]):
                    if kind == "bad":
                        self.p(line, kp, f"malformed placeholder {{{{{what}}}}}: {extra}")
                    elif kind == "blank" and not in_cloze:
                        self.p(line, kp, f"blank {{{{{what}}}}} outside a cloze prompt")
                    elif kind == "ph":
                        run = parse_path(what)[0]
                        if run not in compute:
                            known = ", ".join(compute) or "nothing (add a compute: block)"
                            self.p(line, kp,
                                   f"placeholder {{{{{what}}}}}: no compute named {run!r}; this item computes {known}")

    def card(self, obj: Any, line: int | None, i: int, topic: str | None) -> Card | None:
        n0 = len(self.problems)
        if not isinstance(obj, dict):
            self.p(line, f"cards[{i}]", f"expected a mapping with id:, title:, body:, got {_typename(obj)}")
            return None
        cid = self.item_id(obj, f"cards[{i}]", topic)
        label = cid or f"cards[{i}]"
        self.unknown_keys(obj, CARD_KEYS, label, "card")
        title = self.text(obj, "title", f"{label}.title")
        body = self.text(obj, "body", f"{label}.body")
        note = self.text(obj, "note", f"{label}.note", required=False)
        compute = self.compute(obj, label)
        show = self.show(obj, label, compute)
        lines = _item_lines(obj)
        texts = [(k, t) for k, t in (("title", title), ("body", body), ("note", note)) if t is not None]
        texts += [(f"show[{j}].title", s["title"]) for j, s in enumerate(show or []) if s.get("title")]
        self.check_texts(label, texts, compute, lines)
        if self.has_dups and _has_dups(obj, [MAX_NODES]):
            self.p(obj.line, label, "has a duplicate key (see above)")
        if len(self.problems) > n0 or cid is None:
            self.skipped_items.append(cid or f"{self.path}:{line}")
            return None
        return Card(id=cid, topic=topic or "", title=title, body=body, compute=compute, show=show or [],
                    note=note, line=obj.line, path=self.path, lines=lines)

    def show(self, obj: dict, label: str, compute: dict) -> list | None:
        if "show" not in obj or obj["show"] is None:
            return []
        v = obj["show"]
        kp = f"{label}.show"
        if not isinstance(v, list):
            self.p(_line(obj, "show"), kp, f"expected a list of {{run:, keys:, title:}}, got {_typename(v)}")
            return None
        out = []
        for j, s in enumerate(v):
            skp = f"{kp}[{j}]"
            line = _line(v, j)
            if not isinstance(s, dict):
                self.p(line, skp, f"expected {{run: <compute name>, keys: [...]}}, got {_typename(s)}")
                continue
            self.unknown_keys(s, {"run", "keys", "title"}, skp, "show")
            run = s.get("run")
            if run not in compute:
                known = ", ".join(compute) or "nothing (add a compute: block)"
                self.p(_line(s, "run"), f"{skp}.run", f"{run!r} is not a compute of this card; it computes {known}")
            keys = s.get("keys")
            if keys is not None:
                if not isinstance(keys, list) or not keys:
                    self.p(_line(s, "keys"), f"{skp}.keys", "expected a non-empty list of output names")
                else:
                    for k, key in enumerate(keys):
                        if not isinstance(key, str) or not KEY_RE.match(key):
                            self.p(_line(keys, k), f"{skp}.keys[{k}]", f"{key!r} is not an output name of the run")
            title = self.text(s, "title", f"{skp}.title", required=False) if "title" in s else None
            out.append({"run": run, "keys": list(keys) if isinstance(keys, list) else None, "title": title})
        return out

    def question(self, obj: Any, line: int | None, i: int, topic: str | None) -> Question | None:
        n0 = len(self.problems)
        if not isinstance(obj, dict):
            self.p(line, f"questions[{i}]", f"expected a mapping with id:, kind:, prompt:, got {_typename(obj)}")
            return None
        qid = self.item_id(obj, f"questions[{i}]", topic)
        label = qid or f"questions[{i}]"
        kind = obj.get("kind")
        if kind not in KIND_KEYS:
            msg = "missing: choose one of " if kind is None else f"unknown question kind {kind!r}; use one of "
            self.p(_line(obj, "kind"), f"{label}.kind", msg + ", ".join(KINDS))
            self.skipped_items.append(qid or f"{self.path}:{line}")
            return None
        required, optional = KIND_KEYS[kind]
        self.unknown_keys(obj, QUESTION_KEYS | required | optional, label, f"{kind} question")
        for k in sorted(required):
            if k not in obj:
                self.p(obj.line, f"{label}.{k}", f"missing: a {kind} question needs {k}:")
        exercise = kind == "exercise"
        prompt = self.text(obj, "prompt", f"{label}.prompt", required=not exercise)
        explain = self.text(obj, "explain", f"{label}.explain", required=not exercise)
        hints = self.text_list(obj, "hints", f"{label}.hints", required=False) if obj.get("hints") is not None else []
        compute = self.compute(obj, label)
        lines = _item_lines(obj)
        texts = [(k, t) for k, t in (("prompt", prompt), ("explain", explain)) if t]
        texts += [(f"hints[{j}]", h) for j, h in enumerate(hints or []) if h]
        getattr(self, "_" + kind)(obj, label, prompt, compute, texts)
        self.check_texts(label, texts, compute, lines, blanks=kind == "cloze")
        if self.has_dups and _has_dups(obj, [MAX_NODES]):
            self.p(obj.line, label, "has a duplicate key (see above)")
        if len(self.problems) > n0 or qid is None:
            self.skipped_items.append(qid or f"{self.path}:{line}")
            return None
        data = {k: _plain(obj[k]) for k in sorted(required | optional) if k in obj}
        return Question(id=qid, topic=topic or "", kind=kind, prompt=prompt, data=data, explain=explain,
                        hints=hints or [], compute=compute, line=obj.line, path=self.path, lines=lines)

    # ------------------------------------------------------------------ the kinds
    def _choices(self, obj, label, texts) -> list | None:
        if "shuffle" in obj and not isinstance(obj["shuffle"], bool):
            self.p(_line(obj, "shuffle"), f"{label}.shuffle",
                   f"expected true or false (false keeps the choices in the written order), got {_typename(obj['shuffle'])}")
        ch = self.text_list(obj, "choices", f"{label}.choices", min_len=2) if "choices" in obj else None
        if ch:
            texts += [(f"choices[{j}]", c) for j, c in enumerate(ch)]
            for lang in LANGS:
                seen: dict[str, int] = {}
                for j, c in enumerate(ch):
                    s = " ".join(c[lang].split()).casefold()
                    if s in seen:
                        self.p(_line(obj["choices"], j), f"{label}.choices[{j}].{lang}",
                               f"the same text as choice {seen[s]} (choices count from 0)")
                    seen.setdefault(s, j)
        return ch

    def _index(self, v: Any, n: int, line: int | None, kp: str) -> bool:
        if isinstance(v, bool) or not isinstance(v, int):
            self.p(line, kp, f"expected a choice number (0 is the first choice), got {_typename(v)}")
            return False
        if not 0 <= v < n:
            self.p(line, kp, f"answer {v} is out of range: there are {n} choices, numbered 0–{n - 1}")
            return False
        return True

    def _choice(self, obj, label, prompt, compute, texts) -> None:
        ch = self._choices(obj, label, texts)
        if ch and "answer" in obj:
            self._index(obj["answer"], len(ch), _line(obj, "answer"), f"{label}.answer")

    def _multi(self, obj, label, prompt, compute, texts) -> None:
        ch = self._choices(obj, label, texts)
        if "answer" not in obj:
            return
        a = obj["answer"]
        line = _line(obj, "answer")
        if not isinstance(a, list) or not a:
            self.p(line, f"{label}.answer", f"expected a non-empty list of choice numbers, got {_typename(a)}")
            return
        if ch:
            for k, x in enumerate(a):
                self._index(x, len(ch), _line(a, k), f"{label}.answer[{k}]")
        dup = sorted({x for x in a if isinstance(x, int) and a.count(x) > 1})
        if dup:
            self.p(line, f"{label}.answer", f"answers are not unique: {', '.join(map(str, dup))} "
                                            f"appear{'s' if len(dup) == 1 else ''} more than once")

    def _order(self, obj, label, prompt, compute, texts) -> None:
        items = self.text_list(obj, "items", f"{label}.items", min_len=2) if "items" in obj else None
        if items:
            texts += [(f"items[{j}]", c) for j, c in enumerate(items)]
            for lang in LANGS:
                norm = [" ".join(c[lang].split()).casefold() for c in items]
                for j, s in enumerate(norm):
                    if s in norm[:j]:
                        self.p(_line(obj["items"], j), f"{label}.items[{j}].{lang}",
                               f"the same text as item {norm.index(s)}: the order would be ambiguous")

    def _accepted(self, v: Any, line: int | None, kp: str) -> None:
        if not isinstance(v, list) or not v:
            self.p(line, kp, f"expected a non-empty list of accepted answers, got {_typename(v)}{_bool_hint(v)}")
            return
        for k, x in enumerate(v):
            if not isinstance(x, str) or not x.strip():
                why = " (quote numbers, e.g. \"4\")" if _is_number(x) else _bool_hint(x)
                self.p(_line(v, k), f"{kp}[{k}]", f"expected text, got {_typename(x)}{why}")

    def _text(self, obj, label, prompt, compute, texts) -> None:
        if "answers" in obj:
            self._accepted(obj["answers"], _line(obj, "answers"), f"{label}.answers")

    def _cloze(self, obj, label, prompt, compute, texts) -> None:
        if "blanks" not in obj:
            return
        b = obj["blanks"]
        line = _line(obj, "blanks")
        if not isinstance(b, list) or not b:
            self.p(line, f"{label}.blanks", f"expected a list with one list of accepted answers per blank, "
                                            f"got {_typename(b)}")
            return
        for k, x in enumerate(b):
            self._accepted(x, _line(b, k), f"{label}.blanks[{k}]")
        if prompt is None:
            return
        for lang in LANGS:
            nums = [int(w) for kind, w, _ in placeholders(prompt[lang]) if kind == "blank"]
            pl = _line(obj["prompt"], lang) if isinstance(obj["prompt"], LineDict) else _line(obj, "prompt")
            if len(set(nums)) != len(b) or sorted(set(nums)) != list(range(1, len(b) + 1)):
                self.p(pl, f"{label}.prompt.{lang}",
                       f"{len(set(nums))} blank marker(s) {{{{n}}}} but {len(b)} blanks; number them {{{{1}}}} to "
                       f"{{{{{len(b)}}}}}" if nums else f"no blank markers {{{{1}}}}, but {len(b)} blanks")
            elif len(nums) != len(set(nums)):
                self.p(pl, f"{label}.prompt.{lang}", "a blank marker appears twice")

    def _answer_ref(self, obj, label, compute, *, matrix: bool) -> None:
        if "answer" not in obj:
            return
        a = obj["answer"]
        line = _line(obj, "answer")
        kp = f"{label}.answer"
        if not isinstance(a, dict):
            self.p(line, kp, f"expected {{run: <compute name>, key: <output>}} or {{value: <number>}}, "
                             f"got {_typename(a)}")
            return
        self.unknown_keys(a, {"run", "key", "value"}, kp, "answer")
        if "value" in a:
            if "run" in a or "key" in a:
                self.p(line, kp, "give either run: and key: (computed) or value: (typed), not both")
            v = a["value"]
            if matrix:
                self._matrix_literal(v, line, f"{kp}.value", obj)
            elif not _is_number(v) or not math.isfinite(v):
                self.p(line, f"{kp}.value", f"expected a finite number, got {_typename(v)}")
            return
        run, key = a.get("run"), a.get("key")
        if run not in compute:
            known = ", ".join(compute) or "nothing (add a compute: block)"
            self.p(_line(a, "run") if "run" in a else line, f"{kp}.run",
                   f"missing: name a compute of this question ({known})" if run is None else
                   f"{run!r} is not a compute of this question; it computes {known}")
        if not isinstance(key, str):
            self.p(_line(a, "key") if "key" in a else line, f"{kp}.key",
                   "missing: the output to compare with, e.g. theta_a or iterations[0].resp_a[1]" if key is None
                   else f"expected an output path, got {_typename(key)}")
        else:
            try:
                parse_path(key)
            except ValueError as e:
                self.p(_line(a, "key"), f"{kp}.key", str(e))

    def _matrix_literal(self, v, line, kp, obj) -> None:
        import numpy as np

        if not isinstance(v, list) or not v:
            self.p(line, kp, f"expected a list (vector) or a list of rows (matrix), got {_typename(v)}")
            return
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            self.p(line, kp, "expected numbers in equal-length rows")
            return
        if arr.ndim not in (1, 2) or not np.all(np.isfinite(arr)):
            self.p(line, kp, "expected a vector or a matrix of finite numbers")
            return
        self._labels(obj, (1, arr.shape[0]) if arr.ndim == 1 else arr.shape, kp.rsplit(".answer", 1)[0])

    def _labels(self, obj, shape, label) -> list:
        msgs = []
        for key, n in (("rows", shape[0]), ("cols", shape[1])):
            if key in obj and obj[key] is not None:
                labels = obj[key]
                if not isinstance(labels, list) or not all(isinstance(x, (str, int)) for x in labels):
                    msgs.append((key, "expected a list of labels"))
                elif len(labels) != n:
                    msgs.append((key, f"{len(labels)} labels for {n} {key}"))
        for key, msg in msgs:
            self.p(_line(obj, key), f"{label}.{key}", msg)
        return msgs

    def _tolerance(self, obj, label) -> None:
        if "tolerance" not in obj or obj["tolerance"] is None:
            return
        t = obj["tolerance"]
        line = _line(obj, "tolerance")
        kp = f"{label}.tolerance"
        if not isinstance(t, dict):
            self.p(line, kp, f"expected {{rtol: 0.01}}, {{atol: 0.005}}, {{sig: 3}} or {{decimals: 2}}, got {_typename(t)}")
            return
        for k, v in t.items():
            kl = _line(t, k)
            if k not in TOLERANCE_KEYS:
                self.p(kl, f"{kp}.{k}", f"unknown tolerance {k!r}; use rtol, atol, sig or decimals")
            elif k in ("rtol", "atol"):
                if not _is_number(v) or not math.isfinite(v):
                    self.p(kl, f"{kp}.{k}", f"expected a number, got {_typename(v)}")
                elif v < 0:
                    self.p(kl, f"{kp}.{k}", f"must be ≥ 0, got {v}")
            else:
                lo = 1 if k == "sig" else 0
                if isinstance(v, bool) or not isinstance(v, int):
                    self.p(kl, f"{kp}.{k}", f"expected a whole number, got {_typename(v)}")
                elif v < lo:
                    self.p(kl, f"{kp}.{k}", f"must be ≥ {lo}, got {v}")
        given = [k for k in TOLERANCE_KEYS if k in t]
        if ("sig" in given or "decimals" in given) and len(given) > 1:
            self.p(line, kp, f"give one of sig or decimals alone (or rtol/atol), not {' + '.join(given)}")

    def _numeric(self, obj, label, prompt, compute, texts) -> None:
        self._answer_ref(obj, label, compute, matrix=False)
        self._tolerance(obj, label)

    def _matrix(self, obj, label, prompt, compute, texts) -> None:
        self._answer_ref(obj, label, compute, matrix=True)
        self._tolerance(obj, label)

    def _exercise(self, obj, label, prompt, compute, texts) -> None:
        name = obj.get("generator")
        gens = _known("generators")
        if "generator" in obj:
            if not isinstance(name, str):
                self.p(_line(obj, "generator"), f"{label}.generator", f"expected a generator name, got {_typename(name)}")
                return
            if gens is not None and name not in gens:
                self.p(_line(obj, "generator"), f"{label}.generator",
                       f"unknown generator {name!r}{_did_you_mean(name, list(gens))}")
                return
        params = obj.get("params")
        if params is None:
            return
        if not isinstance(params, dict):
            self.p(_line(obj, "params"), f"{label}.params", f"expected a mapping of parameters, got {_typename(params)}")
            return
        gen = gens.get(name) if gens else None
        defaults = dict(getattr(gen, "defaults", {}) or {})
        if defaults:
            for k in params:
                if k not in defaults:
                    self.p(_line(params, k), f"{label}.params.{k}",
                           f"{name} has no parameter {k!r}{_did_you_mean(k, list(defaults))}")


# =========================================================================== discovery and the catalog


def _is_yaml(p: Path) -> bool:
    return p.suffix in (".yaml", ".yml") and not p.name.startswith(".")


def _discover(dirs: list[Path], problems: list[Problem]) -> list[tuple[Path, str, str | None]]:
    """(file, group, folder topic): top-level files are their own group; a folder is one topic."""
    out = []
    for d in dirs:
        d = Path(d)
        if d.is_file():
            out.append((d, str(d), None))
            continue
        if not d.is_dir():
            problems.append(Problem(str(d), None, "dir", "no such content directory"))
            continue
        for entry in sorted(d.iterdir()):
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            if entry.is_dir():
                files = sorted(f for f in entry.rglob("*") if f.is_file() and _is_yaml(f)
                               and "__pycache__" not in f.parts)
                out.extend((f, str(entry), entry.name) for f in files)
            elif entry.is_file() and _is_yaml(entry):
                out.append((entry, str(entry), None))
    return out


def load_catalog(dirs: list[Path] | None = None, *, verify_numbers: bool = False) -> Catalog:
    """Load and check every topic under ``dirs`` (default: the shipped content).

    Problems are collected in :attr:`Catalog.problems`; bad files and items are skipped.
    With ``verify_numbers`` the engine checks of :func:`check_catalog` run too, and items
    that fail them are dropped.
    """
    dirs = [default_content_dir()] if dirs is None else [Path(d) for d in dirs]
    problems: list[Problem] = []
    skipped: list[str] = []
    skipped_items: list[str] = []
    files = _discover(dirs, problems)
    _registry_error.clear()

    results: list[tuple[str, str | None, _FileResult]] = []
    for path, group, folder_topic in files:
        shown = str(path)
        parsed = parse_file(path, shown)
        problems.extend(parsed.problems)
        data = parsed.data
        if data is None:
            skipped.append(shown)
            continue
        ck = _Checker(shown, problems, skipped_items, parsed.has_dups)
        tid, header, fatal = ck.header(data, folder_topic)
        cards: list[Card] = []
        questions: list[Question] = []
        for key, fn, bucket in (("cards", ck.card, cards), ("questions", ck.question, questions)):
            items = data.get(key)
            if isinstance(items, list):
                for i, obj in enumerate(items):
                    it = fn(obj, _line(items, i), i, tid)
                    if it is not None:
                        bucket.append(it)
        results.append((group, folder_topic, _FileResult(shown, data, tid, header, cards, questions, fatal,
                                                         _line(data, "topic"))))
    if _registry_error:
        problems.append(Problem("engine", None, "registry", f"cannot load the engine registry, so engine and "
                                                             f"generator names were not checked: {_registry_error[0]}"))

    # ---- group files into topics
    groups: OrderedDict[str, list[_FileResult]] = OrderedDict()
    for group, _folder, fr in results:
        groups.setdefault(group, []).append(fr)
    topics: dict[str, Topic] = {}
    topic_lines: dict[str, tuple[str, int | None]] = {}
    req_where: dict[str, tuple[str, dict[str, int | None]]] = {}   # topic -> (file, {required id: line})
    for group, frs in groups.items():
        bad = [fr for fr in frs if fr.fatal]
        good = [fr for fr in frs if not fr.fatal]
        skipped.extend(fr.path for fr in bad)
        if not good:
            continue
        tid = good[0].topic
        header: dict[str, tuple[Any, int | None, str]] = {}
        for fr in good:
            for k, (v, line) in fr.header.items():
                if k in header:
                    problems.append(Problem(fr.path, line, k, f"given twice in topic {tid!r} "
                                                              f"(also at {header[k][2]}:{header[k][1]})"))
                else:
                    header[k] = (v, line, fr.path)
        missing = [k for k in ("order", "title") if k not in header]
        if missing:
            if not bad:   # when a file of the folder was skipped, its header is probably the missing one
                where = good[0]
                problems.append(Problem(where.path, _line(where.data, "topic"), missing[0],
                                        f"missing: topic {tid!r} needs {' and '.join(missing)}"
                                        + (" in one file of its folder" if len(frs) > 1 else "")))
            skipped.extend(fr.path for fr in good)
            continue
        if tid in topics:
            first = topic_lines[tid]
            here = (good[0].path, good[0].topic_line)
            problems.append(Problem(here[0], here[1], "topic", f"duplicate topic {tid!r} (first at {first[0]}:{first[1]}); "
                                                               "this one is skipped"))
            problems.append(Problem(first[0], first[1], "topic", f"duplicate topic {tid!r} (also at {here[0]}:{here[1]})"))
            skipped.extend(fr.path for fr in good)
            continue
        header_file = header["order"][2]
        hfr = next(fr for fr in good if fr.path == header_file)
        topic_lines[tid] = (hfr.path, hfr.topic_line)
        topics[tid] = Topic(
            id=tid, order=header["order"][0], title=header["title"][0],
            summary=header["summary"][0] if "summary" in header else None,
            requires=[x for x, _ in header["requires"][0]] if "requires" in header else [],
            source=header["source"][0] if "source" in header else [],
            cards=[c for fr in good for c in fr.cards], questions=[q for fr in good for q in fr.questions],
            path=group, line=hfr.topic_line, files=[fr.path for fr in good])
        if "requires" in header:
            req_where[tid] = (header["requires"][2], {x: ln for x, ln in header["requires"][0]})

    # ---- unique item ids across all topics
    seen: dict[str, Card | Question] = {}
    for t in topics.values():
        for bucket in (t.cards, t.questions):
            keep = []
            for it in bucket:
                first = seen.get(it.id)
                if first is None:
                    seen[it.id] = it
                    keep.append(it)
                    continue
                problems.append(Problem(it.path, it.line, it.id, f"duplicate id (first at {first.path}:{first.line}); "
                                                                 "this one is skipped"))
                problems.append(Problem(first.path, first.line, first.id, f"duplicate id (also at {it.path}:{it.line})"))
                skipped_items.append(f"{it.id}@{it.path}:{it.line}")
            bucket[:] = keep

    _check_requires(topics, req_where, problems)

    ordered = dict(sorted(topics.items(), key=lambda kv: (kv[1].order, kv[0])))
    problems.sort(key=lambda p: (p.path, p.line or 0))
    cat = Catalog(topics=ordered, problems=problems, skipped=sorted(set(skipped)), skipped_items=skipped_items)
    if verify_numbers:
        deep = _deep_checks(cat, drop=True)
        cat.problems.extend(deep)
        cat.deep_problems = deep
        cat.verified = True
    cat._reindex()
    return cat


def _check_requires(topics: dict[str, Topic], where: dict[str, tuple[str, dict]], problems: list[Problem]) -> None:
    """Unknown prerequisites and cycles: reported (a cycle once, with its path), the edge dropped."""
    for t in topics.values():
        path, lines = where.get(t.id, (t.path, {}))
        keep = []
        for r in t.requires:
            if r not in topics:
                problems.append(Problem(path, lines.get(r), f"requires.{r}",
                                        f"unknown topic {r!r}{_did_you_mean(r, sorted(topics))}"))
            elif r in keep:
                problems.append(Problem(path, lines.get(r), f"requires.{r}", "listed twice"))
            else:
                keep.append(r)
        t.requires = keep
    while True:
        cycle = _find_cycle(topics)
        if cycle is None:
            return
        start, nxt = cycle[0], cycle[1]
        t = topics[start]
        path, lines = where.get(start, (t.path, {}))
        problems.append(Problem(path, lines.get(nxt), "requires",
                                "prerequisite cycle: " + " → ".join(cycle) + "; the edge "
                                f"{start} → {nxt} is ignored"))
        t.requires = [r for r in t.requires if r != nxt]


def _find_cycle(topics: dict[str, Topic]) -> list[str] | None:
    """One cycle (as a closed path of ids, starting at its smallest id), or None. Iterative DFS."""
    color: dict[str, int] = {}
    for root in sorted(topics):
        if color.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(topics[root].requires)))]
        on_path = [root]
        color[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                color[node] = 2
                stack.pop()
                on_path.pop()
                continue
            if color.get(nxt) == 1:
                cyc = on_path[on_path.index(nxt):]
                k = cyc.index(min(cyc))
                cyc = cyc[k:] + cyc[:k]
                return cyc + [cyc[0]]
            if not color.get(nxt):
                color[nxt] = 1
                on_path.append(nxt)
                stack.append((nxt, iter(sorted(topics[nxt].requires))))
    return None


# =========================================================================== deep (engine) checks


def item_texts(item: Card | Question) -> list[tuple[str, dict]]:
    """Every learner-facing text of an item as (field, {ko, en})."""
    out: list[tuple[str, dict]] = []
    if isinstance(item, Card):
        out += [("title", item.title), ("body", item.body)]
        if item.note:
            out.append(("note", item.note))
        out += [(f"show[{j}].title", s["title"]) for j, s in enumerate(item.show) if s.get("title")]
        return out
    if item.prompt:
        out.append(("prompt", item.prompt))
    if item.explain:
        out.append(("explain", item.explain))
    out += [(f"hints[{j}]", h) for j, h in enumerate(item.hints)]
    for key in ("choices", "items"):
        out += [(f"{key}[{j}]", c) for j, c in enumerate(item.data.get(key) or [])]
    return out


def _item_line(item: Card | Question, fld: str) -> int | None:
    line = _field_line(item.lines, fld)
    return line if line is not None else item.line


def verify_item(item: Card | Question) -> list[Problem]:
    """Run the item's engine computations and resolve everything that depends on them."""
    probs: list[Problem] = []

    def p(fld: str, key: str, msg: str) -> None:
        probs.append(Problem(item.path, _item_line(item, fld), key, msg))

    runs: dict[str, Any] = {}
    for name, spec in item.compute.items():
        try:
            runs[name] = run_one(spec, name)
        except ComputeError as e:
            p(f"compute.{name}", f"{item.id}.compute.{name}", e.message)
    failed = set(item.compute) - set(runs)
    for fld, text in item_texts(item):
        for lang in LANGS:
            for kind, what, fmt_spec in placeholders(text[lang]):
                if kind != "ph" or parse_path(what)[0] in failed:
                    continue
                try:
                    render("{{" + what + (":" + fmt_spec if fmt_spec else "") + "}}", runs, strict=True)
                except PlaceholderError as e:
                    p(f"{fld}.{lang}", f"{item.id}.{fld}.{lang}", f"placeholder {e}")
    if isinstance(item, Card):
        for j, s in enumerate(item.show):
            if s["run"] in failed or s["run"] not in runs:
                continue
            out = runs[s["run"]]
            for key in s.get("keys") or []:
                if not isinstance(out, Mapping) or key not in out:
                    known = ", ".join(map(str, out)) if isinstance(out, Mapping) else "none"
                    p(f"show[{j}].keys", f"{item.id}.show[{j}].keys", f"run {s['run']!r} has no output {key!r} (outputs: {known})")
        return probs
    if item.kind in ("numeric", "matrix"):
        ans = item.data["answer"]
        if "value" not in ans and ans["run"] not in failed:
            try:
                value = resolve_path(runs[ans["run"]], ans["key"])
            except (KeyError, IndexError, ValueError) as e:
                p("answer", f"{item.id}.answer.key", str(e).strip("'\""))
            else:
                _check_answer_value(item, value, p)
    elif item.kind == "exercise":
        err = _variant_error(item.data["generator"], item.data.get("params") or {})
        if err:
            p("params" if "params" in item.lines else "generator", f"{item.id}.params", err)
    return probs


def _check_answer_value(item: Question, value: Any, p) -> None:
    import numpy as np

    if item.kind == "numeric":
        if not _is_number(value) or not math.isfinite(float(value)):
            p("answer", f"{item.id}.answer.key", f"resolves to {_typename(value) if not _is_number(value) else value}, "
                                                 "not one finite number")
        return
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        p("answer", f"{item.id}.answer.key", f"resolves to {_typename(value)}, not a vector or matrix of numbers")
        return
    if arr.ndim not in (1, 2) or not np.all(np.isfinite(arr)):
        p("answer", f"{item.id}.answer.key", f"resolves to a {arr.ndim}-D value; a matrix answer is 1-D or 2-D "
                                             "with finite numbers")
        return
    shape = (1, arr.shape[0]) if arr.ndim == 1 else arr.shape
    for key, n in (("rows", shape[0]), ("cols", shape[1])):
        labels = item.data.get(key)
        if labels is not None and len(labels) != n:
            p(key, f"{item.id}.{key}", f"{len(labels)} labels but the answer has {n} {key}")


def _variant_error(name: str, params: Mapping[str, Any]) -> str | None:
    key = _canonical([name, params])
    if key in _VARIANT_CACHE:
        return _VARIANT_CACHE[key]
    from engine.registry import get_generator

    err = None
    try:
        gen = get_generator(name)
        v = gen.variant(0, _plain(params))
        if not v.fields:
            err = f"{name} drew a variant with no answer fields"
    except KeyError:
        err = f"unknown generator {name!r}"
    except Exception as e:  # bad params surface as any exception inside make()
        err = f"{name} cannot draw a variant with these params: {type(e).__name__}: {e}"
    _VARIANT_CACHE[key] = err
    return err


def _deep_checks(cat: Catalog, *, drop: bool) -> list[Problem]:
    out: list[Problem] = []
    for t in cat.topics.values():
        for bucket in (t.cards, t.questions):
            keep = []
            for it in bucket:
                probs = verify_item(it)
                out.extend(probs)
                if probs and drop:
                    cat.skipped_items.append(it.id)
                else:
                    keep.append(it)
            if drop:
                bucket[:] = keep
    out.sort(key=lambda p: (p.path, p.line or 0))
    return out


def check_catalog(catalog: Catalog, *, verify_numbers: bool = True) -> list[Problem]:
    """The deep checks: every compute run, placeholder, ``show`` key and numeric/matrix answer
    resolved with the engine, and one variant (seed 0) of every exercise drawn.

    Returns only these problems (the loader's own are in ``catalog.problems``); the catalog is
    not changed. With ``verify_numbers=False`` there is nothing more to check.
    """
    if not verify_numbers:
        return []
    if catalog.verified:
        return list(catalog.deep_problems)
    return _deep_checks(catalog, drop=False)


# =========================================================================== summary


def summary(catalog: Catalog) -> list[dict]:
    """Per topic, in curriculum order: counts of cards, questions by kind, exercises, literal answers."""
    rows = []
    for t in catalog.topics.values():
        by_kind: dict[str, int] = {}
        for q in t.questions:
            by_kind[q.kind] = by_kind.get(q.kind, 0) + 1
        rows.append({
            "topic": t.id, "order": t.order, "title": dict(t.title), "path": t.path,
            "requires": list(t.requires), "cards": len(t.cards), "questions": len(t.questions),
            "by_kind": dict(sorted(by_kind.items())), "exercises": by_kind.get("exercise", 0),
            "literal_answers": sum(q.literal for q in t.questions),
        })
    return rows


__all__ = [
    "Card", "Catalog", "ComputeError", "ContentLoader", "KINDS", "LANGS", "MAX_DEPTH", "MAX_FILE_BYTES",
    "MAX_NODES", "PlaceholderError", "Problem", "Question", "Topic", "cache_info", "check_catalog",
    "clear_cache", "default_content_dir", "expected_answer", "format_value", "item_texts", "load_catalog",
    "parse_file", "parse_path", "placeholders", "render", "resolve_path", "run_compute", "run_one", "summary",
    "tolerance_of", "verify_item",
]
