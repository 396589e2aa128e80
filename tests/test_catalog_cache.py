"""The app's catalog cache: same catalog as a fresh load, rebuilt when a content file changes."""

import os
import shutil

from tutor.catalog_cache import load_catalog_cached
from tutor.content import default_content_dir, load_catalog


def test_cached_catalog_equals_a_fresh_load(tmp_path):
    cache = tmp_path / "cache.json"
    first = load_catalog_cached(None, cache)
    assert cache.exists()
    second = load_catalog_cached(None, cache)
    fresh = load_catalog()
    assert second.topics == fresh.topics and second.problems == fresh.problems
    assert list(second.topics) == list(first.topics)
    assert second.item("em.q.latent").data["answer"] == 1


def test_changed_content_invalidates_the_cache(tmp_path):
    src = tmp_path / "content"
    shutil.copytree(default_content_dir(), src, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    cache = tmp_path / "cache.json"
    before = load_catalog_cached([src], cache)
    em = src / "em.yaml"
    text = em.read_text(encoding="utf-8").replace("The EM algorithm (two-coin example)", "EM, edited")
    em.write_text(text, encoding="utf-8")
    st = em.stat()
    os.utime(em, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    after = load_catalog_cached([src], cache)
    assert before.topics["em"].title["en"] != after.topics["em"].title["en"] == "EM, edited"


def test_a_broken_cache_file_is_ignored(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    cat = load_catalog_cached(None, cache)
    assert "em" in cat.topics
