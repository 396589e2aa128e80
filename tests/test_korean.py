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
    assert default_glossary().terms        # tutor_content's glossary (this checkout or the installed one)
