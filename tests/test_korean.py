"""Korean first (issue #22): text answers as people write them, and one term per concept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.grading import grade_cloze, grade_text
from tutor.textmatch import Glossary, Term, edit_distance_at_most_one, load_glossary, match, normalise

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"          # this checkout's content, whatever tutor_content resolves to
GLOSSARY = load_glossary(CONTENT / "glossary.yaml")

FORGET = ["forget gate", "forget", "f", "f_t", "망각 게이트", "망각", "삭제 게이트", "포겟 게이트"]   # lstm.q.forget-name
KNN = [["지도", "supervised", "지도학습"], ["이웃", "neighbours"], ["비지도", "unsupervised", "비지도학습"], ["군집", "clusters"]]
CHAIN = ["chain rule", "the chain rule", "연쇄 법칙", "연쇄법칙", "체인 룰", "체인룰"]                 # backprop.q.term
BACKPROP_EN = ["backpropagation", "backprop", "back-propagation"]                               # asks for English
FINE_TUNING_KO = ["미세조정", "미세 조정", "파인튜닝"]                                              # asks for Korean


def grade(accepted, text):
    return grade_text(accepted, text, glossary=GLOSSARY)


ACCEPTED = [
    # (accepted answers, typed)
    (FORGET, "망각게이트"),
    (FORGET, "포겟게이트"),
    (FORGET, "포겟 게이트"),
    (FORGET, "망각 gate"),
    (FORGET, "forget 게이트"),
    (FORGET, "망각 게이트(forget gate)"),
    (FORGET, "forget gate (망각 게이트)"),
    (FORGET, "망각 게이트 forget gate"),
    (FORGET, "Forget Gate"),
    (FORGET, "FORGET-GATE"),
    (FORGET, "forget_gate"),
    (FORGET, "망각 게이트요"),
    (FORGET, "망각 게이트입니다"),
    (FORGET, "ｆｏｒｇｅｔ ｇａｔｅ"),
    (CHAIN, "연쇄 규칙"),
    (CHAIN, "연쇄규칙"),
    (CHAIN, "연쇄 법칙(chain rule)"),
    (CHAIN, "체인 룰"),
    (BACKPROP_EN, "back propagation"),
    (BACKPROP_EN, "backpropagation(역전파)"),   # the English asked for, the Korean name beside it
    (FINE_TUNING_KO, "미세 조정"),
    (FINE_TUNING_KO, "파인 튜닝"),
    (["vanishing gradient"], "gradient vanishing"),
    (["기울기 소실"], "그래디언트 소실"),          # avoided in our texts, still right as an answer
    (["responsibility", "책임값"], "  Responsibility "),
    (["back-propagation"], "ＢＡＣＫ propagation"),
]

REJECTED = [
    (FORGET, "입력 게이트"),
    (FORGET, "input gate"),
    (FORGET, "출력 게이트"),
    (FORGET, "망각 게이트(input gate)"),
    (FORGET, "망각 input"),
    (BACKPROP_EN, "역전파"),                     # the question asks for the English term
    (FINE_TUNING_KO, "fine-tuning"),             # the question asks for the Korean term
    (CHAIN, "연쇄"),
    (["responsibility"], "likelihood"),
    (["1", "1.0"], "10"),                        # a period is not dropped
    (["1", "1.0"], "-1"),                        # a minus sign is not a hyphen
    (["p - 1", "p-1"], "p+1"),
]


@pytest.mark.parametrize("accepted,typed", ACCEPTED)
def test_text_answers_as_people_write_them(accepted, typed):
    g = grade(accepted, typed)
    assert g.correct, (typed, g.format_error)


@pytest.mark.parametrize("accepted,typed", REJECTED)
def test_wrong_terms_are_rejected_and_the_answer_is_shown(accepted, typed):
    g = grade(accepted, typed)
    assert not g.correct and g.format_error is None, typed
    assert g.expected and accepted[0] in g.expected["en"]
    assert g.feedback("ko").startswith("틀렸습니다.") and "정답:" in g.feedback("ko")
    assert "Expected:" in g.feedback("en")


def test_the_expected_answer_is_shown_in_both_languages_ui_language_first():
    g = grade(FORGET, "입력 게이트")
    assert g.feedback("ko") == "틀렸습니다. 정답: 망각 게이트 / forget gate."
    assert g.feedback("en") == "Not right. Expected: forget gate / 망각 게이트."
    assert grade(FORGET, "forget gate").feedback("ko") == "정답입니다."


CLOZE_OK = [
    {"blank[1]": "지도 학습", "blank[2]": "이웃", "blank[3]": "비지도학습", "blank[4]": "군집"},
    {"blank[1]": "supervised learning", "blank[2]": "neighbours", "blank[3]": "unsupervised learning", "blank[4]": "clusters"},
    {"blank[1]": "지도학습이다", "blank[2]": "이웃", "blank[3]": "비지도 학습", "blank[4]": "군집"},
    {"blank[1]": "supervised 학습", "blank[2]": "이웃", "blank[3]": "비지도 learning", "blank[4]": "군집"},
]


@pytest.mark.parametrize("answers", CLOZE_OK)
def test_cloze_blanks_take_glossary_forms(answers):
    g = grade_cloze(KNN, answers, glossary=GLOSSARY)
    assert g.correct, g.feedback("en")


@pytest.mark.parametrize("typed", ["비지도 학습", "비지도학습", "unsupervised learning", "unsupervised"])
def test_the_other_term_is_wrong_not_almost(typed):
    """비지도학습 is one letter from 지도학습, but it is another term: wrong, never a free near miss."""
    g = grade_cloze(KNN, {"blank[1]": typed, "blank[2]": "이웃", "blank[3]": "비지도", "blank[4]": "군집"},
                    glossary=GLOSSARY)
    assert g.format_error is None and g.score == pytest.approx(0.75)
    assert not g.fields["blank[1]"].ok
    assert g.expected == {"en": "Expected: (1) supervised / 지도.", "ko": "정답: (1) 지도 / supervised."}
    assert "정답: (1) 지도 / supervised." in g.feedback("ko")


NEAR = [
    (FORGET, "forgt gate"),          # one letter dropped
    (FORGET, "froget gate"),         # two neighbours swapped
    (FORGET, "망각 게이뜨"),           # one syllable replaced
    (CHAIN, "chain rulle"),
    (["vanishing gradient"], "vanishing gradiant"),
    (["least squares"], "least square"),
]


@pytest.mark.parametrize("accepted,typed", NEAR)
def test_one_letter_off_a_long_term_is_a_free_format_error(accepted, typed):
    g = grade(accepted, typed)
    assert g.format_error and not g.correct and g.score == 0
    assert "철자" in g.format_error["ko"] and "spelling" in g.format_error["en"]


@pytest.mark.parametrize("accepted,typed", [
    (["E", "expectation"], "F"),          # short: just wrong
    (["지도", "지도학습"], "지도학"),       # 4 syllables: too short to call a slip
    (["0.250", "0.25"], "0.251"),         # digits are never a spelling slip
    (FORGET, "입력 게이트"),                # one syllable off, but another glossary term
])
def test_no_near_miss_for_short_words_numbers_or_other_terms(accepted, typed):
    g = grade(accepted, typed)
    assert g.format_error is None and not g.correct


def test_cloze_near_miss_names_the_blank_and_is_free():
    g = grade_cloze([["E"], ["maximization"]], {"blank[1]": "E", "blank[2]": "maximizaton"}, glossary=GLOSSARY)
    assert g.format_error and g.format_error["en"].startswith("Blank 2:")


def test_normalise_and_edit_distance():
    assert normalise("Forget-Gate") == normalise("forget gate") == normalise("forget·gate") == "forgetgate"
    assert normalise("지도 학습") == normalise("지도학습")
    assert normalise("-1") == "-1" and normalise("1.0") == "1.0"
    assert edit_distance_at_most_one("abcde", "abde") and edit_distance_at_most_one("abcde", "abdce")
    assert not edit_distance_at_most_one("abcde", "badce") and not edit_distance_at_most_one("abc", "abcde")


def test_a_glossary_term_brings_its_forms_and_word_by_word_mixes():
    g = Glossary([Term("망각 게이트", "forget gate", ("포겟 게이트",))])
    assert match("forget 게이트", ["망각 게이트", "forget gate"], g).ok
    assert match("포겟게이트", ["forget gate", "망각"], g).ok
    assert not match("포겟게이트", ["forget gate"], g).ok      # English asked: no Korean forms
    assert not match("포겟게이트", ["망각 게이트", "forget gate"], None).ok


def test_the_shipped_glossary_has_terms_and_the_default_is_the_shipped_one():
    from tutor.textmatch import default_glossary

    assert len(GLOSSARY.terms) >= 40
    assert GLOSSARY.terms_of("vanishing gradient")[0].ko == "기울기 소실"
    from tutor.model import default_content_dir
    from tutor.textmatch import _shipped_glossary_path

    assert _shipped_glossary_path() == default_content_dir() / "glossary.yaml"   # what tutor_content resolves to
    assert default_glossary() is default_glossary()                                # read once


# --------------------------------------------------------------------------- one term per concept


def _check(tmp_path, text: str, name: str = "t.yaml"):
    from tutor.content import check_catalog, load_catalog

    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    cat = load_catalog([tmp_path])
    return cat, check_catalog(cat, verify_numbers=False)


TERMS = """
terms:
  - {ko: 기울기 소실, en: vanishing gradient, avoid: [그래디언트 소실]}
  - {ko: 기울기, en: gradient, avoid: [그래디언트]}
  - {ko: 쿼리, en: query, avoid: [질의]}
  - {ko: 원소별 곱, en: element-wise product, avoid: ["\\\\otimes"]}
"""

STYLE_FIXTURE = """topic: t
order: 1
title: {ko: "주제", en: "Topic"}
cards:
  - id: t.a
    title: {ko: "그래디언트 소실 문제", en: "Vanishing gradients"}
    body:
      ko: |
        첫 줄은 괜찮습니다.
        여기서 그래디언트가 줄어듭니다.
        질의점 q 와 질의응답은 다른 말이고, 쿼리는 그대로 둡니다.
        기울기(그래디언트라고도 함)는 괜찮고, 기울기, 그래디언트 처럼 나란히 적는 것도 괜찮습니다.
        $f \\otimes c$ 는 안 됩니다.
      en: |
        The gradient and $f \\otimes c$.
    note:
      ko: "흔한 실수: 반복된 제목"
      en: "Fine."
""" + TERMS


def test_an_avoided_form_is_reported_at_its_line(tmp_path):
    cat, probs = _check(tmp_path, STYLE_FIXTURE)
    assert cat.problems == []                      # the terms table itself is fine
    got = [(p.line, p.key, p.message.split(":")[0]) for p in probs]
    path = str(tmp_path / "t.yaml")
    assert all(p.path == path for p in probs)
    assert (6, "t.a.title.ko", "avoid '그래디언트 소실'") in got
    assert (10, "t.a.body.ko", "avoid '그래디언트'") in got
    assert (11, "t.a.body.ko", "detached particle '와' in 'q 와'") in got
    assert (13, "t.a.body.ko", "avoid '\\\\otimes'") in got
    assert (15, "t.a.body.en", "avoid '\\\\otimes'") in got      # a non-Hangul form: both languages
    assert (17, "t.a.note.ko", "the note is already shown under the heading 흔한 실수 / Common mistake; "
                               "don't start it with the heading again") in [(p.line, p.key, p.message) for p in probs]
    # 질의점, 질의응답 are other words; the avoided form named beside the course term is allowed
    assert not [p for p in probs if p.line in (11, 12) and "avoid" in p.message]
    assert len([p for p in probs if p.message.startswith("avoid")]) == 4
    assert str(probs[0]).startswith(f"{path}:6: t.a.title.ko: avoid '그래디언트 소실': the course writes '기울기 소실'")


def test_the_shipped_content_has_no_avoided_form_and_no_detached_particle():
    from tutor.content import check_catalog, load_catalog

    cat = load_catalog([CONTENT])
    assert check_catalog(cat, verify_numbers=False) == []
    assert len([t for t in GLOSSARY.terms if t.avoid]) >= 8


PARTICLES_FLAGGED = [
    "연쇄 법칙(chain rule) 은 곱입니다.",
    "게이트(gate) 가 정합니다.",
    "덧셈 으로 더합니다.",
    "softmax 가 확률을 냅니다.",
    "값은 −1 과 1 사이입니다.",
    "$h_t$ 를 구합니다.",
    "`model.eval()` 이 바꿉니다.",
    "**역전파** 는 빠릅니다.",
    "정확도 90% 는 높습니다.",
    "{{run.x:.2f}} 로 갱신됩니다.",
    "2.5 와 3.5 는 다릅니다.",
    "\"embeddings\" 를 나눕니다.",
]
PARTICLES_FINE = [
    "따라서 이 값은 1입니다.",          # 이 after a Hangul word: the determiner
    "끝났습니다. 이 식은 틀립니다.",      # after a sentence
    "**병렬화할 수 없습니다.** 이 한계가 있습니다.",
    "1, 2, 3 과정",                    # 과정 is a word, not 과 + space
    "a | 는 표의 칸입니다.",            # a table cell starts
    "$\\text{ 일 때}$ 와",              # inside math nothing is checked; the closing $ then 와 is flagged below
    "연쇄 법칙(chain rule)은 곱입니다.",
]


@pytest.mark.parametrize("text", PARTICLES_FLAGGED)
def test_detached_particles_are_found(text):
    from tutor.content.style import particle_hits

    assert [h for h in particle_hits(text) if h[3] == "attach"], text


@pytest.mark.parametrize("text", PARTICLES_FINE)
def test_words_that_look_like_particles_are_not(text):
    from tutor.content.style import particle_hits

    hits = particle_hits(text)
    if text.startswith("$\\text"):
        assert [text[h[0]:h[1] + 1] for h in hits] == [" 와"]
    else:
        assert hits == [], text


def test_emphasis_ending_in_punctuation_asks_to_move_it_out():
    from tutor.content.style import particle_hits

    assert [h[3] for h in particle_hits("**연쇄 법칙(chain rule)** 은 곱입니다.")] == ["emphasis"]
    assert [h[3] for h in particle_hits("**역전파** 는 빠릅니다.")] == ["attach"]


def test_a_bad_terms_table_is_reported_and_the_file_still_loads(tmp_path):
    text = STYLE_FIXTURE.replace(TERMS, """
terms:
  - {ko: gradient, en: gradient}
  - {ko: 기울기, en: slope, accept: [gradient]}
  - {ko: 쿼리, en: query, avoid: 질의, note: x}
  - just text
""")
    cat, _ = _check(tmp_path, text)
    assert "t" in cat.topics and cat.items_by_topic()["t"] == ["t.a"]
    msgs = [(p.line, p.key, p.message) for p in cat.problems]
    assert (21, "terms[0].ko", "'gradient' has no Hangul: ko is the Korean term") in msgs
    assert any(k == "terms[1]" and "also a form of terms[0]" in m for _, k, m in msgs)
    assert (23, "terms[2].avoid", "expected a list of texts") in msgs
    assert any(k == "terms[2].note" and m.startswith("unknown key") for _, k, m in msgs)
    assert any(k == "terms[3]" for _, k, _m in msgs)


def test_check_content_cli_reports_style_problems(tmp_path):
    import subprocess
    import sys

    (tmp_path / "t.yaml").write_text(STYLE_FIXTURE, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "tutor", "check-content", "--no-verify", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1
    assert f"{tmp_path / 't.yaml'}:10: t.a.body.ko: avoid '그래디언트'" in r.stdout


def test_a_huge_answer_is_graded_quickly():
    import time

    t0 = time.perf_counter()
    for typed in ("망각 " * 50_000, "a" * 100_000 + "(b)", "forget gate" + " x" * 20_000):
        assert not grade(FORGET, typed).correct
    assert time.perf_counter() - t0 < 1.0


@pytest.mark.parametrize("word,particle,out", [
    ("빈칸 1", "이", "빈칸 1이"), ("빈칸 2", "이", "빈칸 2가"), ("빈칸 3", "가", "빈칸 3이"),
    ("기울기", "은", "기울기는"), ("연쇄 법칙", "는", "연쇄 법칙은"), ("망각 게이트(forget gate)", "을", "망각 게이트(forget gate)를"),
    ("f", "은", "f는"), ("L", "이", "L이"), ("W_hh", "를", "W_hh를"), ("softmax", "가", "softmax가"), ("…", "가", "…이(가)"),
    ("서울", "으로", "서울로"), ("집", "로", "집으로"), ("바다", "으로", "바다로"), ("1", "로", "1로"), ("3", "로", "3으로"),
    ("'x'", "은", "'x'는"),
])
def test_josa_picks_the_particle_by_the_last_sound(word, particle, out):
    from tutor.korean import josa

    assert josa(word, particle) == out


def test_an_empty_blank_says_which_with_the_right_particle():
    g = grade_cloze([["E"], ["M"]], {"blank[1]": "E"})
    assert g.format_error["ko"] == "빈칸 2가 비어 있습니다."
    assert grade_cloze([["E"], ["M"]], {"blank[2]": "M"}).format_error["ko"] == "빈칸 1이 비어 있습니다."


# ----------------------------------------------------------------------------- answers as Koreans type them


@pytest.mark.parametrize("typed", ["비지도이고", "비지도 학습이고", "비지도학습이며"])
def test_a_blank_answered_with_a_connective_ending_is_right(typed):
    """The blank stands before "학습이고": students type the ending back."""
    from tutor.grading import grade_cloze

    blanks = [["비지도", "비지도학습", "unsupervised"], ["지도", "지도학습", "supervised"]]   # kmeans.q.cloze
    g = grade_cloze(blanks, {"blank[1]": typed, "blank[2]": "지도"})
    assert g.correct, g.feedback("ko")


@pytest.mark.parametrize("typed", ["1입니다", "1이다", "1요"])
def test_a_number_with_a_copula_in_a_blank_is_the_number(typed):
    from tutor.grading import grade_cloze

    assert grade_cloze([["델타", "delta"], ["1", "one", "일"]], {"blank[1]": "델타", "blank[2]": typed}).correct


@pytest.mark.parametrize("typed,value", [("1.41입니다", 1.41), ("0.45요", 0.45), ("71%입니다", 0.71), ("1이다", 1.0)])
def test_a_number_field_reads_the_number_before_a_copula(typed, value):
    from tutor.grading import parse_number

    assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed,value", [("약 0.93", 0.93), ("약0.93", 0.93), ("대략 0.5입니다", 0.5),
                                         ("about 0.93", 0.93), ("≈ 71%", 0.71)])
def test_a_hedge_before_a_number_is_the_number(typed, value):
    """"약 0.93" (about 0.93) was "알 수 없는 이름 '약'"."""
    from tutor.grading import parse_number

    assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed,value", [("1번", 1.0), ("3 번", 3.0), ("1번입니다", 1.0), ("약 2번", 2.0)])
def test_the_counter_beon_after_a_whole_number_is_the_number(typed, value):
    """"1번" (cluster 1) was "곱셈은 *로 쓰세요" — a parser's complaint about a multiplication."""
    from tutor.grading import parse_number

    assert parse_number(typed) == value


@pytest.mark.parametrize("typed,word", [("클래스 1", "클래스"), ("정답은 0.5", "정답"), ("class 2", "class"),
                                        ("2번 군집", "군집"), ("군집 1번", "군집"), ("3개", "개"), ("1.5번", "번")])
def test_a_word_before_a_number_is_a_format_problem_that_names_it(typed, word):
    """"클래스 1" was "알 수 없는 이름 '클래스'" (a parser's words): say to type the number only."""
    from tutor.grading import FormatError, parse_number

    with pytest.raises(FormatError) as e:
        parse_number(typed)
    assert f"'{word}'" in e.value.text["ko"] and "숫자만" in e.value.text["ko"] and "알 수 없는" not in e.value.text["ko"]
    assert f"'{word}'" in e.value.text["en"] and "number only" in e.value.text["en"]


def test_a_unit_after_a_number_is_a_format_problem_that_says_so():
    from tutor.grading import FormatError, parse_number

    with pytest.raises(FormatError) as e:
        parse_number("1.04 nats")
    assert "nats" in e.value.text["ko"] and "*" not in e.value.text["ko"] and "숫자만" in e.value.text["ko"]


@pytest.mark.parametrize("kind", ["text", "cloze", "number", "choice"])
def test_a_lone_korean_letter_left_by_the_keyboard_is_a_free_format_problem_named_as_typed(kind):
    """"민감도ㅇ" was graded wrong (an attempt spent) and "ㅇ" was quoted as another code point (ᄋ)."""
    from tutor.grading import FormatError, grade_choice, grade_cloze, grade_text, parse_number

    if kind == "text":
        problem = grade_text(["민감도", "sensitivity"], "민감도ㅇ").format_error
        assert grade_text(["민감도", "sensitivity"], "민감도ㅇ", final=True).correct   # an exam grades the rest
    elif kind == "cloze":
        problem = grade_cloze([["지도"], ["이웃"]], {"blank[1]": "지도", "blank[2]": "이웃ㅇ"}).format_error
    elif kind == "number":
        with pytest.raises(FormatError) as e:
            parse_number("ㅇ0.28")
        problem = e.value.text
    else:
        problem = grade_choice(0, 4, "ㅇ").format_error
    assert problem is not None and "'ㅇ'" in problem["ko"] and "낱자" in problem["ko"]


@pytest.mark.parametrize("typed", ["4번", "4번요", "4.", "4)", "4요"])
def test_an_option_written_as_koreans_write_it_is_read(typed):
    from tutor.grading import grade_choice

    assert grade_choice(3, 4, typed).correct


@pytest.mark.parametrize("item,typed", [("kmeans.q.kmeanspp", "kmeans++ 초기화"), ("kmeans.q.kmeanspp", "K-평균++"),
                                        ("backprop.q.term", "연쇄율"), ("backprop.q.term", "합성함수 미분법")])
def test_common_korean_names_of_a_term_are_right(item, typed):
    """Names students use for these terms were graded wrong (an attempt spent)."""
    from tutor.content import load_catalog
    from tutor.session import Study

    study = Study(load_catalog(), None, lang="ko")
    study.ask(item)
    assert study.grade({"text": typed}).correct


def test_an_exam_grades_a_number_without_the_stray_keyboard_letter_as_it_does_a_word():
    from engine.core import Field
    from tutor.grading import grade_numbers, t

    f = Field("v", t("value", "값"))
    g = grade_numbers([f], {"v": "ㅇ0.5"}, expected_fn=lambda p: {"v": 0.5}, final=True)
    assert g.correct and not g.unreadable


@pytest.mark.parametrize("typed", ["2→3→4→1", "2-3-4-1", "2 - 3 - 4 - 1", "2−3−4−1", "2341", "2 > 3 > 4 > 1", "2 3 4 1"])
def test_an_order_is_read_as_koreans_write_it(typed):
    """"2→3→4→1", "2-3-4-1" and "2341" were "not an option number" / "there is no option 2341"."""
    from tutor.grading import grade_order

    shown = [3, 0, 1, 2]   # option j+1 belongs at place shown[j]: the right order is 2 3 4 1
    g = grade_order(shown, typed)
    assert g.format_error is None and g.correct, typed


def test_digits_run_together_are_options_only_when_no_such_option_exists():
    from tutor.grading import grade_choice, grade_multi

    assert grade_multi([0, 2], 5, "13").correct            # options 1 and 3 of five
    assert grade_choice(11, 12, "12").correct               # option 12 of twelve, not 1 and 2


@pytest.mark.parametrize("typed,value", [
    ("θ_A=0.10", 0.10), ("새 θ_A = 0.1", 0.1), ("θA ≈ 0.89", 0.89), ("new θ_A: 0.3", 0.3),   # the cell's own name
    ("17.63 퍼센트", 0.1763), ("17.63프로", 0.1763),                                        # the word for %
    ("0.341 정도", 0.341), ("0.3쯤", 0.3), ("20가량", 20), ("0.34 정도입니다", 0.34),      # a hedge after it
    ("0.79 (반올림)", 0.79), ("0.3쯤 (반올림)", 0.3),                                       # a remark in brackets
])
def test_a_number_written_as_students_write_it_is_accepted(typed, value):
    """A QA week in Korean: "θ_A=0.10" in the cell 새 θ_A was "알 수 없는 이름 'θ_A'", "17.63 퍼센트"
    and "0.341 정도" were refused while "%" and "약" were accepted, and "0.79 (반올림)" was read as a
    multiplication ("곱셈은 *로 쓰세요")."""
    from tutor.grading import parse_number

    assert parse_number(typed, field_name="theta_a", label={"ko": "새 θ_A", "en": "new θ_A"}) == pytest.approx(value)


def test_another_cells_name_before_a_number_says_which_cell_this_is():
    from tutor.grading import FormatError, parse_number

    with pytest.raises(FormatError) as e:
        parse_number("θ_B = 0.3", field_name="theta_a", label={"ko": "새 θ_A", "en": "new θ_A"})
    assert e.value.text["ko"] == "이 칸은 새 θ_A입니다: 이 칸의 숫자만 쓰세요." and "theta_a" not in e.value.text["en"]
    with pytest.raises(FormatError) as e:   # a word, not a name: said as before
        parse_number("정답: 0.5", field_name="theta_a", label={"ko": "새 θ_A", "en": "new θ_A"})
    assert "'정답'" in e.value.text["ko"] and "숫자만" in e.value.text["ko"]
    assert parse_number("2*pi", label={"ko": "x", "en": "x"}) == pytest.approx(6.2832, abs=1e-4)


def test_korean_lessons_attach_particles_and_their_bold_words_render_bold():
    """"**잠재 변수(latent variable)** 입니다": the space kept the bold working (a closing ** after ")"
    and before a Hangul letter does not close in Markdown) at the price of a space before the
    particle. Every card now reads "**잠재 변수**(latent variable)입니다": bold, particle attached."""
    import re

    from markdown_it import MarkdownIt

    from tutor.content import load_catalog, render, run_compute
    from tutor.mathtext import render_markdown_math

    md = MarkdownIt()
    particle = re.compile(r"\*\* (입니다|이라고|라고|라는|이라는|이고|이며|을|를|은|는|의|와|과|으로|로|에서|에)(?=[\s.,)]|$)")
    literal, spaced = [], []
    for topic in load_catalog().topics.values():
        for card in topic.cards:
            body = card.body["ko"]
            spaced += [(card.id, m.group(0)) for m in particle.finditer(body)]
            runs = run_compute(card.compute) if card.compute else {}
            text = render_markdown_math(render(body, runs), display_blocks=True)
            for tok in md.parse(text):
                for child in tok.children or []:
                    if child.type == "text" and "**" in child.content:
                        literal.append((card.id, child.content[:60]))
    assert spaced == [], spaced[:5]
    assert literal == [], literal[:5]


def test_no_lesson_or_question_uses_a_word_the_glossary_says_to_avoid():
    """The glossary lists "스케일드 닷-프로덕트 어텐션" under 쓰지 않는 말, while the attention lesson,
    an exam question and the glossary's own table used it. One term per concept: a lesson, a
    question or an explanation uses the glossary's word (an accepted answer may list any). Avoided
    forms of two letters ("질의") are left out: they begin other words (질의점, 질의응답)."""
    import yaml

    from tutor.content import default_content_dir, load_catalog

    glossary = yaml.safe_load((default_content_dir() / "glossary.yaml").read_text(encoding="utf-8"))
    avoid = {a: t["ko"] for t in glossary["terms"] for a in t.get("avoid", [])
             if len(a) > 2 and not a.startswith("\\")}
    assert "스케일드 닷-프로덕트 어텐션" in avoid
    found = []
    for topic in load_catalog().topics.values():
        texts = [(c.id, c.body.get("ko", "")) for c in topic.cards]
        texts += [(q.id, (q.prompt or {}).get("ko", "") + " " + str((q.explain or {}).get("ko", ""))) for q in topic.questions]
        for where, text in texts:
            found += [(where, a, use) for a, use in avoid.items() if a in text and f"{use}, {a}" not in text]
    assert found == [], found


def test_ui_strings_take_particles_and_plain_ones_need_no_korean_rules():
    """tr fills a template with str.format; one with a particle ({date:은}) goes through the josa
    rules, which the home screen's first frame (no particles) does not import."""
    import subprocess
    import sys

    from tutor.i18n import tr

    assert tr("plan.err.past", "ko", date="2026-12-21", today="x").startswith("2026-12-21은 ")
    assert tr("plan.err.past", "ko", date="2026-12-22", today="x").startswith("2026-12-22는 ")
    assert tr("exam.closed_old", "en", score=0.625).count("62%") == 1   # a standard format spec
    assert tr("home.later", "ko", n=3) == "(오늘 중 3개 더)"
    with pytest.raises(KeyError):
        tr("home.later", "ko", m=3)   # a missing value is an error, as before
    code = ("import sys; from tutor.i18n import tr\n"
            "tr('home.today', 'ko', done_today=1, goal=20, due_now=2, later='', new_today=3)\n"
            "tr('home.continue', 'ko', topic='EM')\nprint('tutor.korean' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_daily_goal_counts_answers_and_says_so_in_the_stats_term():
    """Home said "오늘: 11/20문제" (questions) where it counts answers (English: "answered"; stats: 풀이
    횟수 11 beside 푼 문항 8): the goal, its setting and home use the stats' term for that count."""
    from tutor.i18n import tr
    from tutor.stats import LABELS

    attempts = LABELS["ko"]["attempts"]                  # 풀이 횟수: answers, repeats included
    assert attempts in tr("settings.daily_goal", "ko")
    today = tr("home.today", "ko", done_today=11, goal=20, due_now=0, later="", new_today=0)
    assert attempts.split()[0] in today.split("·")[0] and "문제" not in today.split("·")[0]
    assert "answers" in tr("settings.daily_goal", "en") and "answered" in tr("home.today", "en", done_today=11,
                                                                             goal=20, due_now=0, later="", new_today=0)
