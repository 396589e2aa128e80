"""Diagnosis on all fields: a mistake that a right field rules out is never named.

A *one-slip* answer is the right answer with exactly one field changed (clearly outside its
tolerance). A misconception named for it must predict the learner's value on every other field:
otherwise the learner's own right answers contradict it.
"""

import math

import pytest

import engine.core
from engine.core import Field, Tolerance, diagnose
from engine.registry import generators, get_generator
from tutor.grading import FormatError, _carried, grade_numbers, grade_variant

GENS = generators()
SEEDS = range(31)


def _one_slips(f: Field, right: float, seed: int) -> list[float]:
    """A clear slip in ``f``: off by one for a count, else well outside the tolerance."""
    res = f.tol.resolution(right)
    if float(right).is_integer() and res < 0.5:
        return [right + 1 if seed % 2 == 0 else right - 1]
    d = max(4 * res, 0.05)
    return [right + d if seed % 2 == 0 else right - d]


def _grade_slip(gen, v, right, name, bad):
    answers = {k: repr(x) for k, x in right.items()}
    answers[name] = repr(bad)
    return answers, grade_variant(gen, v, answers)


def _named_contradictions(gen, v, answers, g, slipped):
    """Fields other than the slipped one where the named mistake disagrees with the learner."""
    parsed = {k: float(x) for k, x in answers.items()}
    pred = _carried(gen.mistakes, v, parsed, lambda: gen.mistakes(v))[g.mistake]
    return [f.name for f in v.fields if f.name != slipped and f.name in pred
            and not f.tol.ok(parsed[f.name], pred[f.name])]


@pytest.mark.parametrize("name", sorted(GENS))
def test_one_slip_names_no_contradicted_mistake(name):
    gen = get_generator(name)
    checked = 0
    for seed in SEEDS:
        v = gen.variant(seed)
        right = gen.expected(v)
        for f in v.fields:
            for bad in _one_slips(f, right[f.name], seed):
                if not math.isfinite(bad) or f.tol.ok(bad, right[f.name]):
                    continue
                answers, g = _grade_slip(gen, v, right, f.name, bad)
                if g.format_error:
                    continue
                checked += 1
                # the other fields are exactly right: they stay right, also under error carried forward
                assert all(r.ok for k, r in g.fields.items() if k != f.name), (seed, f.name, g.fields)
                if g.mistake:
                    clash = _named_contradictions(gen, v, answers, g, f.name)
                    assert not clash, (f"seed {seed}: {f.name} {right[f.name]:g}→{bad:g} named {g.mistake}, "
                                       f"which the right fields {clash} rule out")
    assert checked


# --------------------------------------------------------------------------- the reported cases

# variant seeds drawn by `tutor practice TOPIC --plain --seed S` for the question named
DBSCAN_LABELS_SEED2 = ("dbscan.labels", 1853513165, {"n": 10, "min_samples": 4})
EM_SHORT_SEED42 = ("em.coins", 239081664, {"rounds": 3, "flips": 6})
BERT_WORDPIECE_LONG = [("bert.wordpiece", s, {"words": 4}) for s in (1819850096, 2035444030, 1202102036, 429658752)]


def _slip(case, field, delta):
    name, seed, params = case
    gen = get_generator(name)
    v = gen.variant(seed, params)
    right = gen.expected(v)
    answers = {k: repr(x) for k, x in right.items()}
    answers[field] = repr(right[field] + delta)
    return gen, v, right, grade_variant(gen, v, answers)


def test_dbscan_noise_off_by_one_is_not_blamed_on_counting_the_point_itself():
    # only n_noise off by one (5 for 4): "did not count the point itself" predicts other core and border counts
    gen, v, right, g = _slip(DBSCAN_LABELS_SEED2, "n_noise", +1)
    assert right == {"n_clusters": 1.0, "n_core": 4.0, "n_border": 2.0, "n_noise": 4.0}
    pred = gen.mistakes(v)["dbscan.min-samples-excluding-self"]
    assert pred["n_noise"] == 5 and pred["n_core"] != 4      # it explains the slip, but n_core rules it out
    assert g.mistake is None and g.mistake_text is None
    fb = g.feedback("en")
    assert "Wrong: noise points." in fb and "marks the first step" in fb
    assert "틀린 곳: 잡음점 수." in g.feedback("ko")


def test_em_theta_b_slip_is_not_blamed_on_swapped_coins():
    gen, v, right, g = _slip(EM_SHORT_SEED42, "theta_b", +0.2)
    assert gen.mistakes(v)["em.swapped-coins"]["theta_b"] == pytest.approx(right["theta_b"] + 0.2, abs=0.01)
    assert [k for k, r in g.fields.items() if not r.ok] == ["theta_b"]
    assert g.mistake is None
    assert "Wrong: new θ_B." in g.feedback("en")


@pytest.mark.parametrize("case", BERT_WORDPIECE_LONG)
def test_bert_unk_off_by_one_is_not_blamed_on_lowercasing(case):
    for delta in (+1, -1):
        gen, v, right, g = _slip(case, "n_unk", delta)
        assert g.mistake != "bert.wordpiece-no-lowercase"
        assert g.mistake is None


def test_the_one_slip_checks_fail_without_the_contradiction_rule(monkeypatch):
    """Scoring only the wrong fields (the old rule) names the contradicted mistakes again."""
    monkeypatch.setattr(engine.core, "contradictions", lambda *a, **k: [])
    gen, v, right, g = _slip(DBSCAN_LABELS_SEED2, "n_noise", +1)
    assert g.mistake == "dbscan.min-samples-excluding-self"
    assert _named_contradictions(gen, v, {k: repr(x) for k, x in {**right, "n_noise": 5.0}.items()}, g, "n_noise")
    assert _slip(EM_SHORT_SEED42, "theta_b", +0.2)[3].mistake == "em.swapped-coins"


def test_diagnose_rule():
    tol = Tolerance(atol=0.01)
    fields = [Field(n, {"en": n, "ko": n}, tol=tol) for n in ("a", "b", "c")]
    answers = {"a": 1.0, "b": 2.0, "c": 9.0}
    cands = {
        "explains-c-but-not-b": {"a": 1.0, "b": 5.0, "c": 9.0},   # contradicted by the right b
        "explains-c": {"a": 1.0, "b": 2.0, "c": 9.0},
        "silent-on-b": {"c": 9.0},                                # predicts nothing for b: no contradiction
    }
    assert diagnose(fields, answers, cands, ["c"]) == "explains-c"
    assert diagnose(fields, answers, {k: cands[k] for k in ("explains-c-but-not-b", "silent-on-b")}, ["c"]) \
        == "silent-on-b"
    assert diagnose(fields, answers, {"explains-c-but-not-b": cands["explains-c-but-not-b"]}, ["c"]) is None
    # within the right field's tolerance is no contradiction
    assert diagnose(fields, answers, {"near": {"b": 2.008, "c": 9.0}}, ["c"]) == "near"
    # among the uncontradicted, the one explaining the most wrong fields
    answers2 = {"a": 7.0, "b": 2.0, "c": 9.0}
    two = {"one": {"a": 1.0, "b": 2.0, "c": 9.0}, "both": {"a": 7.0, "b": 2.0, "c": 9.0}}
    assert diagnose(fields, answers2, two, ["a", "c"]) == "both"


def test_carried_forward_right_field_rules_out_a_mistake_predicting_otherwise():
    """A later field graded right from the learner's own earlier answer is a right field: a mistake
    that predicts another value there is contradicted."""
    tol = Tolerance(atol=0.01)
    fields = [Field("x", {"en": "x", "ko": "x"}, tol=tol), Field("y", {"en": "y", "ko": "y"}, tol=tol)]

    def expected(p):   # y = 2x, carried forward from the learner's x
        return {"x": 1.0, "y": 2 * p["x"]}

    def mistakes(p):
        return {"x-off": {"x": 1.5, "y": 3.0},            # y = 2·1.5: agrees with the carried y
                "x-off-y-plain": {"x": 1.5, "y": 2.0}}     # predicts the plain y: the learner's 3 rules it out
    g = grade_numbers(fields, {"x": "1.5", "y": "3"}, expected, mistakes, plain_expected={"x": 1.0, "y": 2.0})
    assert not g.fields["x"].ok and g.fields["y"].ok and g.carried_forward
    assert g.mistake == "x-off"
    g = grade_numbers(fields, {"x": "1.5", "y": "3"}, expected,
                      lambda p: {"x-off-y-plain": mistakes(p)["x-off-y-plain"]}, plain_expected={"x": 1.0, "y": 2.0})
    assert g.mistake is None


# --------------------------------------------------------------------------- error carried forward


def test_ecf_accepts_the_true_downstream_value():
    """EM with P(A | round 3) wrong: the exactly right θ_A and θ_B are right, not ✗ "graded from your
    earlier answers"; the θ carried from the learner's E-step is right too."""
    gen = get_generator("em.coins")
    found = 0
    for seed in range(40):
        v = gen.variant(seed)
        right = gen.expected(v)
        answers = {k: repr(x) for k, x in right.items()}
        answers["resp_a[2]"] = repr(min(1.0, right["resp_a[2]"] + 0.3) if right["resp_a[2]"] < 0.5
                                    else max(0.0, right["resp_a[2]"] - 0.3))
        carried = gen.expected(v, {k: float(x) for k, x in answers.items()})
        if all(f.tol.ok(carried[k], right[k]) for k in ("theta_a", "theta_b") for f in [v.field(k)]):
            continue   # the slip does not move θ beyond tolerance: nothing to tell apart
        found += 1
        g = grade_variant(gen, v, answers)            # true θ
        assert g.fields["theta_a"].ok and g.fields["theta_b"].ok, (seed, g.fields)
        assert g.fields["theta_a"].note is None and g.fields["theta_b"].note is None
        assert g.score == pytest.approx((len(v.fields) - 1) / len(v.fields))
        answers["theta_a"], answers["theta_b"] = repr(carried["theta_a"]), repr(carried["theta_b"])
        g = grade_variant(gen, v, answers)            # θ from the learner's own E-step
        assert g.fields["theta_a"].ok and g.fields["theta_b"].ok and g.carried_forward
        answers["theta_a"] = repr(right["theta_a"] + 0.3)   # neither: wrong, graded from the earlier answers
        g = grade_variant(gen, v, answers)
        assert not g.fields["theta_a"].ok and g.fields["theta_a"].note
    assert found >= 5


# --------------------------------------------------------------------------- short answers


def _grade_one(typed, want, tol=Tolerance(atol=0.01)):
    f = Field("a", {"en": "a", "ko": "a"}, tol=tol)
    return grade_numbers([f], {"a": typed}, expected_fn=lambda _: {"a": want})


@pytest.mark.parametrize("tol", [Tolerance(atol=0.01), Tolerance(decimals=2), Tolerance(rtol=0.01, atol=1e-9)])
@pytest.mark.parametrize("typed,want", [("0.5", 0.4613), ("0", 0.4613), ("5", 4.62), ("1", 0.96), ("0.7", 0.713)])
def test_short_answer_consistent_with_the_right_value_is_a_free_format_error(typed, want, tol):
    # the right value rounds to what was typed: it might be right, so "type more decimals" (no attempt)
    with pytest.raises(FormatError):
        _grade_one(typed, want, tol)


@pytest.mark.parametrize("tol", [Tolerance(atol=0.01), Tolerance(decimals=2), Tolerance(rtol=0.01, atol=1e-9)])
@pytest.mark.parametrize("typed,want", [("0.4", 0.4613), ("1", 0.4613), ("5", 0.4613), ("0.5", 0.56), ("1", 0.46),
                                        ("0.8", 0.713), ("40%", 0.4613), ("4", 4.62)])
def test_short_answer_the_right_value_does_not_round_to_is_simply_wrong(typed, want, tol):
    g = _grade_one(typed, want, tol)
    assert g.format_error is None and not g.correct and g.score == 0
    assert not g.warnings        # no hint that digits were the problem


def test_short_answer_checked_against_the_true_and_the_carried_value():
    """With error carried forward, a short answer the true value rounds to is also a free warning."""
    tol = Tolerance(atol=0.01)
    fields = [Field("x", {"en": "x", "ko": "x"}, tol=tol), Field("y", {"en": "y", "ko": "y"}, tol=tol)]
    plain = {"x": 1.0, "y": 0.4613}

    def expected(p):
        return {"x": 1.0, "y": 0.4613 + (p["x"] - 1.0)}
    with pytest.raises(FormatError):   # the true 0.4613 rounds to 0.5
        grade_numbers(fields, {"x": "1.3", "y": "0.5"}, expected, plain_expected=plain)
    with pytest.raises(FormatError):   # the carried 0.7613 rounds to 0.8
        grade_numbers(fields, {"x": "1.3", "y": "0.8"}, expected, plain_expected=plain)
    g = grade_numbers(fields, {"x": "1.3", "y": "0.6"}, expected, plain_expected=plain)
    assert not g.format_error and not g.fields["y"].ok


# --------------------------------------------------------------------------- worked solutions


@pytest.mark.parametrize("name", sorted(GENS))
def test_solution_states_every_asked_value_labelled_as_asked(name):
    from engine.core import fmt
    from tutor.grading import solution_lines

    gen = get_generator(name)
    for seed in range(4):
        v = gen.variant(seed)
        right = gen.expected(v)
        for lang in ("en", "ko"):
            lines = [line for line, _ in solution_lines(gen, v, None, lang)]
            for f in v.fields:
                assert f"{f.label[lang]} = {fmt(right[f.name])}" in "\n".join(lines), (seed, lang, f.name)


def test_dbscan_solution_states_the_counts_it_asks_for():
    from tutor.grading import solution_lines

    name, seed, params = DBSCAN_LABELS_SEED2
    gen = get_generator(name)
    v = gen.variant(seed, params)
    steps = " ".join(s.text["en"] for s in gen.solution(v))
    # the steps themselves say how many, not just which points (x = 5 is a point, not a count)
    for phrase in ("→ 4 core points", "→ 1 cluster", "→ 2 border points", "→ 4 noise points"):
        assert phrase in steps
    lines = [line for line, _ in solution_lines(gen, v, None, "en")]
    for want in ("clusters = 1", "core points = 4", "border points = 2", "noise points = 4"):
        assert any(line.strip() == want for line in lines)
    ko = " ".join(s.text["ko"] for s in gen.solution(v))
    assert "핵심점 4개" in ko and "군집 1개" in ko and "경계점 2개" in ko and "잡음점 4개" in ko


def test_attention_solution_names_the_softmax_denominator():
    for name, params in (("attention.context", {"given": "scores"}), ("attention.weights", {})):
        gen = get_generator(name)
        text = " ".join(s.text["en"] for s in gen.solution(gen.variant(1, params)))
        assert "e^e " not in text and "e^s " not in text
        assert "Σⱼ e^(" in text


def test_one_value_prints_the_same_digits_throughout_a_solution():
    """0.5¹⁰ computed as 0.5³·0.5⁷ and as 0.5⁵·0.5⁵ differs in the last float bit: rounded once, half up."""
    from engine.core import fmt

    assert fmt(0.0009765625, 6) == fmt(0.0009765625000000002, 6) == fmt(0.0009765624999999998, 6) == "0.000976563"
    gen = get_generator("em.coins")
    v = gen.variant(0)
    assert 0.5 in (v.data["theta_a"], v.data["theta_b"])
    text = " ".join(s.text["en"] for s in gen.solution(v))
    assert "0.000976563" in text and "0.000976562" not in text


@pytest.mark.parametrize("name", ["em.coins", "attention.weights"])
def test_no_error_carried_forward_when_every_earlier_field_is_right(name):
    """Every P(A | round) right (typed to 4 decimals) and only θ_A wrong: the feedback said "graded from
    your earlier answers … (error carried forward)" — there was no error to carry."""
    gen = get_generator(name)
    checked = 0
    for seed in range(30):
        v = gen.variant(seed)
        right = gen.expected(v)
        answers = {k: f"{x:.4f}" for k, x in right.items()}   # right, as a learner types them: rounded
        last = v.fields[-1].name
        answers[last] = repr(right[last] + 0.3)
        g = grade_variant(gen, v, answers)
        assert [k for k, r in g.fields.items() if not r.ok] == [last], (seed, g.fields)
        assert g.fields[last].note is None and not g.carried_forward, (seed, g.fields[last])
        assert g.fields[last].want == pytest.approx(right[last])   # the true value is shown
        for lang in ("en", "ko"):
            assert "carried" not in g.feedback(lang) and "이월" not in g.feedback(lang)
        checked += 1
    assert checked == 30


def test_a_hard_assignment_typed_as_0_and_1_is_not_said_to_lack_digits():
    """"각 라운드를 통째로 배정했습니다(하드 할당) … 자릿수가 너무 적어 충분히 정확할 수 없습니다": the
    mistake named and a digits warning that contradicts it; with round 1 right, the warning was the
    only explanation of a 1 typed for 0.678 — a wrong answer, not an imprecise one."""
    gen = get_generator("em.coins")
    seen = 0
    for seed in range(20):
        v = gen.variant(seed)
        right = gen.expected(v)
        hard = gen.mistakes(v).get("em.hard-assignment")
        if hard is None:
            continue
        answers = {k: f"{hard.get(k, right[k]):.4g}" for k in right}
        for typed in (answers, {**answers, "resp_a[0]": f"{right['resp_a[0]']:.4f}"}):
            g = grade_variant(gen, v, typed)
            assert not g.format_error and not g.correct
            for lang in ("en", "ko"):
                assert "digits" not in g.feedback(lang) and "자릿수" not in g.feedback(lang), g.feedback(lang)
        seen += 1
    assert seen
