"""Explanations of wrong answers to fixed questions: options' ``why`` and numeric ``mistakes:``
(issue #16): the format's checks, the feedback a wrong answer gets, and the shipped content."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tutor.content import check_catalog, load_catalog
from tutor.session import Study

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

HEAD = """topic: tq
order: 1
title: {ko: 시험, en: Test}
questions:
"""

CHOICE = """  - id: tq.c
    kind: choice
    prompt: {ko: "어느 것이 맞나요?", en: "Which is right?"}
    choices:
      - {ko: "가", en: "A"}
      - {ko: "나", en: "B", why: {ko: "나는 틀린 이유입니다.", en: "B is wrong because of this."}}
      - {ko: "다", en: "C"%(extra)s}
    answer: %(answer)s
    shuffle: false
    explain: {ko: "가가 맞습니다.", en: "A is right."}
"""

NUMERIC = """  - id: tq.n
    kind: numeric
    compute:
      mle:
        engine: em-coins
        inputs:
          rounds: [HTTTHHTHTH, HHHHTHHHHH]
          labels: [B, A]
    prompt: {ko: "$\\\\hat\\\\theta_B$는?", en: "What is $\\\\hat\\\\theta_B$?"}
    answer: {run: mle, key: theta_b}
    tolerance: {atol: 0.005}
    mistakes:
%(mistakes)s
    explain: {ko: "5/10입니다.", en: "It is 5/10."}
"""

GOOD_MISTAKES = """      - {value: 0.25, why: {ko: "전체 20번으로 나눴습니다.", en: "You divided by all 20 flips."}}
      - {run: mle, key: theta_a, why: {ko: "동전 A의 값입니다.", en: "That is coin A's value."}}"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    f = tmp_path / "tq.yaml"
    f.write_text(HEAD + text, encoding="utf-8")
    cat = load_catalog([f], verify_numbers=True)
    return [str(p) for p in list(cat.problems) + check_catalog(cat)]


def test_good_explanations_load_with_zero_problems(tmp_path):
    text = CHOICE % {"extra": ', why: {ko: "다는 틀렸습니다.", en: "C is wrong."}', "answer": 0} + \
        NUMERIC % {"mistakes": GOOD_MISTAKES}
    assert problems_of(tmp_path, text) == []


def test_a_question_without_its_wrong_answers_explained_is_a_problem(tmp_path):
    text = CHOICE % {"extra": "", "answer": 0}                      # option C has no why
    assert {p.split(": ", 2)[1] for p in problems_of(tmp_path, text)} == {"tq.c.choices"}


BAD = {   # name: (question text, key in the message, words of the message)
    "why-one-language": (CHOICE % {"extra": ", why: {ko: \"다는 틀렸습니다.\"}", "answer": 0},
                         "tq.c.choices[2].why.en", "missing language"),
    "why-single-text": (CHOICE % {"extra": ", why: \"C is wrong\"", "answer": 0},
                        "tq.c.choices[2].why", "both languages"),
    "why-on-right-option": (CHOICE % {"extra": "", "answer": 1}, "tq.c.choices[1].why", "right option"),
    "mistake-not-a-list": (NUMERIC % {"mistakes": "      0.25"}, "tq.n.mistakes", "non-empty list"),
    "mistake-value-not-number": (NUMERIC % {"mistakes": '      - {value: "a lot", why: {ko: "가.", en: "A."}}'},
                                 "tq.n.mistakes[0].value", "finite number"),
    "mistake-value-and-run": (NUMERIC % {"mistakes": "      - {value: 0.2, run: mle, key: theta_a, "
                                                     'why: {ko: "가.", en: "A."}}'},
                              "tq.n.mistakes[0]", "not both"),
    "mistake-no-value": (NUMERIC % {"mistakes": '      - {why: {ko: "가.", en: "A."}}'},
                         "tq.n.mistakes[0]", "value the mistake gives"),
    "mistake-unknown-run": (NUMERIC % {"mistakes": '      - {run: mel, key: theta_a, why: {ko: "가.", en: "A."}}'},
                            "tq.n.mistakes[0].run", "not a compute"),
    "mistake-bad-key": (NUMERIC % {"mistakes": '      - {run: mle, key: theta_z, why: {ko: "가.", en: "A."}}'},
                        "tq.n.mistakes[0].key", "theta_z"),
    "mistake-key-not-a-number": (NUMERIC % {"mistakes": '      - {run: mle, key: heads, why: {ko: "가.", en: "A."}}'},
                                 "tq.n.mistakes[0].key", "not one finite number"),
    "mistake-no-why": (NUMERIC % {"mistakes": "      - {value: 0.25}"}, "tq.n.mistakes[0].why", "missing"),
    "mistake-why-one-language": (NUMERIC % {"mistakes": '      - {value: 0.25, why: {en: "A."}}'},
                                 "tq.n.mistakes[0].why.ko", "missing language"),
    "mistake-unknown-key": (NUMERIC % {"mistakes": '      - {value: 0.25, wyh: {ko: "가.", en: "A."}}'},
                            "tq.n.mistakes[0].wyh", "unknown key"),
    "mistake-is-the-answer": (NUMERIC % {"mistakes": '      - {value: 0.5, why: {ko: "가.", en: "A."}}'},
                              "tq.n.mistakes[0].value", "right answer"),
    "why-detached-particle": (CHOICE % {"extra": ', why: {ko: "$\\\\theta_B$ 로 나눕니다.", en: "Divide."}',
                                        "answer": 0}, "tq.c.choices[2].why.ko", ""),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_explanation_is_one_problem_with_path_line_key(tmp_path, name):
    text, key, words = BAD[name]
    probs = problems_of(tmp_path, text)
    hits = [p for p in probs if f": {key}: " in p]
    assert hits, probs
    assert all(p.startswith(str(tmp_path / "tq.yaml") + ":") and p.split(":")[1].isdigit() for p in hits), hits
    assert words in hits[0]


def study_of(tmp_path: Path, text: str, lang: str = "en") -> Study:
    f = tmp_path / "tq.yaml"
    f.write_text(HEAD + text, encoding="utf-8")
    return Study(load_catalog([f]), lang=lang)


def test_a_wrong_choice_shows_its_options_why_in_both_languages(tmp_path):
    s = study_of(tmp_path, CHOICE % {"extra": "", "answer": 0})
    s.ask("tq.c")
    g = s.grade({"choice": "2"})
    assert not g.correct
    assert "B is wrong because of this." in g.feedback("en")
    assert "나는 틀린 이유입니다." in g.feedback("ko")
    other = s.grade({"choice": "3"})   # an option without a why: the plain line, not B's why
    assert "because of this" not in other.feedback("en")
    assert s.grade({"choice": "1"}).correct


def test_a_wrong_choice_why_follows_the_shuffled_order(tmp_path):
    s = study_of(tmp_path, (CHOICE % {"extra": "", "answer": 0}).replace("shuffle: false", "shuffle: true"))
    for seed in range(1, 8):
        ask = s.ask("tq.c", seed=seed)
        pos = ask.shown_position(1) + 1
        assert "because of this" in s.grade({"choice": str(pos)}).feedback("en")
        assert "because of this" not in s.grade({"choice": str(ask.shown_position(2) + 1)}).feedback("en")


def test_multi_names_the_why_of_each_wrong_pick(tmp_path):
    text = (CHOICE % {"extra": ', why: {ko: "다도 틀렸습니다.", en: "C is wrong too."}', "answer": "[0]"}
            ).replace("kind: choice", "kind: multi")
    s = study_of(tmp_path, text)
    s.ask("tq.c")
    fb = s.grade({"multi": "1 2 3"}).feedback("en")
    assert "(2) B is wrong because of this." in fb and "(3) C is wrong too." in fb
    fb = s.grade({"multi": "1 3"}).feedback("ko")
    assert "다도 틀렸습니다." in fb and "나는" not in fb


def test_a_numeric_answer_equal_to_a_listed_mistake_shows_its_why(tmp_path):
    s = study_of(tmp_path, NUMERIC % {"mistakes": GOOD_MISTAKES})
    s.ask("tq.n")
    assert "all 20 flips" in s.grade({"value": "5/20"}).feedback("en")
    assert "동전 A의 값" in s.grade({"value": "0.9"}).feedback("ko")     # theta_a, computed by the engine
    plain = s.grade({"value": "0.33"})
    assert not plain.correct and plain.mistake_text is None
    assert "flips" not in plain.feedback("en")
    assert s.grade({"value": "0.5"}).correct


def test_em_theta_b_wrong_answers_each_get_their_own_line():
    cat = load_catalog([CONTENT])
    s = Study(cat, lang="en")
    s.ask("em.q.complete-theta-b")
    lines = {}
    for lang in ("en", "ko"):
        got = [s.grade({"value": a}).feedback(lang) for a in ("9/50", "0.8", "0.55")]
        assert len(set(got)) == 3, got
        assert all(fb != s.grade({"value": "0.3"}).feedback(lang) for fb in got)
        lines[lang] = got
    assert "50" in lines["en"][0] and "θ_A" in lines["en"][1].replace("\\hat\\theta_A", "θ_A")
    assert "tails" in lines["en"][2] and "뒷면" in lines["ko"][2]


@pytest.mark.slow
def test_check_content_on_the_shipped_content_has_zero_problems_and_counts_explanations():
    out = subprocess.run([sys.executable, "-m", "tutor", "check-content", str(CONTENT)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "0 problems" in out.stdout
    counts = [ln for ln in out.stdout.splitlines() if ln.startswith("wrong answers explained")]
    assert counts and "questions with" in counts[0]
