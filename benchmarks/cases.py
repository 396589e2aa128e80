"""The benchmark cases. Each takes (smoke, reps) and returns a list of Results."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, ms, percentile, summary, timeit

HERE = Path(__file__).resolve().parent
BARE_APP = HERE / "bare_app.py"


# ----------------------------------------------------------------------------- start-up in tmux


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def _first_screen(cmd: str, needle: str, *, timeout: float = 30.0) -> tuple[float, int, bool]:
    """Start ``cmd`` in a fresh tmux session (100×30), poll until ``needle`` is on screen.

    Returns (seconds, peak RSS in kB of the process, whether libtorch is mapped into it).
    """
    session = f"bench{os.getpid()}_{time.monotonic_ns()}"
    t0 = time.perf_counter()
    # both programs start in the same neutral folder, so neither imports from a source tree there
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", "-c", tempfile.gettempdir(),
                    f"exec {cmd}"], check=True, capture_output=True)
    try:
        while True:
            screen = _tmux("capture-pane", "-p", "-t", session)
            if needle in screen:
                elapsed = time.perf_counter() - t0
                break
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"{needle!r} did not appear within {timeout} s; screen:\n{screen[-500:]}")
            time.sleep(0.005)
        pid = _tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip()
        rss, torch = 0, False
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    rss = int(line.split()[1])
            torch = "libtorch" in Path(f"/proc/{pid}/maps").read_text()
        except OSError:
            pass
        return elapsed, rss, torch
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)


def _installed_tutor() -> tuple[str, str]:
    """The ``tutor`` command as the README installs it, and how it is installed."""
    import sysconfig

    script = Path(sys.executable).parent / "tutor"
    cmd = str(script) if script.exists() else f"{sys.executable} -m tutor"
    found = subprocess.run([sys.executable, "-c", "import tutor; print(tutor.__file__)"], cwd=tempfile.gettempdir(),
                           capture_output=True, text=True, check=False).stdout.strip()
    if found and Path(found).resolve().is_relative_to(Path(sysconfig.get_paths()["purelib"]).resolve()):
        return cmd, "installed with pip install . (as the README says)"
    return cmd, ("editable install or source tree: not what users run (the editable finder alone adds ~15 ms; "
                 "measure from a venv made with pip install .)")


def startup(smoke: bool, reps: int) -> list[Result]:
    if shutil.which("tmux") is None:
        return [Result("first screen (tmux)", "skipped", note="tmux not installed")]
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    py = sys.executable
    tutor, how = _installed_tutor()
    tutor_cmd = f"env TUTOR_DATA_DIR={data} {tutor} --lang en"
    bare_cmd = f"{py} {BARE_APP}"
    # a learner with history: 20,000 reviews (a daily learner's few months; 9 MB of progress file)
    from benchmarks.fixtures import generate_large_db

    items, reviews = (200, 2_000) if smoke else (2_000, 20_000)
    db = generate_large_db(data / "history", items=items, reviews=reviews, seed=1)
    history = (f"{reviews:,} reviews ({db.stat().st_size / 2**20:.0f} MB)",
               f"env TUTOR_DATA_DIR={data / 'history'} {tutor} --lang en")
    # single start-up times vary from 200 to 400 ms on this busy 2-core machine; with 15 pairs the
    # ratio of medians moved between 1.04 and 1.23 from run to run, so full runs take 31 pairs
    reps = reps if smoke else max(reps, 31)
    # one idle session keeps the tmux server up: killing the last session stops the server, and a
    # new session started while it shuts down fails with "server exited unexpectedly"
    keeper = f"bench-keep{os.getpid()}"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], check=True, capture_output=True)
    try:
        return _startup(tutor_cmd, bare_cmd, history, how, reps)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], check=False, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def _startup(tutor_cmd: str, bare_cmd: str, history: tuple[str, str], how: str, reps: int) -> list[Result]:
    from tutor.content import load_catalog

    first_topic = next(iter(load_catalog().topics.values())).title["en"]
    history_label, history_cmd = history
    tutor_t, hist_t, bare_t, rss, torch_seen = [], [], [], [], False
    _first_screen(bare_cmd, "bench ready")  # warm the OS file cache for all three, not measured
    _first_screen(tutor_cmd, first_topic)
    _first_screen(history_cmd, first_topic)
    for _ in range(max(reps, 1)):
        t, r, torch = _first_screen(tutor_cmd, first_topic)
        tutor_t.append(t)
        rss.append(r)
        torch_seen |= torch
        bare_t.append(_first_screen(bare_cmd, "bench ready")[0])
        hist_t.append(_first_screen(history_cmd, first_topic)[0])
    mb, sb = summary(bare_t)

    def versus_bare(name: str, samples: list[float], note: str) -> Result:
        # Judged by the median of the pairs' ratios: each start is paired with the bare start right
        # after it, which cancels the machine's drift. The ratio of the two medians does not: in one
        # run the empty-file and the history case (the same program) came out at 1.17× and 1.04×,
        # while their paired ratios were 1.11× and 1.10×.
        med, spread = summary(samples)
        paired = statistics.median(t / b for t, b in zip(samples, bare_t))
        # the budget of the architecture issue (#21): the tutor's first screen costs at most 5 % more
        return Result(name, ms(med), spread, f"{paired:.2f}× bare (paired)", "≤ 1.05× bare", paired <= 1.05,
                      note=f"{len(samples)} runs each, interleaved; ratio of the medians {med / mb:.2f}; {note}")

    peak_mb = max(rss) / 1024
    return [
        versus_bare("first screen: tutor", tutor_t, how),
        versus_bare(f"first screen: tutor, {history_label}", hist_t,
                    "a progress file with history: quick_check is deferred, the home counts are SQL"),
        Result("first screen: bare Textual app", ms(mb), sb),
        Result("torch on the start path", "yes" if torch_seen else "no", budget="never", budget_ok=not torch_seen,
               note="libtorch mapped into the process at the home screen"),
        Result("memory at the home screen", f"{peak_mb:.1f} MB", f"{min(rss) / 1024:.1f} – {peak_mb:.1f} MB",
               budget="≤ 120 MB", budget_ok=peak_mb <= 120, note="peak RSS (VmHWM)"),
    ]


def _instructions(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions executed by ``cmd`` (callgrind's "I refs"), which valgrind counts the same on a
    busy machine as on an idle one."""
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                       capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), check=False)
    for line in p.stderr.splitlines():
        if "refs:" in line:
            return int(line.rsplit(maxsplit=1)[-1].replace(",", ""))
    raise RuntimeError(f"valgrind gave no count (exit {p.returncode}): {p.stderr[-300:]}")


def startup_instructions(smoke: bool, reps: int) -> list[Result]:
    """The first-screen budget judged by a count that does not move with the machine's load: the
    instructions the process executes from its start to its first frame (benchmarks.first_frame
    stops both programs there, headless at 100×30), tutor against the bare app. Start-up timings
    on this 2-core machine move by ±20 %; this count by less than 0.01 % between runs."""
    name = "first screen: instructions to the first frame"
    if smoke:
        return [Result(name, "skipped", note="full runs only (three runs under valgrind, ~35 s)")]
    if shutil.which("valgrind") is None:
        return [Result(name, "skipped", note="valgrind not installed")]
    _tutor, how = _installed_tutor()
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    env = {**os.environ, "TUTOR_DATA_DIR": str(data), "PYTHONHASHSEED": "0"}
    # run as a script, so that its folder (benchmarks/) is on the path, not the source tree: the
    # tutor measured is the installed one
    tutor = [sys.executable, str(HERE / "first_frame.py"), "tutor", "--lang", "en"]
    bare = [sys.executable, str(HERE / "first_frame.py"), str(BARE_APP)]
    from benchmarks.fixtures import generate_large_db

    history_env = {**env, "TUTOR_DATA_DIR": str(data / "history")}
    generate_large_db(data / "history", items=2_000, reviews=20_000, seed=1)
    try:
        # the first start writes the catalog cache (and the progress file): counted from the second
        for e in (env, history_env):
            subprocess.run(tutor, env=e, cwd=tempfile.gettempdir(), capture_output=True, check=True, timeout=120)
        t, h, b = _instructions(tutor, env), _instructions(tutor, history_env), _instructions(bare, env)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return [Result(name if label == "" else f"{name}, {label}", f"{n / 1e6:,.0f} M", f"bare {b / 1e6:,.0f} M",
                   f"{n / b:.3f}× bare", "≤ 1.05× bare", n / b <= 1.05, note=f"callgrind, headless, {note}; {how}")
            for label, n, note in (("", t, "an empty progress file"),
                                   ("20,000 reviews", h, "2,000 items with 20,000 reviews (9 MB)"))]


# ----------------------------------------------------------------------------- exercises


def exercises(smoke: bool, reps: int) -> list[Result]:
    from engine.registry import generators
    from tutor.grading import grade_variant

    n = 20 if smoke else 1000
    out = []
    worst_med, worst_p99 = 0.0, 0.0
    for name, gen in generators().items():
        samples = []
        for seed in range(n):
            t0 = time.perf_counter()
            v = gen.variant(seed)
            right = gen.expected(v)
            g = grade_variant(gen, v, {k: repr(x) for k, x in right.items()})
            samples.append(time.perf_counter() - t0)
            assert g.correct, (name, seed)
        med, p99 = statistics.median(samples), percentile(samples, 99)
        worst_med, worst_p99 = max(worst_med, med), max(worst_p99, p99)
        ok = med <= 0.005 and p99 <= 0.050
        out.append(Result(f"generate+grade {name}", ms(med), f"p99 {ms(p99)}", budget="med ≤ 5 ms, p99 ≤ 50 ms",
                          budget_ok=ok, note=f"{n} variants"))
    return out


# ----------------------------------------------------------------------------- solve scaling


def _scaled_inputs(name: str, factor: int, rng) -> dict | None:
    """Inputs for `tutor solve NAME` at 1×, 10×, 100× the seeds' sizes (None: not scalable)."""
    import numpy as np

    f = factor
    if name == "attention":
        n, d = {1: (4, 2), 10: (40, 16), 100: (512, 64)}[f]
        return {"q": rng.normal(size=(n, d)).tolist(), "k": rng.normal(size=(n, d)).tolist(),
                "v": rng.normal(size=(n, d)).tolist(), "score": "scaled"}
    if name == "kmeans":
        n = {1: 100, 10: 1000, 100: 10000}[f]
        pts = rng.normal(size=(n, 2))
        return {"points": pts.tolist(), "centroids": pts[:3].tolist(), "iterations": 10}
    if name == "em-coins":
        n = 5 * f
        return {"rounds": ["".join(rng.choice(["H", "T"], size=10)) for _ in range(n)], "theta_a": 0.6,
                "theta_b": 0.5, "iterations": 10}
    if name == "mlp":
        d, p, m = 2 * f, 2 * f, 1
        return {"x": rng.normal(size=d).tolist(), "w_hidden": rng.normal(size=(p, d)).tolist(),
                "b_hidden": np.zeros(p).tolist(), "w_out": rng.normal(size=(m, p)).tolist(),
                "b_out": [0.0], "t": [1.0], "lr": 0.1}
    if name == "pca":
        n = 10 * f
        return {"x": rng.normal(size=(n, 3)).tolist()}
    if name == "dbscan":
        n = {1: 20, 10: 200, 100: 2000}[f]
        return {"points": rng.normal(size=(n, 2)).tolist(), "eps": 0.3, "min_samples": 4}
    if name == "rnn-bptt":
        t, d, h = 3 * f, 2, 3
        return {"xs": rng.normal(size=(t, d)).tolist(), "h0": [0.0] * h,
                "w_xh": (rng.normal(size=(h, d)) * 0.5).tolist(), "w_hh": (rng.normal(size=(h, h)) * 0.5).tolist(),
                "w_hy": rng.normal(size=(1, h)).tolist(), "targets": rng.normal(size=(t, 1)).tolist()}
    if name == "conv2d":
        s = {1: 5, 10: 50, 100: 500}[f]
        return {"input": rng.normal(size=(s, s)).tolist(), "kernel": rng.normal(size=(3, 3)).tolist(),
                "stride": 1, "padding": 1}
    return None


def solve_scaling(smoke: bool, reps: int) -> list[Result]:
    import numpy as np

    from engine.core import InputError
    from engine.registry import algorithms

    out = []
    factors = (1, 10) if smoke else (1, 10, 100)
    for name, alg in algorithms().items():
        rng = np.random.default_rng(0)
        base = None
        figures = []
        for f in factors:
            inputs = alg.example if f == 1 else _scaled_inputs(name, f, rng)
            if f == 1 and _scaled_inputs(name, 1, rng) is not None:
                inputs = _scaled_inputs(name, 1, np.random.default_rng(0))
            if inputs is None:
                break
            try:
                alg.run(inputs)
            except InputError as e:   # past the engine's bound on input size (engine.limits): that is the answer
                figures.append(f"{f}×: refused ({e.message})")
                break
            samples = timeit(lambda inputs=inputs, alg=alg: alg.run(inputs), max(reps, 3))
            med = statistics.median(samples)
            base = base or med
            figures.append(f"{f}×: {ms(med)}")
        growth = ""
        timed = [x for x in figures if "refused" not in x]
        if len(timed) > 1:
            growth = f"last/first {med / base:.0f}×"
        out.append(Result(f"solve {name}", figures[0].split(": ")[1] if figures else "n/a",
                          ratio=growth, note="; ".join(figures)))
    return out


# ----------------------------------------------------------------------------- content


def content(smoke: bool, reps: int) -> list[Result]:
    from tutor import content as content_mod
    from tutor.content import check_catalog, default_content_dir, load_catalog

    src = Path(str(default_content_dir()))
    tmp = Path(tempfile.mkdtemp(prefix="bench-content-"))
    copies = 2 if smoke else 10
    try:
        one = tmp / "one"
        shutil.copytree(src, one, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        many = tmp / "many"
        many.mkdir()
        import re

        for i in range(copies):
            for f in sorted(one.glob("*.yaml")):
                text = f.read_text(encoding="utf-8")
                # a distinct copy: topic ids and item ids get a suffix, prerequisites follow
                text = re.sub(r"^topic: (\S+)", rf"topic: \1-c{i}", text, flags=re.M)
                text = re.sub(r"(\bid: )([a-z0-9-]+)\.", rf"\g<1>\2-c{i}.", text)
                text = re.sub(r"^requires: \[(.*?)\]", lambda m, i=i: "requires: [" + ", ".join(
                    f"{x.strip()}-c{i}" for x in m.group(1).split(",") if x.strip()) + "]", text, flags=re.M)
                (many / f"{f.stem}-c{i}.yaml").write_text(text, encoding="utf-8")

        def cold(d):
            clear = getattr(content_mod, "clear_cache", None)
            if clear:
                clear()
            return load_catalog([d])

        t1, tn = [], []
        for _ in range(max(reps, 3)):  # interleaved
            t1 += timeit(lambda: cold(one), 1)
            tn += timeit(lambda: cold(many), 1)
        m1, s1 = summary(t1)
        mn, sn = summary(tn)
        cat = cold(one)
        n_items = sum(len(t.cards) + len(t.questions) for t in cat.topics.values())
        t0 = time.perf_counter()
        problems = check_catalog(cat, verify_numbers=True)
        tcheck = time.perf_counter() - t0
        ratio = mn / m1
        return [
            Result("content load+validate (shipped)", ms(m1), s1, budget="≤ 0.3 s", budget_ok=m1 <= 0.3,
                   note=f"{len(cat.topics)} topics, {n_items} items"),
            Result(f"content load+validate ({copies}× copies)", ms(mn), sn, f"{ratio:.1f}× shipped",
                   f"≤ {copies + 1}×", ratio <= copies + 1),
            Result("check-content with numeric verification", ms(tcheck), note=f"{len(problems)} problems"),
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------- due queue at scale


def due_queue(smoke: bool, reps: int) -> list[Result]:
    from benchmarks.fixtures import generate_large_db
    from tutor.schedule import Scheduler
    from tutor.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-db-"))
    items, reviews = (2_000, 20_000) if smoke else (100_000, 1_000_000)
    try:
        t0 = time.perf_counter()
        generate_large_db(tmp / "progress.sqlite3", items=items, reviews=reviews, seed=0)
        gen_s = time.perf_counter() - t0
        size_mb = (tmp / "progress.sqlite3").stat().st_size / 2**20
        open_full, open_app = [], []
        for _ in range(max(reps, 3)):   # interleaved: what a CLI command pays, what the app pays
            open_full.extend(timeit(lambda: Store.open(tmp).close(), 1))
            open_app.extend(timeit(lambda: Store.open(tmp, deferred_check=True).close(), 1))
        store = Store.open(tmp)
        sched = Scheduler(store)
        due_t = timeit(lambda: sched.due(limit=50), max(reps, 5))
        home_t = timeit(lambda: (sched.due_counts(), store.topic_progress()), max(reps, 5))
        store.close()
        md, sd = summary(due_t)
        mh, sh = summary(home_t)
        mf, sf = summary(open_full)
        ma, sa = summary(open_app)
        note = f"{items:,} items, {reviews:,} review rows, {size_mb:.0f} MB (generated in {gen_s:.1f} s)"
        return [Result("due queue", ms(md), sd, budget="≤ 100 ms", budget_ok=md <= 0.1, note=note),
                Result("home counts (due per topic + progress)", ms(mh), sh, budget="≤ 100 ms",
                       budget_ok=mh <= 0.1, note=note),
                Result("open the progress file: app (quick_check deferred)", ms(ma), sa, f"{ma / mf:.3f}× full",
                       note="the full check runs in a background thread after the first screen"),
                Result("open the progress file: full quick_check (CLI)", ms(mf), sf, note=note)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------- Anki export


def anki_export(smoke: bool, reps: int) -> list[Result]:
    """`tutor export --format apkg` of the whole curriculum: build the notes (engine runs, exercise
    variants, Markdown → HTML) and write the package, from a cold content cache each time."""
    from tutor import content as content_mod
    from tutor.anki import export_apkg
    from tutor.content import load_catalog

    tmp = Path(tempfile.mkdtemp(prefix="bench-anki-"))
    langs = ("en",) if smoke else ("en", "both")
    try:
        out = []
        for lang in langs:
            samples, n, size = [], 0, 0
            for i in range(max(reps, 1) if not smoke else 1):
                content_mod.clear_cache()
                t0 = time.perf_counter()
                export = export_apkg(load_catalog(), tmp / f"{lang}{i}.apkg", lang=lang)
                samples.append(time.perf_counter() - t0)
                n, size = len(export.notes), (tmp / f"{lang}{i}.apkg").stat().st_size
            med, spread = summary(samples)
            out.append(Result(f"export .apkg, whole curriculum (--lang {lang})", ms(med), spread, budget="≤ 5 s",
                              budget_ok=med <= 5.0,
                              note=f"{n} notes, {size / 2**20:.1f} MB; load + compute + HTML + genanki, cold cache"))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------- exam drafts


def exam_drafts(smoke: bool, reps: int) -> list[Result]:
    """What one keystroke in an exam costs at most: the draft written (one small transaction,
    WAL, synchronous=NORMAL for it: see Store.save_exam_draft), as the screen does after a pause
    in typing. Each save has new text (an unchanged draft is not written at all). With
    synchronous=FULL (an fsync per save) the median was 4–5.6 ms on a loaded 2-core machine."""
    from tutor.content import load_catalog
    from tutor.review import ExamSession
    from tutor.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-drafts-"))
    n = 30 if smoke else 300
    try:
        store = Store.open(tmp)
        session = ExamSession(load_catalog(None), store, lang="ko")
        session.start(["em", "kmeans"], 10, 20, seed=1)
        samples, written = [], 0
        for k in range(n):
            index, typed = (k // 10) % session.total, f"0.{k:04d}"    # ten keystrokes per question
            t0 = time.perf_counter()
            written += session.save_draft(index, {"value": typed, "other": "0.25"})
            samples.append(time.perf_counter() - t0)
        assert written == n, "every save had new text"
        store.close()
        med, spread = summary(samples)
        p95 = percentile(samples, 95)
        return [Result("exam draft saved (per keystroke, worst case)", ms(med), spread, budget="≤ 5 ms",
                       budget_ok=med <= 0.005, note=f"{n} saves; p95 {ms(p95)}; debounced 0.3 s in the app")]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def lab_edits(smoke: bool, reps: int) -> list[Result]:
    """Every lab at its default size: an edit re-runs the engine (parse, limits, engine, extra runs)
    and redraws (frames, the picture and the numbers rendered at 80 columns), as the lab screen does."""
    import io

    from rich.console import Console

    from tutor import labs
    from tutor.screens.labs import lab_view

    names = labs.names()[:3] if smoke else labs.names()
    out, worst = [], ("", 0.0)
    for name in names:
        text = labs.to_text(labs.example(name))

        def edit(name=name, text=text):
            run = labs.run(name, text + "\n")
            inputs = labs.parse(name, text)
            console = Console(file=io.StringIO(), width=52, color_system="truecolor", force_terminal=True)
            parts, _ = lab_view(name, inputs, run, 0, "en", 50)
            for p in parts:
                console.print(p)

        edit()   # warm: imports, registry
        samples = timeit(edit, max(reps, 5) if not smoke else 1)
        med, spread = summary(samples)
        worst = max(worst, (name, med), key=lambda x: x[1])
        out.append(Result(f"lab edit → redraw: {name}", ms(med), spread, budget="≤ 50 ms", budget_ok=med <= 0.050))
    return out


def cli_start(smoke: bool, reps: int) -> list[Result]:
    """CPU time (user + system) of `tutor solve` and `tutor practice --plain` to their first output,
    each paired with `python -c "import numpy"` run right before it; judged by the median of the
    pairs' ratios (budget ≤ 1.5×, the architecture issue)."""
    import resource

    tutor_cmd, how = _installed_tutor()
    data = tempfile.mkdtemp(prefix="bench-cli-")
    solve = [*tutor_cmd.split(), "solve", "em-coins", "--input",
             '{"rounds": ["HTTTHHTHTH", "HHHHTHHHHH"], "theta_a": 0.6, "theta_b": 0.5}']
    practice = [*tutor_cmd.split(), "practice", "em", "--plain", "--count", "1", "--data-dir", data, "--lang", "en"]
    numpy_cmd = [sys.executable, "-c", "import numpy"]
    # the tutor runs numpy with one BLAS thread (tutor.cli.BLAS_THREADS); the same import with that
    # setting shows what the tutor itself adds (reported, not judged)
    numpy_1t = [sys.executable, "-c", "import os; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); import numpy"]

    def cpu(cmd: list[str]) -> float:   # getrusage counts microseconds; os.times() counts 10 ms ticks
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, input="", capture_output=True, text=True, cwd=tempfile.gettempdir(), check=False)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

    n = 3 if smoke else max(reps, 15)
    out = []
    try:
        for name, cmd in (("tutor solve em-coins (CPU)", solve), ("tutor practice em --plain (CPU)", practice)):
            cpu(cmd)  # warm: caches, .pyc
            pairs = [(cpu(cmd), cpu(numpy_cmd)) for _ in range(n)]
            ratio = statistics.median(t / b for t, b in pairs if b > 0)
            med, spread = summary([t for t, _ in pairs])
            out.append(Result(name, ms(med), spread, f"{ratio:.2f}× import numpy (paired)", "≤ 1.5× import numpy",
                              None if smoke else ratio <= 1.5, note=how))
        pairs = [(cpu(practice), cpu(numpy_1t)) for _ in range(n)]
        ratio = statistics.median(t / b for t, b in pairs if b > 0)
        med, spread = summary([t for t, _ in pairs])
        out.append(Result("tutor practice em --plain (CPU), against numpy with one BLAS thread", ms(med), spread,
                          f"{ratio:.2f}× import numpy, 1 thread (paired)", "reported", None,
                          note="what the tutor adds beyond numpy itself"))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return out


ALL = [
    ("cli-start", cli_start),
    ("startup", startup),
    ("startup-instructions", startup_instructions),
    ("exercises", exercises),
    ("content", content),
    ("due-queue", due_queue),
    ("solve", solve_scaling),
    ("anki-export", anki_export),
    ("exam-drafts", exam_drafts),
    ("labs", lab_edits),
]

__all__ = ["ALL", "json"]


# ----------------------------------------------------------------------------- FSRS optimizer


def synthetic_review_history(store, n_reviews: int, *, seed: int = 0, items: int | None = None) -> int:
    """Fill ``store``'s review log with ``n_reviews`` reviews of a simulated learner whose memory
    follows FSRS with other parameters than the defaults (so a fit has something to find): each
    item is reviewed when the default scheduler says it is due (a few hours late at random), and
    recalled with the probability the learner's own memory gives. Durations are 2–60 s. Returns
    the number of rows written (one transaction)."""
    import random
    from datetime import datetime, timedelta, timezone

    from fsrs import Card, Rating
    from fsrs import Scheduler as FsrsScheduler
    from fsrs.scheduler import DEFAULT_PARAMETERS

    from tutor.clock import iso
    from tutor.store import card_id_for

    rng = random.Random(seed)
    true_params = list(DEFAULT_PARAMETERS)
    true_params[0:4] = [x * 0.45 for x in true_params[0:4]]   # initial stabilities: forgets sooner
    true_params[8] *= 0.75                                     # slower stability growth
    memory = FsrsScheduler(parameters=true_params, enable_fuzzing=False)
    sched = FsrsScheduler(enable_fuzzing=False)
    items = items or max(1, n_reviews // 12)
    start = datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)
    rows = []
    per_item = -(-n_reviews // items)
    for i in range(items):
        item = f"sim.q{i}"
        cid = card_id_for(item)
        t = start + timedelta(hours=rng.uniform(0, 24 * 60))
        mine, plan = Card(card_id=cid, due=t), Card(card_id=cid, due=t)
        for k in range(per_item):
            if len(rows) >= n_reviews:
                break
            if k == 0:
                rating = rng.choices([Rating.Again, Rating.Hard, Rating.Good, Rating.Easy], [0.3, 0.2, 0.4, 0.1])[0]
            else:
                p = float(memory.get_card_retrievability(mine, current_datetime=t))
                rating = Rating.Again if rng.random() > p else rng.choices(
                    [Rating.Hard, Rating.Good, Rating.Easy], [0.15, 0.75, 0.10])[0]
            rows.append((item, "sim", cid, int(rating), 1, "{}", iso(t), iso(t), rng.randint(2_000, 60_000)))
            mine, _ = memory.review_card(mine, rating, review_datetime=t)
            plan, _ = sched.review_card(plan, rating, review_datetime=t)
            t = max(plan.due, t) + timedelta(minutes=rng.uniform(1, 600))
    with store.tx() as c:
        c.executemany("INSERT INTO review_log(item_id, topic, card_id, rating, auto, after, due, reviewed_at,"
                      " duration_ms) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def fsrs_optimize(smoke: bool, reps: int) -> list[Result]:
    """tutor optimize on a simulated learner's 10,000 reviews (budget ≤ 60 s on 2 cores)."""
    from tutor.optimize import fit, missing_modules
    from tutor.store import Store

    if missing_modules():
        return [Result("fsrs optimize", "skipped", note=f"needs {', '.join(missing_modules())}")]
    n = 1_000 if smoke else 10_000
    tmp = Path(tempfile.mkdtemp(prefix="bench-optimize-"))
    try:
        store = Store.open(tmp)
        synthetic_review_history(store, n, seed=1)
        samples, cpu, result = [], [], None
        for _ in range(1 if smoke else max(1, min(reps, 3))):
            store.set_setting("fsrs_parameters", None)
            t0, c0 = time.perf_counter(), time.process_time()
            result = fit(store)
            samples.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        store.close()
        med, spread = summary(samples)
        note = (f"CPU {statistics.median(cpu):.1f} s (load {os.getloadavg()[0]:.1f}); "
                f"{result.usable} usable of {result.reviews}; log loss {result.default['log_loss']:.4f} → "
                f"{result.fitted['log_loss']:.4f}, RMSE {result.default['rmse']:.4f} → {result.fitted['rmse']:.4f}; "
                f"optimal retention {result.optimal_retention}")
        return [Result(f"fsrs optimize, {n:,} reviews (fit + measure + optimal retention)", ms(med), spread,
                       budget="≤ 60 s" if not smoke else "", budget_ok=(med <= 60.0) if not smoke else None,
                       note=note)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


ALL.append(("fsrs-optimize", fsrs_optimize))
