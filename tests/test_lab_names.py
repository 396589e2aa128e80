"""What the labs and `tutor solve` show is named for a learner: every output key of every algorithm
has a math name or a word in both languages, the engine's notes and warnings read in Korean with
--lang ko, labels carry no LaTeX braces or a bare `inf`, and an epoch is 에포크 everywhere.

A QA run with --lang ko found `mean: 4.3667, var: …, var_unbiased: 0.4433`, `family │ normal`,
English notes (`the MLE of the variance divides by n …`), raw keys (`reason_ko`, `whitened_cov`,
`samples_per_epoch` …), `‖∂h_t/∂h_{t−1}‖`, `≥ inf` and `에폭당 배치` beside `에포크당 배치 수`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from rich.console import Console, Group

from engine.core import jsonable
from engine.registry import algorithms, get_algorithm
from tutor import labs
from tutor.lab_names import DATA_DICTS, MATH, SENTENCES, VALUES, localised, names_for, shown_name
from tutor.tables import KEY_LABELS, label, print_trace

ROOT = Path(__file__).resolve().parent.parent
NAMES = sorted(algorithms())
HANGUL = re.compile(r"[가-힣]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}\b(?:[ ,;:]+\b[A-Za-z]{2,}\b){2,}")   # three English words in a row


def _run(name: str, inputs: dict) -> dict:
    with np.errstate(all="ignore"):
        return jsonable(get_algorithm(name).run(inputs))


def _presets(name: str) -> list[dict]:
    return [labs.preset(name, "example")] + ([labs.edge(name)] if labs.edge(name) else [])


def _keys(out: dict):
    """Every key a learner can see: the output's, its records' (iterations, steps) and those of
    its dict values (the MLE's estimates), except dicts keyed by data (k-NN's votes per label)."""
    for k, v in out.items():
        yield k
        if isinstance(v, list) and v and all(isinstance(r, dict) for r in v):
            yield from {k2 for r in v for k2 in r}
        if isinstance(v, dict) and k not in DATA_DICTS:
            yield from v


def _named(key: str, own: dict) -> bool:
    """A key has a name when a table declares one (possibly itself: d_k, b_out), or it is one
    letter (x, h, w: the math symbol is its own name); a `*_ko` key is the Korean form of another."""
    return key in own or key in MATH or key in KEY_LABELS or len(key) == 1 or key.endswith("_ko")


@pytest.mark.parametrize("name", NAMES)
def test_every_output_key_of_every_algorithm_has_a_learner_name(name):
    """A new output without a name fails here: add it to tutor.lab_names.MATH (or BY_ALG)."""
    for inputs in _presets(name):
        out = _run(name, inputs)
        own = names_for(name, out)
        unnamed = sorted({k for k in _keys(out) if not _named(k, own)})
        assert not unnamed, (name, unnamed)


@pytest.mark.parametrize("name", NAMES)
def test_tutor_solve_shows_no_trace_key_and_no_english_sentence_in_korean(name):
    alg = get_algorithm(name)
    out = _run(name, labs.example(name))
    buf = io.StringIO()
    print_trace(alg, out, lang="ko", file=buf)
    text = buf.getvalue().split("\n", 1)[1]          # below the title (the command's own name)
    own = names_for(name, out)
    cells = [c.strip() for line in text.splitlines() for c in re.split(r"[│┃]", line) if c.strip()]
    for k in set(_keys(out)):
        if label(k, "ko", own) != k:        # a key with a name other than itself is never shown as it is
            bad = [c for c in cells if c == k or c.startswith((f"{k} [", f"{k}: "))   # a row, a table's title
                   or re.search(rf"(^|, ){re.escape(k)}: ", c)]                          # a dict's key
            assert not bad, (name, k, bad)
    assert "_ko" not in text and "\n[" not in text, name
    for line in text.splitlines():
        for cell in [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]:
            assert not (HANGUL.search(cell) is None and ENGLISH_RUN.search(cell)
                        and not _is_data(name, cell)), (name, cell)


def _is_data(name: str, cell: str) -> bool:
    """Words that are the input's own data (tokens of a sentence), not the tutor's text."""
    return name in ("mlm-masking", "wordpiece")


# inputs that make each of the engine's notes and warnings appear
NOTE_CASES = [
    ("kmeans", {"points": [[0, 0], [1, 0], [0, 1], [5, 5]], "centroids": [[0, 0], [20, 20]], "iterations": 5}),
    ("kmeans", None),
    ("knn", {"points": [[0, 0], [2, 0], [1, 1], [1, -1]], "labels": ["A", "B", "A", "B"], "query": [1, 0], "k": 2}),
    ("knn", {"points": [[0, 0], [2, 0], [4, 0]], "labels": ["A", "B", "A"], "query": [1, 0], "k": 1}),
    ("regression-metrics", {"y_true": [1, 2, 3, 4], "y_pred": [4, 3, 2, 1]}),
    ("regression-metrics", {"y_true": [2, 2, 2], "y_pred": [1, 2, 3]}),
    ("classification-metrics", {"y_true": [0, 0, 1], "y_pred": [0, 0, 0]}),
    ("mle", None),
    ("mle", {"data": [3, 4, 5], "family": "binomial", "n": 5}),
    ("pca", None),
    ("pca", {"x": [[1, 0], [-1, 0], [0, 1], [0, -1]]}),
    ("lstm-cell", {"f": [0.9], "i": [0.9], "o": [0.7], "c_tilde": [2.1], "c_prev": [2.0]}),
    ("lstm-cell", {"f": [1.2, 0.5], "i": [0.5, 0.5], "o": [-0.1, 1.5], "c_tilde": [0.1, 0.2], "c_prev": [0, 0]}),
    ("gmm-em", {"x": [1, 1, 1, 1, 5, 6], "means": [1, 5.5], "vars": [0.5, 1], "iterations": 5}),
]


@pytest.mark.parametrize("name, inputs", NOTE_CASES)
def test_notes_and_warnings_read_in_the_learners_language(name, inputs):
    out = _run(name, inputs if inputs is not None else labs.example(name))
    raw = [s for k in SENTENCES if k in out for s in ([out[k]] if isinstance(out[k], str) else out[k] or [])
           if isinstance(s, str) and s]
    if name != "gmm-em":
        assert raw, (name, "the case should make a note")
    ko = localised(name, out, "ko")
    for k in SENTENCES:
        shown = ko.get(k)
        for s in [shown] if isinstance(shown, str) else shown or []:
            if s:
                assert HANGUL.search(s) and not ENGLISH_RUN.search(s), (name, s)
    assert localised(name, out, "en")["notes" if "notes" in out else "warnings"] == out.get(
        "notes", out.get("warnings"))   # English as the engine wrote it


def test_enumerated_values_and_the_keys_of_a_dict_value_are_in_words():
    ko = localised("mle", _run("mle", {"data": [4.2, 5.1, 3.8], "family": "normal"}), "ko")
    assert ko["family"] == "정규" and set(ko["estimates"]) == {"μ̂", "σ̂²", "σ̂", "s²"}
    assert "var_unbiased" not in str(ko) and "MLE σ̂²" in ko["notes"][0]
    perceptron = _run("perceptron", {"gate": "and"})
    shown = localised("perceptron", perceptron, "ko")
    assert "reason_ko" not in shown and shown["reason"] == perceptron["reason_ko"]
    assert localised("perceptron", perceptron, "en")["reason"] == perceptron["reason"]
    for key, words in VALUES.items():
        assert all(HANGUL.search(shown_name(w, "ko")) for w in words.values()), key


def test_the_lstm_example_is_one_a_cell_can_produce_and_a_warning_shows_in_lab_and_cli():
    """The example had c̃ = 2.1 beside the hint c̃ ∈ [−1, 1]; the lab showed no warning and the CLI
    warned in English only."""
    from engine.algorithms.lstm import SEED_TABLE
    from tutor.screens.labs import lab_view

    ex = labs.example("lstm-cell")
    assert all(-1 <= v <= 1 for v in ex["c_tilde"]) and _run("lstm-cell", ex)["warnings"] == []
    run = labs.run_inputs("lstm-cell", dict(SEED_TABLE))      # the notes' table keeps its c̃ = 2.1
    for lang, word in (("ko", "범위 밖"), ("en", "outside")):
        text = _render(lab_view("lstm-cell", dict(SEED_TABLE), run, 0, lang, 100, color=False)[0])
        assert "⚠" in text and word in text and "2.1" in text, text
        buf = io.StringIO()
        print_trace(get_algorithm("lstm-cell"), run.out, lang=lang, file=buf)
        assert word in buf.getvalue() and "2.1" in buf.getvalue()


def _render(parts) -> str:
    c = Console(width=140, force_terminal=False, color_system=None)
    with c.capture() as cap:
        c.print(Group(*parts))
    return cap.get()


BRACES_OR_INF = re.compile(r"_\{|(?<![\w−-])[-−]?inf(?![\w])")


def _chart_texts(name: str, inputs: dict, run, lang: str) -> list[str]:
    from tutor.plots_lab import charts

    texts = []
    for f in labs.frames(name, run.out):
        for ch in charts(name, inputs, run.out, f.index, run.extras, lang):
            texts += [ch.title, ch.xlabel, ch.ylabel] + [s.label for s in ch.series]
    return texts


@pytest.mark.parametrize("name", labs.names())
def test_lab_titles_legends_and_row_labels_have_no_latex_braces_or_bare_inf(name):
    for inputs in _presets(name):
        run = labs.run_inputs(name, inputs)
        assert run.out is not None, name
        for lang in ("ko", "en"):
            shown = localised(name, run.out, lang)
            fs = labs.frames(name, shown)
            texts = _chart_texts(name, inputs, run, lang) + [f.title[lang] for f in fs]
            texts += [shown_name(n, lang) for f in fs for n, _ in f.rows]
            texts += [shown_name(n, lang) for n, _ in labs.summary_rows(name, shown)]
            bad = sorted({t for t in texts if isinstance(t, str) and BRACES_OR_INF.search(t)})
            assert not bad, (name, lang, bad)


def test_the_roc_marker_says_infinity_as_the_table_does():
    inputs = labs.example("classification-metrics")
    run = labs.run_inputs("classification-metrics", inputs)
    labels = _chart_texts("classification-metrics", inputs, run, "ko")
    assert "≥ ∞" in labels and not any(t == "≥ inf" for t in labels)


def _strings(node, skip=("accept", "blanks")):
    """Every text of a content file, except the answers a learner may type (accepted spellings)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            if k not in skip:
                yield from _strings(v, skip)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, skip)


def test_an_epoch_is_called_에포크_in_every_learner_facing_text():
    """One term per concept: 에폭 appeared beside 에포크 in the batching lab. Typed answers may still
    say 에폭 (content `accept:` and cloze blanks), but nothing the tutor shows does."""
    bad = [str(p.relative_to(ROOT)) for d in ("tutor", "engine") for p in (ROOT / d).rglob("*.py")
           if "에폭" in p.read_text(encoding="utf-8")]
    for p in (ROOT / "content").rglob("*.yaml"):
        if any("에폭" in s for s in _strings(yaml.safe_load(p.read_text(encoding="utf-8")))):
            bad.append(str(p.relative_to(ROOT)))
    assert not bad, bad
    from tutor.screens.labs import lab_view

    run = labs.run_inputs("batching", labs.example("batching"))
    for step in range(len(labs.frames("batching", run.out))):
        text = _render(lab_view("batching", labs.example("batching"), run, step, "ko", 100, color=False)[0])
        assert "에폭" not in text and "에포크" in text
