"""EM coin engine vs Do & Batzoglou (2008) and an independent brute-force computation."""

import itertools
import math

import numpy as np
import pytest

from engine.core import InputError
from engine.registry import get_algorithm

DB = ["HTTTHHTHTH", "HHHHTHHHHH", "HTHHHHHTHH", "HTHTTTHHTT", "THHHTHHHTH"]
EM = get_algorithm("em-coins")


def test_published_values_after_one_and_ten_iterations():
    one = EM.run({"rounds": DB, "theta_a": 0.6, "theta_b": 0.5, "iterations": 1})
    assert round(one["theta_a"], 2) == 0.71 and round(one["theta_b"], 2) == 0.58
    # the figure's E-step: expected heads/tails of coin A ≈ 21.3 H, 8.6 T; coin B ≈ 11.7 H, 8.4 T
    it = one["iterations"][0]
    assert round(it["heads_a"], 1) == 21.3 and round(it["tails_a"], 1) == 8.6
    assert round(it["heads_b"], 1) == 11.7 and round(it["tails_b"], 1) == 8.4
    # per-round responsibilities in the figure: 0.45 0.80 0.73 0.35 0.65
    assert np.allclose(np.round(it["resp_a"], 2), [0.45, 0.80, 0.73, 0.35, 0.65])
    ten = EM.run({"rounds": DB, "theta_a": 0.6, "theta_b": 0.5, "iterations": 10})
    assert round(ten["theta_a"], 2) == 0.80 and round(ten["theta_b"], 2) == 0.52


def test_complete_data_mle_matches_seed_000_table():
    out = EM.run({"rounds": DB, "labels": ["B", "A", "A", "B", "A"]})
    assert (out["heads_a"], out["tails_a"], out["heads_b"], out["tails_b"]) == (24, 6, 9, 11)
    assert out["theta_a"] == pytest.approx(24 / 30) and out["theta_b"] == pytest.approx(9 / 20)


def _mixture_loglik(heads, tails, ta, tb):
    return sum(math.log(0.5 * ta**h * (1 - ta) ** t + 0.5 * tb**h * (1 - tb) ** t) for h, t in zip(heads, tails))


def _reference_em_step(heads, tails, ta, tb):
    """Independent: expected complete-data counts by enumerating all 2^n label assignments."""
    n = len(heads)
    post = {}
    for z in itertools.product("AB", repeat=n):
        p = 1.0
        for zi, h, t in zip(z, heads, tails):
            th = ta if zi == "A" else tb
            p *= 0.5 * th**h * (1 - th) ** t
        post[z] = p
    total = sum(post.values())
    ha = sum(p * sum(h for zi, h in zip(z, heads) if zi == "A") for z, p in post.items()) / total
    fa = sum(p * sum(h + t for zi, h, t in zip(z, heads, tails) if zi == "A") for z, p in post.items()) / total
    hb = sum(p * sum(h for zi, h in zip(z, heads) if zi == "B") for z, p in post.items()) / total
    fb = sum(p * sum(h + t for zi, h, t in zip(z, heads, tails) if zi == "B") for z, p in post.items()) / total
    return ha / fa, hb / fb


def test_em_step_matches_enumeration_over_latent_labels_and_likelihood_never_decreases():
    rng = np.random.default_rng(7)
    for _ in range(40):
        n = int(rng.integers(2, 7))
        rounds = ["".join(rng.choice(["H", "T"], size=int(rng.integers(3, 12)))) for _ in range(n)]
        ta, tb = (float(x) for x in rng.uniform(0.05, 0.95, size=2))
        out = EM.run({"rounds": rounds, "theta_a": ta, "theta_b": tb, "iterations": 8})
        heads = [r.count("H") for r in rounds]
        tails = [r.count("T") for r in rounds]
        ref = _reference_em_step(heads, tails, ta, tb)
        it0 = out["iterations"][0]
        assert it0["theta_a"] == pytest.approx(ref[0], rel=1e-9)
        assert it0["theta_b"] == pytest.approx(ref[1], rel=1e-9)
        lls = [it["log_likelihood"] for it in out["iterations"]]
        assert lls[0] == pytest.approx(_mixture_loglik(heads, tails, ta, tb))
        assert all(b >= a - 1e-9 for a, b in zip(lls, lls[1:])), "EM never decreases the likelihood"


def test_long_rounds_do_not_underflow():
    out = EM.run({"rounds": ["H" * 900 + "T" * 100, "T" * 800 + "H" * 200], "theta_a": 0.6, "theta_b": 0.4,
                  "iterations": 3})
    assert all(np.isfinite(it["resp_a"]).all() for it in out["iterations"])
    assert out["iterations"][0]["resp_a"][0] == pytest.approx(1.0)


@pytest.mark.parametrize("inputs,key", [
    ({"rounds": ["HXT"], "theta_a": 0.5, "theta_b": 0.4}, "rounds[0]"),
    ({"rounds": [], "theta_a": 0.5, "theta_b": 0.4}, "rounds"),
    ({"rounds": [""], "theta_a": 0.5, "theta_b": 0.4}, "rounds[0]"),
    ({"rounds": ["HT"], "theta_a": 1.0, "theta_b": 0.4}, "theta_a"),
    ({"rounds": ["HT"], "theta_a": 0.5, "theta_b": 0}, "theta_b"),
    ({"rounds": ["HT"], "theta_a": "0.5", "theta_b": 0.4}, "theta_a"),
    ({"rounds": ["HT"], "theta_a": 0.5, "theta_b": 0.4, "iterations": 0}, "iterations"),
    ({"rounds": "HT", "theta_a": 0.5, "theta_b": 0.4}, "rounds"),
    ({"rounds": ["HT"], "labels": ["A", "C"]}, "labels"),
])
def test_bad_input_names_the_key(inputs, key):
    with pytest.raises(InputError) as e:
        EM.run(inputs)
    assert e.value.key == key


def test_each_mistake_differs_from_the_right_answer():
    right = EM.run({"rounds": DB, "theta_a": 0.6, "theta_b": 0.5, "iterations": 1})
    for m in EM.mistakes:
        wrong = EM.run({"rounds": DB, "theta_a": 0.6, "theta_b": 0.5, "iterations": 1}, mistake=m.id)
        assert abs(wrong["theta_a"] - right["theta_a"]) > 0.01 or abs(wrong["theta_b"] - right["theta_b"]) > 0.01, m.id
