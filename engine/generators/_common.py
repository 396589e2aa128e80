"""Helpers the exercise generators share: text, the learner's own answers, rejecting
degenerate variants, and picking mistakes from an algorithm's catalog.

(A module whose name starts with ``_`` is not a generator: :mod:`engine.registry` skips it.)
Numbers inside worked lines are formatted with :func:`engine.core.paren` / :func:`engine.core.fmt`.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

from engine.core import Degenerate, Mistake, Variant, fmt


def T(en: str, ko: str) -> dict[str, str]:
    """A text in both languages."""
    return {"en": en, "ko": ko}


def sub(n: int) -> str:
    """``n`` as subscript digits: μ₁ as the prompts write it, not μ1."""
    return str(n).translate(_SUBSCRIPTS)


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def numbers(xs: Iterable[float]) -> str:
    """A list of numbers for a prompt: ``1.5, -2, 0.25``."""
    return ", ".join(fmt(float(x), 4) for x in xs)


def given(answers: Mapping[str, float] | None, *names: str) -> list[float] | None:
    """The learner's values of ``names`` (for error carried forward), or None unless all of them
    are given and finite."""
    if not answers or any(answers.get(n) is None for n in names):
        return None
    vals = [float(answers[n]) for n in names]
    return vals if all(math.isfinite(x) for x in vals) else None


def reject_coincident(v: Variant, right: Mapping[str, float], mistakes: Mapping[str, Mapping[str, float]],
                      *, margin: float = 1.0, same_fields_only: bool = False) -> None:
    """Raise :class:`Degenerate` when a mistake's values are not finite, or lie within ``margin`` ×
    the field's resolution of the right answer (or of an earlier mistake's) on every field they share.

    With ``same_fields_only`` a mistake is compared with another mistake only when both give the
    same fields (the right answer always gives every field).
    (``Generator.check_diagnosable`` then checks that each mistake is diagnosed as itself.)
    """
    seen = [dict(right)]
    for vals in mistakes.values():
        if not all(math.isfinite(x) for x in vals.values()):
            raise Degenerate("a mistake gives a non-finite value")
        for other in seen:
            if same_fields_only and other is not seen[0] and set(other) != set(vals):
                continue
            keys = [k for k in vals if k in other]
            if keys and all(abs(vals[k] - other[k]) <= margin * v.field(k).tol.resolution(other[k]) for k in keys):
                raise Degenerate("a mistake coincides with another answer")
        seen.append(dict(vals))


def by_id(catalog: Iterable[Mistake], *ids: str) -> tuple[Mistake, ...]:
    """The mistakes named ``ids`` from ``catalog``, in the order of ``ids``; KeyError for an unknown id."""
    known = {m.id: m for m in catalog}
    return tuple(known[i] for i in ids)
