"""Answer parsing and grading: formats, tolerances, error carried forward, diagnosed mistakes."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core import Field, Tolerance
from engine.expr import ExprError, evaluate, parse
from engine.registry import generators, get_generator
from tutor.grading import (
    grade_choice,
    grade_cloze,
    grade_multi,
    grade_numbers,
    grade_order,
    grade_text,
    grade_variant,
    parse_number,
)


@pytest.mark.parametrize("text,value", [
    ("0.71", 0.71), ("71%", 0.71), ("24/30", 0.8), ("21.3/(21.3+8.6)", 21.3 / 29.9), ("1e-3", 0.001),
    ("2^3", 8), ("2**3", 8), ("-2^2", -4), ("sqrt(16)", 4), ("√16", 4), ("exp(0)", 1), ("ln(e)", 1),
    ("log(1)", 0), ("sigmoid(0)", 0.5), ("tanh(0)", 0), ("pi", math.pi), ("２４／３０", 0.8),
    ("−0.5", -0.5), ("3×2", 6), (" 0.5 ", 0.5), (".5", 0.5), ("sin(0)+cos(0)", 1), ("(1+2)*(3+4)", 21),
    ("1/(1+exp(-1.6))", 1 / (1 + math.exp(-1.6))),
    # vulgar fractions and mixed numbers ("½" was an error about a "⁄" never typed; "3½" read 31/2)
    ("½", 0.5), ("¾", 0.75), ("⅓", 1 / 3), ("3½", 3.5), ("3 ½", 3.5), ("-2¾", -2.75), ("1 - ½", 0.5),
    ("1⁄4", 0.25), ("½%", 0.005), ("２½", 2.5),
])
def test_accepted_number_forms(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "0,5", "1e999", "__import__('os').system('echo hi')", "().__class__", "2w",
    "sqrt(-1)", "1/0", "(((1)", "1+", "nan", "inf", "((" * 200 + "1" + "))" * 200, "9^9^9", "x" * 3000,
    "1\x00", "lambda: 1", "[1]", "0.5.5",
])
def test_malformed_answers_are_format_errors(text):
    from tutor.grading import FormatError

    with pytest.raises(FormatError):
        parse_number(text)
    with pytest.raises(FormatError):   # and grading a field with it is a format error, not a grade
        grade_numbers([Field("v", {"en": "v", "ko": "v"})], {"v": text}, expected_fn=lambda _: {"v": 0.5})


def test_expression_in_a_variable():
    f = parse("4*w^3", ("w",))
    assert f(w=2) == 32
    with pytest.raises(ExprError):
        parse("4*x^3", ("w",))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_raises_anything_but_a_format_error(s):
    try:
        v = evaluate(s)
    except ExprError:
        return
    assert math.isfinite(v)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_every_printed_float_parses_back(x):
    assert evaluate(repr(x)) == pytest.approx(x)


def _f(name, tol=Tolerance(atol=0.01)):
    return Field(name, {"en": name, "ko": name}, tol=tol)


def test_tolerance_and_precision_warning():
    fields = [_f("a")]
    right = grade_numbers(fields, {"a": "0.713"}, expected_fn=lambda _: {"a": 0.713})
    assert right.correct
    wrong = grade_numbers(fields, {"a": "0.75"}, expected_fn=lambda _: {"a": 0.713})
    assert not wrong.correct and wrong.score == 0
    # "0.7" is too coarse for ±0.01 but rounds to the right value: a free format error, not a wrong answer
    from tutor.grading import FormatError

    with pytest.raises(FormatError):
        grade_numbers(fields, {"a": "0.7"}, expected_fn=lambda _: {"a": 0.713})
    # coarse and a near miss that the right value does not round to: simply wrong, no digits hint
    g = grade_numbers(fields, {"a": "0.8"}, expected_fn=lambda _: {"a": 0.713})
    assert not g.correct and not g.warnings
    # coarse and far off: just wrong, digits are not the problem
    g = grade_numbers(fields, {"a": "0.2"}, expected_fn=lambda _: {"a": 0.713})
    assert not g.correct and not g.warnings
    # a whole-number answer: never a digits warning
    g = grade_numbers(fields, {"a": "4"}, expected_fn=lambda _: {"a": 3.0})
    assert not g.correct and not g.warnings


def test_sig_and_decimal_tolerances():
    assert Tolerance(sig=2).ok(0.714, 0.71) and not Tolerance(sig=2).ok(0.73, 0.71)
    assert Tolerance(decimals=2).ok(0.714, 0.71) and not Tolerance(decimals=2).ok(0.72, 0.71)
    assert Tolerance(rtol=0.01).ok(101, 100) and not Tolerance(rtol=0.01).ok(102, 100)


def test_choice_multi_order_text_cloze():
    assert grade_choice(1, 4, "2").correct
    assert grade_choice(1, 4, "b").correct
    assert not grade_choice(1, 4, "3").correct
    assert grade_choice(1, 4, "7").format_error and grade_choice(1, 4, "x y").format_error
    assert grade_multi([0, 2], 4, "1 3").correct
    assert grade_multi([0, 2], 4, "1").score == pytest.approx(0.5)
    assert grade_multi([0, 2], 4, "1 2").score == 0.0
    assert grade_multi([0, 2], 4, "").format_error
    # shown[j] = correct position of displayed option j+1
    shown = [2, 0, 1, 3]
    assert grade_order(shown, "2 3 1 4").correct
    assert grade_order(shown, "3 2 1 4").score == pytest.approx(3 / 4)
    assert grade_order(shown, "1 2 3").format_error and grade_order(shown, "1 1 2 3").format_error
    assert grade_order([3, 1, 2, 0], "1 2 3 4").score == pytest.approx(2 / 4)   # places 3 1 2 0: "1 2" in order
    assert grade_text(["responsibility", "책임값"], "  Responsibility ").correct
    assert grade_text(["responsibility", "책임값"], "책임값").correct
    assert grade_text(["back-propagation"], "ＢＡＣＫ propagation").correct
    assert not grade_text(["responsibility"], "likelihood").correct
    g = grade_cloze([["E", "expectation"], ["M"]], {"blank[1]": "expectation", "blank[2]": "X"})
    assert g.score == pytest.approx(0.5)
    assert grade_cloze([["E"], ["M"]], {"blank[1]": "E"}).format_error


def test_the_mark_before_the_feedback_says_right_partly_right_wrong_or_unreadable():
    """One sign for the screen, line mode and the mark beside the answer: a partly right answer
    began "✗ 부분 정답" under its "◐" mark."""
    partly = grade_multi([0, 2], 4, "1")
    assert (partly.mark, grade_multi([0, 2], 4, "1 3").mark, grade_multi([0, 2], 4, "1 2").mark) == ("◐", "✓", "✗")
    assert partly.feedback("ko").startswith("부분 정답")
    assert grade_multi([0, 2], 4, "").mark == "⚠"
    assert grade_order([3, 1, 2, 0], "1 2 3 4").mark == "◐"


GENS = generators()


@pytest.mark.parametrize("name", sorted(GENS))
def test_engine_answer_scores_one_and_mistakes_are_diagnosed(name):
    gen = get_generator(name)
    diagnosed = 0
    for seed in range(40):
        v = gen.variant(seed)
        right = gen.expected(v)
        g = grade_variant(gen, v, {k: repr(x) for k, x in right.items()})
        assert g.correct, (seed, g.fields)
        for mid, vals in gen.mistakes(v).items():
            answers = {k: repr(vals.get(k, right[k])) for k in right}
            g = grade_variant(gen, v, answers)
            assert not g.format_error
            assert g.score < 1
            assert g.mistake == mid, f"seed {seed}: {mid} diagnosed as {g.mistake}"
            diagnosed += 1
        # a perturbed answer outside tolerance scores < 1
        k0 = v.fields[0].name
        bad = dict({k: repr(x) for k, x in right.items()})
        bad[k0] = repr(right[k0] + 10 * v.fields[0].tol.resolution(right[k0]) + 1)
        assert grade_variant(gen, v, bad).score < 1
    assert diagnosed or not gen.mistakes_catalog


def test_em_error_carried_forward():
    gen = get_generator("em.coins")
    v = gen.variant(3)
    right = gen.expected(v)
    answers = {k: repr(x) for k, x in right.items()}
    # a slip in round 1's responsibility ...
    answers["resp_a[0]"] = repr(min(1.0, right["resp_a[0]"] + 0.2))
    ecf = gen.expected(v, {k: float(x) for k, x in answers.items()})
    answers["theta_a"], answers["theta_b"] = repr(ecf["theta_a"]), repr(ecf["theta_b"])
    g = grade_variant(gen, v, answers)
    # ... costs that field only: the M-step is graded from the learner's own E-step
    assert not g.fields["resp_a[0]"].ok
    assert g.fields["theta_a"].ok and g.fields["theta_b"].ok
    assert g.carried_forward
    assert g.score == pytest.approx((len(v.fields) - 1) / len(v.fields))


def test_format_error_in_one_field_costs_nothing():
    gen = get_generator("em.coins")
    v = gen.variant(1)
    answers = {f.name: "0.5" for f in v.fields}
    answers["theta_b"] = "zero point five"
    g = grade_variant(gen, v, answers)
    assert g.format_error and g.score == 0 and not g.fields


def test_order_and_multi_feedback_name_positions_and_options_as_shown_never_internal_ids():
    """"Wrong: place[1], place[3]" counted from zero and showed an internal id; the learner reads
    positions and options numbered as on the screen."""
    from tutor.grading import grade_multi, grade_order

    g = grade_order([0, 1, 2, 3], "1 3 2 4")          # the 2nd and 3rd places swapped
    assert "move option 3" in g.feedback("en") and "옮길 보기: 3번" in g.feedback("ko")
    assert "place[" not in g.feedback("ko") + g.feedback("en")
    g = grade_multi([0, 2], 4, "1 2")
    assert "option 2" in g.feedback("en") and "2번 보기" in g.feedback("ko")
    assert "option[" not in g.feedback("en") + g.feedback("ko")


def test_order_feedback_agrees_with_its_score():
    """The score counts the options already in the right relative order; the feedback names the
    ones to move — as many as the score leaves out ("3 1 2 4" for "3 1 4 2" scored 75 % and said
    that two places were wrong)."""
    from itertools import combinations

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tutor.grading import grade_order

    def longest_increasing_subsequence(seq):   # the reference, by brute force over every subsequence
        return max(k for k in range(len(seq) + 1) for c in combinations(seq, k) if list(c) == sorted(set(c)))

    g = grade_order([1, 3, 0, 2], "3 1 2 4")   # shown j+1 belongs at place shown[j]: right is "3 1 4 2"
    assert g.score == 0.75
    assert "4개 중 3개" in g.feedback("ko") and "옮길 보기: 2번" in g.feedback("ko")
    assert sum(not r.ok for r in g.fields.values()) == 1

    @settings(max_examples=200, deadline=None)
    @given(st.permutations(range(5)), st.permutations(range(5)))
    def check(shown, typed):
        g = grade_order(list(shown), " ".join(str(i + 1) for i in typed))
        positions = [shown[j] for j in typed]
        kept = [r.got for r in g.fields.values() if r.ok]
        assert len(kept) == longest_increasing_subsequence(positions) == round(g.score * 5)
        assert kept == sorted(kept)   # the places marked right are in the right relative order
        if g.score < 1:
            moved = g.feedback("en").split("move option ")[1].rstrip(".").split(", ")
            assert len(moved) == 5 - len(kept)
        else:
            assert g.correct and "move" not in g.feedback("en")

    check()


def test_every_unreadable_cell_is_named_with_its_reason():
    """Seven cells, three unreadable: the message said only the first reason."""
    from engine.core import Field
    from tutor.grading import FormatError, grade_numbers, t

    fields = [Field(f"v{i}", t(f"cell {i}", f"칸 {i}")) for i in range(4)]
    answers = {"v0": "0.5", "v1": "0,92", "v2": "abc(", "v3": ""}
    with pytest.raises(FormatError) as e:
        grade_numbers(fields, answers, expected_fn=lambda p: {f.name: 0.5 for f in fields})
    for lang, labels in (("en", ("cell 1", "cell 2", "cell 3")), ("ko", ("칸 1", "칸 2", "칸 3"))):
        assert all(label + ":" in e.value.text[lang] for label in labels), e.value.text[lang]
        assert "cell 0" not in e.value.text["en"]


def test_a_multi_selects_wrong_options_are_not_called_cells():
    """"틀린 칸: 3번 보기": 칸 is a cell; an option is not one."""
    fb = grade_multi([0, 2], 4, "1").feedback("ko")
    assert "3번 보기" in fb and "칸" not in fb, fb
