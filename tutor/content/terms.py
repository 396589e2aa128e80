"""The terminology table: ``terms:`` in a content file (the shipped one is in ``glossary.yaml``).

One entry per concept::

    terms:
      - ko: 기울기 소실                 # the course's Korean term (one term per concept)
        en: vanishing gradient         # its English name
        accept: [vanishing gradients]  # optional: other spellings, transliterations, translations
        avoid: [그래디언트 소실]         # optional: forms our texts must not use (still accepted as answers)

Grading (:mod:`tutor.textmatch`) accepts every form of a term wherever one of them is an accepted
answer; ``check-content`` reports every avoided form in the texts (:mod:`.style`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor.model import Catalog, Problem

from .util import _typename
from .yamlload import _line

TERM_KEYS = ("ko", "en", "accept", "avoid")


def check_terms(data: dict, path: str, problems: list[Problem]) -> None:
    """Check a file's ``terms:`` table. Problems are reported; the file still loads."""
    from tutor.textmatch import has_hangul, normalise

    if "terms" not in data:
        return
    rows = data["terms"]
    if not isinstance(rows, list):
        problems.append(Problem(path, _line(data, "terms"), "terms", f"expected a list of terms, got {_typename(rows)}"))
        return
    seen: dict[str, tuple[int, int | None]] = {}
    for i, row in enumerate(rows):
        kp = f"terms[{i}]"
        if not isinstance(row, dict):
            problems.append(Problem(path, _line(rows, i), kp, f"expected {{ko: ..., en: ..., accept: [...], avoid: [...]}}, "
                                                              f"got {_typename(row)}"))
            continue
        for k in row:
            if k not in TERM_KEYS:
                problems.append(Problem(path, _line(row, k), f"{kp}.{k}", f"unknown key; term keys are {', '.join(TERM_KEYS)}"))
        for k in ("ko", "en"):
            v = row.get(k)
            if not isinstance(v, str) or not v.strip():
                problems.append(Problem(path, _line(row, k) if k in row else _line(rows, i), f"{kp}.{k}",
                                        f"missing: the {'Korean' if k == 'ko' else 'English'} term, as text"))
        if isinstance(row.get("ko"), str) and row["ko"].strip() and not has_hangul(row["ko"]):
            problems.append(Problem(path, _line(row, "ko"), f"{kp}.ko", f"{row['ko']!r} has no Hangul: ko is the Korean term"))
        for k in ("accept", "avoid"):
            v = row.get(k)
            if v is None:
                continue
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                problems.append(Problem(path, _line(row, k), f"{kp}.{k}", "expected a list of texts"))
        forms = [row.get("ko"), row.get("en"), *(row.get("accept") or [])]
        for f in forms:
            if not isinstance(f, str):
                continue
            n = normalise(f)
            if n in seen and seen[n][0] != i:
                j, ln = seen[n]
                problems.append(Problem(path, _line(rows, i), kp, f"{f!r} is also a form of terms[{j}] (line {ln}): "
                                                                  "a form names one concept"))
            seen.setdefault(n, (i, _line(rows, i)))


def catalog_glossary(catalog: Catalog):
    """The terms of the catalog's files; the shipped glossary when they have none."""
    from tutor.textmatch import Glossary, default_glossary

    from .yamlload import parse_file

    rows: list[Any] = []
    for t in catalog.topics.values():
        for f in t.files:
            data = parse_file(Path(f), f).data
            if isinstance(data, dict) and isinstance(data.get("terms"), list):
                rows.extend(data["terms"])
    return Glossary.from_data(rows) if rows else default_glossary()
