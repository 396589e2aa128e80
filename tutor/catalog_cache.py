"""A JSON cache of the loaded, validated catalog, so the app starts without re-parsing YAML.

Two files: the full catalog (``content-cache.json``, ≈1 MB) and its summary for the home screen
(``content-cache.index.sqlite3``, a few kB: :mod:`tutor.summary_index`). The app starts from the summary and reads the full
catalog when a screen first needs it (:class:`CatalogSource`), so the first screen waits for
neither. The cache is keyed by every content file (path, mtime, size), the engine's source files
(generator and algorithm names are part of validation) and the tutor version; any change
rebuilds it. JSON and SQLite, not pickle: the cache is data and is never executed. A cache that cannot
be read or written is ignored (the content is then simply loaded).
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING

from tutor import __version__, summary_index
from tutor.catalog_summary import Problem, Summary, default_content_dir
from tutor.summary_index import index_path as index_file

if TYPE_CHECKING:
    from tutor.model import Catalog

FORMAT = 2   # 2: the summary file


def _stamp(root: Path, suffix: str | tuple[str, ...]) -> list:
    """[path, mtime, size] of every file below ``root`` (or ``root`` itself, a file) whose name
    ends with ``suffix``.

    os.scandir, not Path.rglob: this runs at every start and is 3× faster (0.5 vs 1.5 ms)."""
    if root.is_file():
        st = root.stat()
        return [[str(root), st.st_mtime_ns, st.st_size]]
    out = []
    stack = [str(root)]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        if e.name != "__pycache__":
                            stack.append(e.path)
                    elif e.name.endswith(suffix):
                        try:
                            st = e.stat()
                        except OSError:   # e.g. a dangling link
                            continue
                        out.append([e.path, st.st_mtime_ns, st.st_size])
        except OSError:
            continue
    out.sort()
    return out


def fingerprint(dirs: list[Path]) -> dict:
    import engine

    engine_dir = Path(engine.__file__).parent
    checks_dir = Path(__file__).parent / "content"   # the loader and its checks (an edit in a source tree)
    return {"format": FORMAT, "version": __version__,
            "content": [_stamp(Path(d), (".yaml", ".yml")) for d in dirs],   # what the loader reads
            "engine": _stamp(engine_dir, ".py"), "checks": _stamp(checks_dir, ".py")}


def _to_json(cat: Catalog) -> dict:
    return {"topics": [asdict(t) for t in cat.topics.values()],
            "problems": [p.as_dict() for p in cat.problems],
            "skipped": list(cat.skipped), "skipped_items": list(cat.skipped_items)}


def _from_json(d: dict) -> Catalog:
    from tutor.model import Card, Catalog, Question, Topic  # the full catalog: not on the start path

    topics = {}
    card_fields = {f.name for f in fields(Card)}
    question_fields = {f.name for f in fields(Question)}
    for t in d["topics"]:
        t = dict(t)
        t["cards"] = [Card(**{k: v for k, v in c.items() if k in card_fields}) for c in t["cards"]]
        t["questions"] = [Question(**{k: v for k, v in q.items() if k in question_fields}) for q in t["questions"]]
        topics[t["id"]] = Topic(**t)
    return Catalog(topics=topics, problems=[Problem(**p) for p in d["problems"]], skipped=d["skipped"],
                   skipped_items=d["skipped_items"])


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a reader sees the old file or the new one)."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class CatalogSource:
    """The catalog as the app sees it: :attr:`summary` at once, :attr:`catalog` on first use.

    :meth:`preload` reads the full catalog in a background thread (the app calls it once the first
    screen is drawn); :attr:`catalog` waits for that read instead of starting a second one.
    """

    def __init__(self, dirs: list[Path] | None = None, cache_file: Path | None = None, *,
                 catalog: Catalog | None = None, summary: Summary | None = None):
        if catalog is None and (summary is None or cache_file is None):
            raise ValueError("CatalogSource needs a catalog, or a summary and a cache file")
        self._dirs, self._cache_file = dirs, cache_file
        self._catalog = catalog
        self._summary = summary if summary is not None else catalog.summary()
        self._lock = threading.Lock()

    @property
    def summary(self) -> Summary:
        return self._summary

    @property
    def loaded(self) -> bool:
        return self._catalog is not None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    cat = load_catalog_cached(self._dirs, self._cache_file)
                    # the content changed since the summary was read: the home screen follows the catalog
                    self._summary = cat.summary()
                    self._catalog = cat
        return self._catalog

    def preload(self, then=None) -> None:
        """Read the full catalog in a background thread, then call ``then()`` in that thread (not
        at all when the catalog was already read: nothing waits for it then)."""
        def load() -> None:
            self.catalog  # noqa: B018 - the property loads it
            if then is not None:
                then()

        if self._catalog is None:
            threading.Thread(target=load, name="catalog-preload", daemon=True).start()


def _content_dirs(dirs: list[Path] | None) -> list[Path]:
    return [default_content_dir()] if dirs is None else [Path(d) for d in dirs]


def _read_current(path: Path, key: dict, part: str) -> dict | None:
    """``part`` of the cache file ``path`` if it was written for ``key``; None if stale or unreadable."""
    import json  # the full cache: not on the app's start path (the summary is tutor.summary_index)

    try:
        with open(path, encoding="utf-8") as f:
            cached = json.load(f)
        return cached[part] if cached.get("key") == key else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def open_catalog(dirs: list[Path] | None, cache_file: Path) -> CatalogSource:
    """The app's start: the summary from its small cache file when it is current, else a full load
    (from the full cache or the YAML), after which both cache files are current."""
    dirs = _content_dirs(dirs)
    key = fingerprint(dirs)
    index = index_file(cache_file)
    summary = summary_index.read(index, key)
    if summary is not None:
        return CatalogSource(dirs, cache_file, summary=summary)
    cat, cached_ok = _load(dirs, cache_file, key)
    if cached_ok:  # written after the full cache: a current summary always has a current catalog next to it
        summary_index.write(index, key, cat.summary())
        try:   # the JSON summary of earlier versions
            Path(cache_file).with_name(Path(cache_file).stem + ".index.json").unlink(missing_ok=True)
        except OSError:
            pass
    return CatalogSource(catalog=cat)


def cache_file_of(data: Path) -> Path:
    """The cache file of a data directory (the app, line mode and the CLI share it)."""
    return Path(data) / "content-cache.json"


def load_catalog_for(dirs: list[Path] | None, data: Path) -> Catalog:
    """The catalog for a command that studies or reads progress: from the data directory's cache
    when it is current, else loaded (and cached when the folder exists or can be made)."""
    try:
        Path(data).mkdir(parents=True, exist_ok=True)
    except OSError:
        pass   # read-only or missing: the catalog is loaded, not cached
    return load_catalog_cached(dirs, cache_file_of(data))


def load_catalog_cached(dirs: list[Path] | None, cache_file: Path) -> Catalog:
    dirs = _content_dirs(dirs)
    return _load(dirs, cache_file, fingerprint(dirs))[0]


def _load(dirs: list[Path], cache_file: Path, key: dict) -> tuple[Catalog, bool]:
    """The catalog, and whether the full cache file now holds it."""
    data = _read_current(cache_file, key, "catalog")
    if data is not None:
        try:
            return _from_json(data), True
        except (KeyError, TypeError):   # a catalog of another shape: load from the YAML
            pass
    import json

    from tutor.content import load_catalog  # yaml and the engine only when the cache is stale

    cat = load_catalog(dirs)
    try:
        data = _to_json(cat)
        text = json.dumps({"key": key, "catalog": data}, ensure_ascii=False)
        if json.loads(text)["catalog"] != data:   # e.g. a YAML date or int key: not JSON-safe, skip
            return cat, False
        _write(cache_file, text)
    except (OSError, TypeError, ValueError):
        return cat, False
    return cat, True
