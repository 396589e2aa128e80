"""Torch agrees with the engine on every exercise that has a torch oracle."""

import pytest

from engine.oracle import ORACLES, check
from engine.registry import get_generator


@pytest.mark.parametrize("name", sorted(ORACLES))
def test_torch_agrees_on_many_variants(name):
    gen = get_generator(name)
    for seed in range(30):
        res = check(gen, gen.variant(seed))
        assert res is not None and res["fields"] >= 2
        assert res["agrees"], (seed, res)


def test_oracle_detects_a_wrong_engine_value():
    gen = get_generator("attention.weights")
    v = gen.variant(0)

    class Broken:
        def expected(self, variant):
            right = gen.expected(variant)
            return {k: x + 0.1 for k, x in right.items()}

    res = check(Broken(), v)
    assert res is not None and not res["agrees"] and res["max_abs_diff"] == pytest.approx(0.1)
