"""Measure how often a one-slip answer is blamed on a mistake its own right fields rule out.

For every registered generator (default params, plus the params of the exercise questions in
``content/``) and seeds 0..N-1, take the right answer, perturb exactly one field clearly outside
its tolerance, grade it, and — when a mistake is named — check the mistake's prediction against
every other field of the learner's answer.  Usage::

    PYTHONPATH=$PWD python scripts/one_slip_diagnosis.py [N]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import yaml

from engine.registry import generators
from tutor.grading import _carried, grade_variant


def param_sets() -> dict[str, list[dict]]:
    gens = generators()
    out: dict[str, list[dict]] = {name: [{}] for name in gens}
    for p in sorted(Path("content").rglob("*.yaml")):
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        for q in doc.get("questions") or []:
            if isinstance(q, dict) and q.get("generator") in out and q.get("params"):
                gen = gens[q["generator"]]
                if all({**gen.defaults, **q["params"]} != {**gen.defaults, **o} for o in out[q["generator"]]):
                    out[q["generator"]].append(dict(q["params"]))
    return out


def perturbations(f, r: float) -> list[float]:
    res = f.tol.resolution(r)
    if float(r).is_integer() and res < 0.5:
        return [r + 1, r - 1]
    d = max(4 * res, 0.05)
    return [r + d, r - d, r + 0.2 * abs(r) + 4 * res]


def main(n_seeds: int = 31) -> None:
    cases = named = contradicted = fmt_err = 0
    per_gen: dict[str, list[int]] = {}
    examples = []
    for name, gen in generators().items():
        for params in param_sets()[name]:
            for seed in range(n_seeds):
                v = gen.variant(seed, params)
                right = gen.expected(v)
                for f in v.fields:
                    for bad in perturbations(f, right[f.name]):
                        if not math.isfinite(bad) or f.tol.ok(bad, right[f.name]):
                            continue
                        answers = {k: repr(x) for k, x in right.items()}
                        answers[f.name] = repr(bad)
                        g = grade_variant(gen, v, answers)
                        if g.format_error:
                            fmt_err += 1
                            continue
                        cases += 1
                        st = per_gen.setdefault(name, [0, 0, 0])
                        st[0] += 1
                        if not g.mistake:
                            continue
                        named += 1
                        st[1] += 1
                        parsed = {k: float(x) for k, x in answers.items()}
                        pred = _carried(gen.mistakes, v, parsed, lambda gn=gen, vv=v: gn.mistakes(vv))[g.mistake]
                        clash = [o.name for o in v.fields if o.name != f.name and o.name in pred
                                 and not o.tol.ok(parsed[o.name], pred[o.name])]
                        if clash:
                            contradicted += 1
                            st[2] += 1
                            if len(examples) < 15:
                                examples.append(f"{name} {params or ''} seed {seed}: {f.name} {right[f.name]:.4g}"
                                                f"→{bad:.4g} named {g.mistake}, contradicted on {clash[:3]}")
    print(f"one-slip answers graded: {cases} (format errors: {fmt_err})")
    print(f"a mistake named: {named}; named mistake contradicted by another field: {contradicted}")
    for name, (c, n, k) in sorted(per_gen.items()):
        if n:
            print(f"  {name:32s} cases {c:5d} named {n:4d} contradicted {k:4d}")
    for e in examples:
        print("  e.g.", e)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 31)
