"""Contract every engine exercise generator keeps, over many seeds."""

import math

import pytest

from engine.registry import generators

GENS = generators()
SEEDS = range(60)


@pytest.mark.parametrize("name", sorted(GENS))
def test_variant_is_deterministic_and_well_formed(name):
    gen = GENS[name]
    for seed in SEEDS:
        v1, v2 = gen.variant(seed), gen.variant(seed)
        assert v1.data == v2.data, "same seed must give the same variant"
        assert v1.fields, "a variant has at least one answer field"
        names = [f.name for f in v1.fields]
        assert len(set(names)) == len(names), "field names are unique"
        want = gen.expected(v1)
        assert set(want) == set(names)
        assert all(math.isfinite(x) for x in want.values())
        for lang in ("en", "ko"):
            assert v1.prompt[lang].strip()
            assert all(f.label[lang].strip() for f in v1.fields)
            steps = gen.solution(v1)
            assert steps and all(s.text[lang].strip() for s in steps)
            assert all(h[lang].strip() for h in v1.hints)


@pytest.mark.parametrize("name", sorted(GENS))
def test_mistakes_are_distinguishable(name):
    """Each mistake's answer differs from the right one, so that a diagnosis means something."""
    gen = GENS[name]
    ids = {m.id for m in gen.mistakes_catalog}
    for seed in SEEDS:
        v = gen.variant(seed)
        right = gen.expected(v)
        for mid, vals in gen.mistakes(v).items():
            assert mid in ids, f"{mid} must be in the generator's mistakes_catalog"
            assert set(vals) <= set(right)
            assert all(math.isfinite(x) for x in vals.values()), f"seed {seed}: {mid} is not finite"
            differs = [k for k in vals if not v.field(k).tol.ok(vals[k], right[k])]
            assert differs, f"seed {seed}: mistake {mid} gives the right answer"


@pytest.mark.parametrize("name", sorted(GENS))
def test_mistakes_are_explained_in_both_languages(name):
    gen = GENS[name]
    for m in gen.mistakes_catalog:
        assert m.explain["en"].strip() and m.explain["ko"].strip()
