"""The app's catalog cache: same catalog as a fresh load, rebuilt when a content file changes."""

import os
import shutil

import pytest

from tutor.catalog_cache import fingerprint, index_file, load_catalog_cached, open_catalog
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
    _touch_edit(src / "em.yaml", "The EM algorithm (two-coin example)", "EM, edited")
    after = load_catalog_cached([src], cache)
    assert before.topics["em"].title["en"] != after.topics["em"].title["en"] == "EM, edited"


def test_a_broken_cache_file_is_ignored(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    cat = load_catalog_cached(None, cache)
    assert "em" in cat.topics


def test_the_app_starts_from_the_summary_and_reads_the_catalog_on_first_use(tmp_path):
    cache = tmp_path / "cache.json"
    first = open_catalog(None, cache)                 # no cache yet: a full load writes both files
    assert first.loaded and index_file(cache).exists()
    fresh = load_catalog()
    source = open_catalog(None, cache)
    assert not source.loaded                          # the summary only
    assert source.summary == fresh.summary()
    assert source.catalog.topics == fresh.topics and source.loaded


def test_a_summary_never_outlives_its_catalog(tmp_path):
    # the summary is current but the full cache is gone: the catalog is loaded from the YAML
    cache = tmp_path / "cache.json"
    open_catalog(None, cache)
    cache.write_text("{broken", encoding="utf-8")
    source = open_catalog(None, cache)
    assert not source.loaded
    assert "em" in source.catalog.topics and len(source.catalog.topics) == len(source.summary.topics)


def test_content_changed_after_the_summary_was_read(tmp_path):
    src = tmp_path / "content"
    shutil.copytree(default_content_dir(), src, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    cache = tmp_path / "cache.json"
    open_catalog([src], cache)
    source = open_catalog([src], cache)
    assert "em" in source.summary.topics
    (src / "em.yaml").unlink()                        # while the home screen is showing
    assert "em" not in source.catalog.topics
    assert "em" not in source.summary.topics          # the home list follows on its next refresh


def test_the_preload_thread_and_first_use_read_once(tmp_path, monkeypatch):
    import tutor.catalog_cache as cc

    cache = tmp_path / "cache.json"
    open_catalog(None, cache)
    source = open_catalog(None, cache)
    calls = []
    real = cc.load_catalog_cached
    monkeypatch.setattr(cc, "load_catalog_cached", lambda *a: calls.append(1) or real(*a))
    source.preload()
    cat = source.catalog
    source.preload()
    assert cat is source.catalog and calls == [1]


def _touch_edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def test_a_yml_file_and_a_single_file_content_dir_invalidate_the_cache(tmp_path):
    # the loader reads .yml as well as .yaml, and accepts a file instead of a folder
    src = tmp_path / "content"
    src.mkdir()
    shutil.copy(default_content_dir() / "em.yaml", src / "em.yml")
    cache = tmp_path / "cache.json"
    assert load_catalog_cached([src], cache).topics["em"].title["en"] != "EM, edited"
    _touch_edit(src / "em.yml", "The EM algorithm (two-coin example)", "EM, edited")
    assert load_catalog_cached([src], cache).topics["em"].title["en"] == "EM, edited"
    one = src / "em.yml"
    cache2 = tmp_path / "cache2.json"
    assert load_catalog_cached([one], cache2).topics["em"].title["en"] == "EM, edited"
    _touch_edit(one, "EM, edited", "EM, edited twice")
    assert load_catalog_cached([one], cache2).topics["em"].title["en"] == "EM, edited twice"


def test_summary_records_compare_print_and_copy_as_dataclasses_did():
    """Problem, TopicSummary, Summary and TopicProgress are records, not dataclasses (the first
    screen): equal by value, printed with their fields, as_dict what asdict gave, unhashable."""
    import copy
    import pickle

    from tutor.catalog_summary import Problem, Summary, TopicSummary
    from tutor.progress import TopicProgress

    p = Problem("a.yaml", 3, "topic", "bad")
    assert p == Problem("a.yaml", 3, "topic", "bad") and p != Problem("a.yaml", 4, "topic", "bad")
    assert p != ("a.yaml", 3, "topic", "bad")
    assert repr(p) == "Problem(path='a.yaml', line=3, key='topic', message='bad')"
    assert p.as_dict() == {"path": "a.yaml", "line": 3, "key": "topic", "message": "bad"}
    assert Problem(**p.as_dict()) == p
    with pytest.raises(TypeError):
        hash(p)
    t = TopicSummary(id="em", title={"en": "EM"}, summary=None, requires=["mle"], n_cards=3, n_questions=4)
    s = Summary(topics={"em": t}, problems=[p])
    assert copy.deepcopy(s) == s and pickle.loads(pickle.dumps(s)) == s
    assert TopicSummary(**t.as_dict()) == t
    tp = TopicProgress("em", {"en": "EM"}, 4, learned=2)
    assert (tp.seen, tp.learned, tp.mastered, tp.due) == (0, 2, 0, 0) and tp.bar(4) == "██░░"
    with pytest.raises(AttributeError):
        tp.typo = 1   # slots: a misspelt field is an error, as a dataclass's constructor made it


def _summary():
    from tutor.catalog_summary import Problem, Summary, TopicSummary

    topics = [TopicSummary("em", {"en": "EM", "ko": "EM 알고리즘"}, {"en": "Two coins", "ko": "동전 두 개"}, [], 7, 11),
              TopicSummary("gmm", {"en": "GMM", "ko": "GMM"}, None, ["em", "kmeans"], 3, 0),
              TopicSummary("x", {"en": "X", "ko": "엑스"}, {}, [], 0, 0)]
    return Summary(topics={t.id: t for t in topics},
                   problems=[Problem("a.yaml", 3, "cards", "not a list"), Problem("b.yaml", None, "yaml", "bad")])


def test_the_summary_file_reads_back_what_was_written_for_its_key(tmp_path):
    from tutor import summary_index

    path, key = tmp_path / "s.index.sqlite3", {"format": 2, "content": [["a.yaml", 1, 2]]}
    assert summary_index.write(path, key, _summary())
    got = summary_index.read(path, key)
    assert got == _summary() and list(got.topics) == ["em", "gmm", "x"]
    assert got.topics["gmm"].summary is None and got.topics["x"].summary == {}
    assert summary_index.read(path, {**key, "content": [["a.yaml", 1, 3]]}) is None   # another content: stale
    assert summary_index.read(tmp_path / "missing", key) is None and not (tmp_path / "missing").exists()
    assert list(tmp_path.iterdir()) == [path]   # no temporary file left


def test_an_unreadable_summary_file_is_not_used_and_is_written_again(tmp_path):
    from tutor import summary_index

    cache = tmp_path / "cache.json"
    open_catalog(None, cache)
    index = index_file(cache)
    assert summary_index.read(index, fingerprint([default_content_dir()])) is not None
    for broken in (b"not a database at all" * 10, b""):
        index.write_bytes(broken)
        source = open_catalog(None, cache)
        assert source.loaded and "em" in source.summary.topics        # loaded in full instead
        assert not open_catalog(None, cache).loaded                      # and the summary is current again
    # still a database, but a topic's Korean title is gone, or a count is not a number (home read
    # them and crashed at every start)
    import sqlite3

    for damage in ("DELETE FROM rows WHERE kind = 'title' AND pos = 1 AND a = 'ko'",
                   "UPDATE rows SET b = 'many' WHERE kind = 'topic' AND pos = 0",
                   "UPDATE rows SET a = NULL WHERE kind = 'topic' AND pos = 2"):
        conn = sqlite3.connect(index)
        with conn:
            assert conn.execute(damage).rowcount == 1
        conn.close()
        source = open_catalog(None, cache)
        assert source.loaded and all(set(t.title) >= {"ko", "en"} for t in source.summary.topics.values())
        assert not open_catalog(None, cache).loaded


def test_a_summary_that_would_not_read_back_the_same_is_not_written(tmp_path):
    from tutor import summary_index

    summary = _summary()
    summary.topics["em"].n_cards = 2**70    # too large for SQLite
    assert not summary_index.write(tmp_path / "s", {"k": 1}, summary)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_first_frame_imports_neither_json_nor_textuals_header(tmp_path):
    """The app's first screen reads its settings and the catalog summary without json, and draws its
    title line without Textual's Header (benchmarks: first screen)."""
    import subprocess
    import sys

    code = ("import os, sys\n"
            "from textual.app import App\n"
            "_display = App._display\n"
            "def first(self, screen, renderable):\n"
            "    if renderable is not None and not self._batch_count:\n"
            "        print(sorted(m for m in ('json', 'textual.widgets._header', 'yaml', 'numpy') if m in sys.modules))\n"
            "        sys.stdout.flush(); os._exit(0)\n"
            "    return _display(self, screen, renderable)\n"
            "App._display = first\n"
            "_run = App.run\n"
            "App.run = lambda self, *a, **k: _run(self, *a, **{**k, 'headless': True, 'size': (80, 24)})\n"
            "from tutor.cli import main\n"
            "main(['--lang', 'ko', '--data-dir', sys.argv[1]])\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / "d")], capture_output=True, text=True,
                           timeout=120) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert runs[1].stdout.strip() == "[]", runs[1].stdout   # the second start: from the summary file
