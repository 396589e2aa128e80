"""Import hygiene: the engine never loads textual; starting the app never loads torch."""

import json
import os
import pathlib
import subprocess
import sys
import time

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_engine_imports_neither_textual_nor_torch():
    mods = _modules_after("import engine.registry as r; r.algorithms(); r.generators()")
    assert not any(m == "torch" or m.startswith("torch.") for m in mods)
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)


@pytest.mark.slow
@pytest.mark.parametrize("cmd", ["--version", "solve --list", "check-content --no-verify"])
def test_cli_commands_do_not_import_torch(cmd):
    code = (f"import sys; from tutor.cli import main\ntry:\n    main({cmd.split()!r})\nexcept SystemExit:\n    pass")
    mods = _modules_after(code)
    assert "torch" not in mods


@pytest.mark.slow
def test_starting_the_app_imports_no_torch(tmp_path):
    code = f"""
import asyncio
from tutor.app import create_app

async def main():
    app = create_app(data_dir=__import__('pathlib').Path({str(tmp_path)!r}), lang='en')
    async with app.run_test() as pilot:
        await pilot.pause()
asyncio.run(main())
"""
    mods = _modules_after(code)
    assert "torch" not in mods
    assert "textual" in mods


@pytest.mark.slow
def test_second_start_reads_only_the_summary(tmp_path):
    # the first start builds the caches; the second draws the home screen from the small summary
    # file: no yaml, numpy or fsrs, and the full catalog is read only after the first frame
    _modules_after(f"from tutor.app import create_app; create_app(data_dir=__import__('pathlib').Path({str(tmp_path)!r}))")
    code = f"""
import asyncio, pathlib, sys
from tutor.app import create_app

app = create_app(data_dir=pathlib.Path({str(tmp_path)!r}), lang='en')
assert not app.source.loaded
seen = {{}}

async def main():
    async with app.run_test() as pilot:
        seen['rows'] = app.screen.query_one('#topics').row_count
        # nor the learner model's write path and queues (home reads tutor.progress only), nor the
        # texts of doctor, import and export
        seen['mods'] = sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'numpy', 'fsrs')
                              or m in ('tutor.learner', 'tutor.store_texts'))
        await pilot.pause()
asyncio.run(main())
assert seen['rows'] == len(app.catalog.topics) > 20, seen
assert seen['mods'] == [], seen['mods']
"""
    _modules_after(code)


def test_content_imports_neither_engine_nor_verification_until_asked():
    # importing tutor.content loads yaml only; a plain load_catalog leaves the numeric verification
    # (check-content's job) unimported; asking for check_catalog imports it
    mods = _modules_after("import tutor.content")
    assert not {m.split(".")[0] for m in mods} & {"numpy", "engine", "torch"}
    code = ("import sys\nfrom tutor.content import load_catalog\nload_catalog()\n"
            "assert 'tutor.content.verify' not in sys.modules\n"
            "from tutor.content import check_catalog\nassert 'tutor.content.verify' in sys.modules")
    _modules_after(code)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["tutor", "bare"])
def test_first_frame_harness_stops_both_apps_at_their_first_frame(tmp_path, target):
    """benchmarks/first_frame.py (the instruction count of the first-screen budget) runs the real
    tutor and the bare app headless and leaves at the first frame: exit 0, quickly, no terminal."""
    root = pathlib.Path(__file__).resolve().parents[1]
    args = ["tutor", "--lang", "en"] if target == "tutor" else [str(root / "benchmarks" / "bare_app.py")]
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, str(root / "benchmarks" / "first_frame.py"), *args], cwd=tmp_path,
                       env={**os.environ, "TUTOR_DATA_DIR": str(tmp_path / "d")}, capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr[-2000:]
    assert time.monotonic() - t0 < 30
    if target == "tutor":   # it got as far as the home screen: the progress file and the catalog cache exist
        assert (tmp_path / "d" / "progress.sqlite3").exists() and (tmp_path / "d" / "content-cache.json").exists()


@pytest.mark.slow
def test_home_screen_of_a_learner_with_reviews_loads_no_fsrs(tmp_path):
    """A learner with reviewed cards: the home screen shows learned and due, not mastered, so its
    first frame neither imports FSRS nor computes a recall per card (the history case of the
    first-screen benchmark: 12 ms of a 250 ms start); the stats, which show mastered, still count it."""
    from benchmarks.fixtures import generate_large_db

    generate_large_db(tmp_path, items=300, reviews=3000, seed=1)
    with __import__("tutor.store").store.Store.open(tmp_path) as s:
        assert s.read_one("SELECT COUNT(*) FROM cards WHERE state = 2")[0] > 0
    _modules_after(f"from tutor.app import create_app; create_app(data_dir=pathlib.Path({str(tmp_path)!r}))"
                   .replace("pathlib.", "__import__('pathlib')."))
    code = f"""
import asyncio, pathlib, sys
from tutor.app import create_app

app = create_app(data_dir=pathlib.Path({str(tmp_path)!r}), lang='en')
seen = {{}}

async def main():
    async with app.run_test() as pilot:
        seen['mods'] = sorted(m for m in sys.modules if m.split('.')[0] == 'fsrs')
        from tutor.progress import catalog_topics, progress
        seen['mastered'] = [p.mastered for p in progress(app.store, catalog_topics(app.catalog)).values()]
        await pilot.pause()
asyncio.run(main())
assert seen['mods'] == [], seen['mods']
assert None not in seen['mastered'] and 'fsrs' in sys.modules, seen   # counted where it is shown
"""
    _modules_after(code)


@pytest.mark.slow
def test_home_screen_creates_no_dataclass_of_its_own(tmp_path):
    """``@dataclass`` compiles its methods' source when a class is created (~2.5 M instructions a
    class, ~1 % of the first screen for the four the home screen used): the classes the first frame
    needs are records (tutor.record), written out."""
    _modules_after(f"from tutor.app import create_app; create_app(data_dir=__import__('pathlib').Path({str(tmp_path)!r}))")
    code = f"""
import asyncio, dataclasses, pathlib
made = []
_process = dataclasses._process_class
def _record(cls, *args):
    made.append(cls.__module__ + '.' + cls.__qualname__)
    return _process(cls, *args)
dataclasses._process_class = _record
from tutor.app import create_app

app = create_app(data_dir=pathlib.Path({str(tmp_path)!r}), lang='en')

async def main():
    async with app.run_test() as pilot:
        made.append('first frame')
        await pilot.pause()
asyncio.run(main())
mine = [m for m in made[:made.index('first frame')] if m.split('.')[0] in ('tutor', 'engine')]
assert mine == [], mine
"""
    _modules_after(code)
