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


@pytest.mark.parametrize("name", sorted(GENS))
def test_table_headers_are_words_in_both_languages_or_symbols(name):
    """A Korean screen showed "pred 0 / true 1", "cluster", "class", "distance": a header that is a
    word is given in both languages; a plain string is a symbol (x, y, P1, μ1, h₁ …)."""
    import re

    symbols = {"net"}   # the perceptron's $\text{net}$, a name in its formulas
    v = GENS[name].variant(1)
    for tb in v.tables:
        for label in [*tb.rows, *tb.cols]:
            if isinstance(label, dict):
                assert label["en"].strip() and label["ko"].strip()
            elif str(label) not in symbols:   # an English word or phrase ("pred 0", "distance")
                assert not re.fullmatch(r"[A-Za-z]{3,}( \w+)*", str(label)), (name, label)


@pytest.mark.parametrize("name", sorted(GENS))
def test_indexed_math_names_are_written_with_subscripts(name):
    """The cells said "새 μ1 x" and the solution "σ1² = …" while the prompts write μ₁ and σ₁²: a
    Greek letter's index is a subscript in field labels, table rows and solution steps alike."""
    import re

    bad = re.compile(r"[α-ωΑ-Ω][\u0302\u0303]?\d")   # μ1, σ2, μ̂1 — not μ₁, σ₂
    gen = GENS[name]
    v = gen.variant(1)
    texts = [f.label[lang] for f in v.fields for lang in ("en", "ko")]
    texts += [str(r) for tb in v.tables for r in [*tb.rows, *tb.cols]]
    texts += [s.text[lang] for s in gen.solution(v) for lang in ("en", "ko")]
    assert not [t for t in texts if bad.search(t)], name
