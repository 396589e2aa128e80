"""Numeric verification, the deep part of ``check-content``: every number a lesson states is the engine's.

Every ``compute`` is run with the engine, every placeholder, ``show`` key and numeric/matrix answer
resolved, and one variant (seed 0) of every exercise drawn. :func:`check_catalog` reports on a
loaded catalog without changing it; ``load_catalog(verify_numbers=True)`` imports this module
(only then) and drops the items that fail.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from tutor.model import Card, Catalog, Problem, Question

from .compute import ComputeError, _variant_error, run_one
from .placeholder import PlaceholderError, parse_path, placeholders, render, resolve_path
from .spec import LANGS
from .util import _is_number, _typename
from .yamlload import _field_line


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
    out += [(f"choices[{j}].why", w) for j, w in enumerate(item.data.get("why") or []) if w]
    out += [(f"mistakes[{j}].why", m["why"]) for j, m in enumerate(item.data.get("mistakes") or [])]
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
        if item.kind == "numeric":
            _check_mistakes(item, runs, failed, p)
    elif item.kind == "exercise":
        err = _variant_error(item.data["generator"], item.data.get("params") or {})
        if err:
            p("params" if "params" in item.lines else "generator", f"{item.id}.params", err)
    return probs


def _check_mistakes(item: Question, runs: Mapping[str, Any], failed: set, p) -> None:
    """Each listed mistake of a numeric question resolves to one finite number that the right
    answer does not equal within the tolerance (else it could never be told apart)."""
    from .compute import expected_answer, tolerance_of

    try:
        want = float(expected_answer(item, runs))
    except Exception:   # the answer's own problem is reported above
        want = None
    tol = tolerance_of(item)
    for j, m in enumerate(item.data.get("mistakes") or []):
        fld, kp = f"mistakes[{j}]", f"{item.id}.mistakes[{j}]"
        if "value" in m:
            value = m["value"]
        elif m["run"] in failed:
            continue
        else:
            try:
                value = resolve_path(runs[m["run"]], m["key"])
            except (KeyError, IndexError, ValueError) as e:
                p(fld, f"{kp}.key", str(e).strip("'\""))
                continue
            if not _is_number(value) or not math.isfinite(float(value)):
                p(fld, f"{kp}.key", f"resolves to {_typename(value) if not _is_number(value) else value}, "
                                    "not one finite number")
                continue
        if want is not None and tol.ok(float(value), want):
            p(fld, f"{kp}.value", f"gives {value:g}, which is the right answer within the tolerance: a mistake "
                                  "must give a different value")


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

    The Korean style checks of :mod:`.style` (avoided terms, detached particles, note headings)
    run too, also with ``verify_numbers=False``. Returns only these problems (the loader's own
    are in ``catalog.problems``); the catalog is not changed.
    """
    from .style import style_problems

    if catalog.verified:
        return list(catalog.deep_problems)
    style = style_problems(catalog)
    if not verify_numbers:
        return style
    return sorted(_deep_checks(catalog, drop=False) + style, key=lambda p: (p.path, p.line or 0))
