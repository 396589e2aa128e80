"""Discovery of algorithms (``engine/algorithms/*.py``) and generators (``engine/generators/*.py``).

Each module registers its objects with :func:`algorithm` / :func:`generator` at import.
Modules are imported on first lookup, so ``import engine`` stays cheap.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from engine.core import Algorithm, Generator

_ALGORITHMS: dict[str, Algorithm] = {}
_GENERATORS: dict[str, Generator] = {}
_loaded: set[str] = set()
_lock = threading.Lock()


def algorithm(alg: Algorithm) -> Algorithm:
    if alg.name in _ALGORITHMS and _ALGORITHMS[alg.name] is not alg:
        raise ValueError(f"algorithm {alg.name!r} registered twice")
    _ALGORITHMS[alg.name] = alg
    return alg


def generator(cls: type) -> type:
    gen = cls()
    if gen.name in _GENERATORS:
        raise ValueError(f"generator {gen.name!r} registered twice")
    _GENERATORS[gen.name] = gen
    return cls


def _load(package: str) -> None:
    with _lock:
        if package in _loaded:
            return
        pkg = importlib.import_module(package)
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{package}.{info.name}")
        _loaded.add(package)


def algorithms() -> dict[str, Algorithm]:
    _load("engine.algorithms")
    return dict(sorted(_ALGORITHMS.items()))


def generators() -> dict[str, Generator]:
    _load("engine.generators")
    return dict(sorted(_GENERATORS.items()))


def _guess(package: str, name: str, found: dict) -> None:
    """Import only the module a name most likely lives in (``em-coins`` → ``em_coins``, ``gmm-em``
    → ``gmm``, ``kmeans.step`` → ``kmeans``): a one-off lookup (``tutor solve NAME``, one exercise)
    then skips importing every module. A wrong guess costs nothing: the caller loads them all."""
    if name in found or package in _loaded:
        return
    stem = name.split(".")[0]
    for module in dict.fromkeys((stem.replace("-", "_"), stem.split("-")[0])):
        if module.isidentifier() and not module.startswith("_"):
            try:
                importlib.import_module(f"{package}.{module}")
            except ModuleNotFoundError as e:
                if e.name != f"{package}.{module}":
                    raise
            if name in found:
                return


def get_algorithm(name: str) -> Algorithm:
    _guess("engine.algorithms", name, _ALGORITHMS)
    if name in _ALGORITHMS:
        return _ALGORITHMS[name]
    algs = algorithms()
    if name not in algs:
        raise KeyError(name)
    return algs[name]


def get_generator(name: str) -> Generator:
    _guess("engine.generators", name, _GENERATORS)
    if name in _GENERATORS:
        return _GENERATORS[name]
    gens = generators()
    if name not in gens:
        raise KeyError(name)
    return gens[name]
