"""The catalog: every content file found, checked and grouped into topics, prerequisites resolved.

:func:`load_catalog` is the loader's entry point (its promises are in the :mod:`tutor.content`
docstring); :func:`summary` gives check-content its table.
"""

from __future__ import annotations

import stat
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tutor.model import Card, Catalog, Problem, Question, Topic, default_content_dir

from .compute import _RUN_CACHE, _VARIANT_CACHE, _registry_error
from .schema import _Checker
from .util import _cache_lock, _did_you_mean
from .yamlload import _PARSE_CACHE, _cache_stats, _line, parse_file


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


def clear_cache() -> None:
    """Empty the parse, run and variant caches and reset the parse-cache counters."""
    with _cache_lock:
        _PARSE_CACHE.clear()
        _RUN_CACHE.clear()
        _VARIANT_CACHE.clear()
        _cache_stats.update(hits=0, misses=0)


# ----------------------------------------------------------------------------- discovery


def _is_yaml(p: Path) -> bool:
    return p.suffix in (".yaml", ".yml") and not p.name.startswith(".")


def _discover(dirs: list[Path], problems: list[Problem]) -> list[tuple[Path, str, str | None]]:
    """(file, group, folder topic): top-level files are their own group; a folder is one topic.

    Nothing outside a content folder is read: a symbolic link that points out of it (or
    nowhere) is reported and not followed. A FIFO, socket or device is reported and never
    opened (opening a FIFO would wait for a writer)."""
    out = []
    for d in dirs:
        d = Path(d)
        if d.is_file():
            out.append((d, str(d), None))
            continue
        if not d.is_dir():
            problems.append(Problem(str(d), None, "dir", "no such content directory"))
            continue
        root = d.resolve()
        for entry, kind in _entries(d, root, problems):
            if kind == "dir":
                files = sorted(f for f, k in _walk(entry, root, problems) if k == "file" and _is_yaml(f))
                out.extend((f, str(entry), entry.name) for f in files)
            elif kind == "file" and _is_yaml(entry):
                out.append((entry, str(entry), None))
    return out


def _entries(folder: Path, root: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    """The visible entries of ``folder`` as (path, "file" | "dir"); links out of ``root`` and
    special files are reported instead."""
    out = []
    try:
        names = sorted(folder.iterdir())
    except OSError as e:
        problems.append(Problem(str(folder), None, "dir", f"cannot read: {e.strerror or e}"))
        return out
    for entry in names:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        try:
            st = entry.lstat()
            if stat.S_ISLNK(st.st_mode):
                target = entry.resolve()
                if not target.exists():
                    problems.append(Problem(str(entry), None, "file", "a symbolic link to nothing: skipped"))
                    continue
                if target != root and root not in target.parents:
                    problems.append(Problem(str(entry), None, "file", "a symbolic link to a place outside the "
                                                                      "content folder: not followed"))
                    continue
                st = target.stat()
        except (OSError, RuntimeError) as e:   # RuntimeError: a symlink loop (Python < 3.13)
            problems.append(Problem(str(entry), None, "file", f"cannot read: {getattr(e, 'strerror', None) or e}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            out.append((entry, "dir"))
        elif stat.S_ISREG(st.st_mode):
            out.append((entry, "file"))
        else:
            what = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a special file (device or socket)"
            problems.append(Problem(str(entry), None, "file", f"{what}, not a file: skipped"))
    return out


def _walk(folder: Path, root: Path, problems: list[Problem], depth: int = 0) -> list[tuple[Path, str]]:
    out = []
    for entry, kind in _entries(folder, root, problems):
        out.append((entry, kind))
        if kind == "dir" and depth < 20:     # a link back up inside the folder cannot loop forever
            out.extend(_walk(entry, root, problems, depth + 1))
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
        from .style import style_problems
        from .verify import _deep_checks  # numeric verification is check-content's: imported only when asked

        deep = _deep_checks(cat, drop=True)
        deep = sorted(deep + style_problems(cat), key=lambda p: (p.path, p.line or 0))   # style: nothing dropped
        cat.problems.extend(deep)
        cat.deep_problems = deep
        cat.verified = True
    cat._reindex()
    return cat


# ----------------------------------------------------------------------------- prerequisites


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


# ----------------------------------------------------------------------------- summary


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
            "wrong_explained": sum(wrong_explained(q) is True for q in t.questions),
            "wrong_unexplained": sum(wrong_explained(q) is False for q in t.questions),
        })
    return rows


def wrong_explained(q) -> bool | None:
    """Whether a choice/multi question explains every wrong option (``why``) and a numeric one
    lists ``mistakes:``; None for the other kinds."""
    if q.kind in ("choice", "multi"):
        right = set(q.data["answer"]) if q.kind == "multi" else {q.data["answer"]}
        whys = q.data.get("why") or [None] * len(q.data["choices"])
        return all(w for j, w in enumerate(whys) if j not in right)
    if q.kind == "numeric":
        return bool(q.data.get("mistakes"))
    return None
