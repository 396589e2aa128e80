"""A JSON cache of the loaded, validated catalog, so the app starts without re-parsing YAML.

The cache is keyed by every content file (path, mtime, size), the engine's source files
(generator and algorithm names are part of validation) and the tutor version; any change
rebuilds it. JSON, not pickle: the cache is data and is never executed. A cache that cannot
be read or written is ignored (the content is then simply loaded).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from pathlib import Path

from tutor import __version__
from tutor.model import Card, Catalog, Problem, Question, Topic, default_content_dir

FORMAT = 1


def _stamp(root: Path, pattern: str) -> list:
    out = []
    for p in sorted(root.rglob(pattern)):
        try:
            st = p.stat()
        except OSError:
            continue
        out.append([str(p), st.st_mtime_ns, st.st_size])
    return out


def fingerprint(dirs: list[Path]) -> dict:
    import engine

    engine_dir = Path(engine.__file__).parent
    return {"format": FORMAT, "version": __version__,
            "content": [_stamp(Path(d), "*.yaml") for d in dirs],
            "engine": _stamp(engine_dir, "*.py")}


def _to_json(cat: Catalog) -> dict:
    return {"topics": [asdict(t) for t in cat.topics.values()],
            "problems": [asdict(p) for p in cat.problems],
            "skipped": list(cat.skipped), "skipped_items": list(cat.skipped_items)}


def _from_json(d: dict) -> Catalog:
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


def load_catalog_cached(dirs: list[Path] | None, cache_file: Path) -> Catalog:
    dirs = [default_content_dir()] if dirs is None else [Path(d) for d in dirs]
    key = fingerprint(dirs)
    try:
        with open(cache_file, encoding="utf-8") as f:
            cached = json.load(f)
        if cached.get("key") == key:
            return _from_json(cached["catalog"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from tutor.content import load_catalog  # yaml and the engine only when the cache is stale

    cat = load_catalog(dirs)
    try:
        data = _to_json(cat)
        text = json.dumps({"key": key, "catalog": data}, ensure_ascii=False)
        if json.loads(text)["catalog"] != data:   # e.g. a YAML date or int key: not JSON-safe, skip
            return cat
        tmp = cache_file.with_name(cache_file.name + f".tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, cache_file)
    except (OSError, TypeError, ValueError):
        pass
    return cat
