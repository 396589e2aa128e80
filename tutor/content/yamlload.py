"""Reading one content file: a safe YAML loader that keeps line marks, and a parse cache.

:func:`parse_file` turns a file into a tree of :class:`LineDict`/:class:`LineList` (every value
knows its line) plus the problems found while reading it; the limits are in :mod:`.spec`.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

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

from tutor.model import Problem

from .spec import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from .util import _cache_lock, _typename


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
_cache_stats = {"hits": 0, "misses": 0}


def cache_info() -> dict[str, int]:
    """Parse-cache counters (for tests and benchmarks)."""
    return {**_cache_stats, "size": len(_PARSE_CACHE)}


def parse_file(path: Path, display: str | None = None) -> _Parsed:
    """Read and parse one YAML file (cached by path, mtime and size)."""
    shown = display if display is not None else str(path)
    try:
        st = os.stat(path)
    except OSError as e:
        return _unreadable(shown, e)
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


def _unreadable(shown: str, e: OSError) -> _Parsed:
    return _Parsed(None, [Problem(shown, None, "file", f"cannot read: {e.strerror or e}")])


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
        return _unreadable(shown, e)
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


# ----------------------------------------------------------------------------- line marks


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
