"""The engine side of content: ``compute`` runs, expected answers, registry names, exercise variants.

The engine is imported only inside these functions, never when this module is imported. Runs
and variants are cached by their content (``clear_cache`` in :mod:`.catalog` empties them).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, Mapping

from tutor.model import Question

from .placeholder import resolve_path
from .util import _cache_lock, _plain


class ComputeError(ValueError):
    def __init__(self, name: str, message: str, key: str = ""):
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.key = name, message, key


_RUN_CACHE: OrderedDict[str, Any] = OrderedDict()
_VARIANT_CACHE: dict[str, str | None] = {}
_RUN_CACHE_MAX = 512
RUN_SECONDS = 0.5      # the deadline of one engine call made for content (engine.core.budget)


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)


def run_one(spec: Mapping[str, Any], name: str = "run") -> dict:
    """Run one compute entry ``{engine, inputs, mistake}`` (cached by its content)."""
    key = _canonical([spec.get("engine"), spec.get("inputs"), spec.get("mistake")])
    with _cache_lock:
        if key in _RUN_CACHE:
            _RUN_CACHE.move_to_end(key)
            return _RUN_CACHE[key]
    from engine.core import InputError, TooMuchWork, budget
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
        with budget(RUN_SECONDS):
            out = alg.run(_plain(inputs), mistake=mistake) if mistake else alg.run(_plain(inputs))
    except TooMuchWork:
        raise ComputeError(name, f"{engine} stopped: over its {RUN_SECONDS:g} s time limit", "inputs") from None
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


# ----------------------------------------------------------------------------- engine names


_registry_error: list[str] = []   # why the registry could not be imported (set by _known)


def _known(kind: str) -> dict | None:
    """The registry's algorithms or generators, or None when the engine cannot be imported."""
    try:
        from engine import registry

        return registry.algorithms() if kind == "algorithms" else registry.generators()
    except Exception as e:  # a broken engine module must not hide every content problem
        _registry_error[:] = [f"{type(e).__name__}: {e}"]
        return None


# ----------------------------------------------------------------------------- exercise variants


def _variant_error(name: str, params: Mapping[str, Any]) -> str | None:
    """Why generator ``name`` cannot draw its seed-0 variant with ``params``, or None (cached)."""
    key = _canonical([name, params])
    if key in _VARIANT_CACHE:
        return _VARIANT_CACHE[key]
    from engine.core import InputError, TooMuchWork, budget
    from engine.registry import get_generator

    err = None
    try:
        gen = get_generator(name)
        with budget(RUN_SECONDS):
            v = gen.variant(0, _plain(params))
        if not v.fields:
            err = f"{name} drew a variant with no answer fields"
    except KeyError:
        err = f"unknown generator {name!r}"
    except TooMuchWork:
        err = f"{name} stopped: drawing a variant is over its {RUN_SECONDS:g} s time limit"
    except InputError as e:
        err = f"{e.key}: {e.message}"
    except Exception as e:  # bad params surface as any exception inside make()
        err = f"{name} cannot draw a variant with these params: {type(e).__name__}: {e}"
    _VARIANT_CACHE[key] = err
    return err
