"""Small helpers shared by the content modules: type names for messages, number tests, plain copies."""

from __future__ import annotations

import difflib
import threading
from typing import Any, Mapping

_cache_lock = threading.Lock()   # the parse, run and variant caches


def _is_number(v: Any) -> bool:
    try:
        import numpy as np
        if isinstance(v, np.generic):
            return isinstance(v, (np.integer, np.floating))
    except ImportError:  # pragma: no cover
        pass
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _did_you_mean(name: Any, known: list[str]) -> str:
    near = difflib.get_close_matches(str(name), known, n=1)
    if near:
        return f"; did you mean {near[0]!r}?"
    return f"; known: {', '.join(known[:12])}" + (" …" if len(known) > 12 else "")


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
