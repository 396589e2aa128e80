"""Helpers the algorithms share.

(A module whose name starts with ``_`` is not an algorithm: :mod:`engine.registry` skips it.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.core import InputError, Mistake


def check_mistake(mistake: str | None, mistakes: tuple[Mistake, ...]) -> None:
    """Every ``run(inputs, mistake)`` starts here: an id not in ``mistakes`` is an :class:`InputError`
    on the key ``mistake`` that lists the known ids."""
    if mistake is not None and mistake not in {m.id for m in mistakes}:
        raise InputError("mistake", f"unknown mistake {str(mistake)[:40]!r}; known: "
                         + ", ".join(m.id for m in mistakes))


def sigmoid(z: Any) -> np.ndarray:
    """σ(z) = 1 / (1 + e^−z), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))                        # in (0, 1], never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
