"""Activation exercises: the value and derivative of one activation at a point, and the
vanishing gradient through a chain of sigmoids.

Error carried forward: for the sigmoid and tanh the derivative is graded from the learner's own
value (σ′ = σ(1 − σ), tanh′ = 1 − tanh²), and the product of derivatives from the learner's own
factors.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.activation import MISTAKE_FNS, MISTAKES, value_and_derivative
from engine.core import Degenerate, Field, Generator, Int, Names, Step, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id
from engine.korean import josa
from engine.registry import generator

VAL_TOL = Tolerance(atol=0.002)
SMALL_TOL = Tolerance(rtol=0.01, atol=2e-4)

LABELS = {
    "sigmoid": ("σ(x) = 1/(1 + e^−x)", "시그모이드 σ(x) = 1/(1 + e^−x)"),
    "tanh": ("tanh(x)", "tanh(x)"),
    "relu": ("ReLU(x) = max(0, x)", "ReLU(x) = max(0, x)"),
    "leaky_relu": ("Leaky ReLU with slope α = {a} for x ≤ 0", "x ≤ 0에서 기울기가 α = {a}인 Leaky ReLU"),
    "elu": ("ELU with α = {a}: x for x > 0, α(e^x − 1) otherwise", "α = {a}인 ELU: x > 0이면 x, 아니면 α(e^x − 1)"),
    "softplus": ("softplus(x) = ln(1 + e^x)", "softplus(x) = ln(1 + e^x)"),
    "swish": ("swish / SiLU: x·σ(x)", "swish / SiLU: x·σ(x)"),
}
NAMES = tuple(LABELS)
APPLIES = {  # the mistakes that change the answer for each function
    "sigmoid": ("activation.derivative-is-value", "activation.derivative-on-input", "activation.exp-sign-flipped"),
    "tanh": ("activation.derivative-is-value", "activation.derivative-on-input",
             "activation.tanh-derivative-no-square"),
    "relu": ("activation.derivative-is-value",),
    "leaky_relu": ("activation.derivative-is-value",),
    "elu": ("activation.derivative-is-value",),
    "softplus": ("activation.derivative-is-value",),
    "swish": ("activation.derivative-is-value", "activation.exp-sign-flipped"),
}
DERIV_TEXT = {
    "sigmoid": ("σ′(x) = σ(x)(1 − σ(x))", "σ′(x) = σ(x)(1 − σ(x))"),
    "tanh": ("tanh′(x) = 1 − tanh²(x)", "tanh′(x) = 1 − tanh²(x)"),
    "relu": ("ReLU′(x) = 1 for x > 0, 0 otherwise", "x > 0이면 1, 아니면 0"),
    "leaky_relu": ("1 for x > 0, α otherwise", "x > 0이면 1, 아니면 α"),
    "elu": ("1 for x > 0, α·e^x otherwise", "x > 0이면 1, 아니면 α·e^x"),
    "softplus": ("softplus′(x) = σ(x)", "softplus′(x) = σ(x)"),
    "swish": ("σ(x) + x·σ(x)(1 − σ(x))", "σ(x) + x·σ(x)(1 − σ(x))"),
}


def _alpha(name: str, data: Mapping) -> float | None:
    return data.get("alpha") if name in ("leaky_relu", "elu") else None


@generator
class ActivationValue(Generator):
    name = "activation.value"
    title = {"en": "An activation and its derivative", "ko": "활성화 함수값과 미분값"}
    defaults = {"names": list(NAMES)}
    limits = {"names": Names(NAMES, len(NAMES))}
    mistakes_catalog = MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        names = [n for n in params["names"] if n in LABELS] or list(NAMES)
        name = str(rng.choice(names))
        x = float(rng.choice([-1, 1]) * rng.integers(1, 31) / 10)        # ±0.1 … ±3.0, one decimal
        if name in ("relu", "leaky_relu", "elu") and rng.random() < 0.7:
            x = -abs(x)                                                  # the interesting side
        data = {"name": name, "x": x}
        if name == "leaky_relu":
            data["alpha"] = float(rng.choice([0.01, 0.1, 0.2]))
        elif name == "elu":
            data["alpha"] = float(rng.choice([1.0, 0.5]))
        en, ko = LABELS[name]
        a = data.get("alpha", "")
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={"en": f"For the activation {en.format(a=fmt(a) if a != '' else '')}, give its value f(x) and "
                          f"its derivative f′(x) at x = {x:g}.",
                    "ko": f"{ko.format(a=fmt(a) if a != '' else '')} 활성화 함수에 대해 x = {x:g}에서의 함수값 f(x)와 "
                          "미분값 f′(x)를 구하세요."},
            fields=[Field("value", {"en": f"f({x:g})", "ko": f"f({x:g})"}, tol=VAL_TOL),
                    Field("derivative", {"en": f"f′({x:g})", "ko": f"f′({x:g})"}, part="derivative", tol=VAL_TOL)],
            hints=[
                {"en": "Write the formula first, then put the number in.",
                 "ko": "먼저 공식을 쓰고 숫자를 넣으세요."},
                {"en": f"The derivative: {DERIV_TEXT[name][0]}.", "ko": f"미분: {DERIV_TEXT[name][1]}."},
                {"en": "Reuse the value you just computed: σ′ = σ(1 − σ), tanh′ = 1 − tanh².",
                 "ko": "방금 구한 함수값을 다시 쓰세요: σ′ = σ(1 − σ), tanh′ = 1 − tanh²."}
                if name in ("sigmoid", "tanh", "swish") else
                {"en": "Piecewise function: first decide on which side of 0 the input lies.",
                 "ko": "구간별로 정의된 함수입니다: 먼저 입력이 0의 어느 쪽에 있는지 보세요."}
                if name in ("relu", "leaky_relu", "elu") else
                {"en": "softplus′(x) = σ(x): the sigmoid is the derivative of softplus.",
                 "ko": "softplus′(x) = σ(x): 시그모이드가 softplus의 미분입니다."},
            ],
        )
        right = self.expected(v)
        if name in ("relu", "leaky_relu", "elu") and x > 0 and abs(right["value"] - right["derivative"]) < 0.05:
            raise Degenerate("value equals the derivative")
        return v

    def _compute(self, v: Variant, fn=value_and_derivative) -> dict[str, float]:
        d = v.data
        val, der = fn(d["name"], np.array(d["x"]), _alpha(d["name"], d), "none")
        return {"value": float(val), "derivative": float(der)}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        out = self._compute(v)
        if answers and answers.get("value") is not None:
            y = answers["value"]
            if v.data["name"] == "sigmoid" and 0 < y < 1:
                out["derivative"] = y * (1 - y)          # σ′ from the learner's own σ
            elif v.data["name"] == "tanh" and -1 < y < 1:
                out["derivative"] = 1 - y * y
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {}
        for mid in APPLIES[v.data["name"]]:
            if mid == "activation.derivative-is-value" and v.data["name"] == "relu" and v.data["x"] <= 0:
                continue                                 # ReLU(x) = ReLU′(x) = 0 there: not a visible slip
            vals = self._compute(v, MISTAKE_FNS[mid])
            if answers and answers.get("value") is not None:
                y, x = answers["value"], v.data["x"]
                if mid == "activation.derivative-is-value":
                    vals["derivative"] = y
                elif mid == "activation.tanh-derivative-no-square":
                    vals["derivative"] = 1 - y
                elif mid == "activation.exp-sign-flipped" and v.data["name"] == "sigmoid" and 0 < y < 1:
                    vals["derivative"] = y * (1 - y)
                elif mid == "activation.derivative-on-input":
                    vals["derivative"] = x * (1 - x) if v.data["name"] == "sigmoid" else 1 - x * x
            out[mid] = vals
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        name, x = d["name"], d["x"]
        r = self._compute(v)
        val, der = fmt(r["value"], 4), fmt(r["derivative"], 4)
        if name == "sigmoid":
            e = math.exp(-x)
            s1 = f"σ({x:g}) = 1/(1 + e^{-x:g}) = 1/(1 + {fmt(e, 4)}) = {val}"
            s2 = f"σ′({x:g}) = σ(1 − σ) = {val}·(1 − {val}) = {der}"
        elif name == "tanh":
            s1 = f"tanh({x:g}) = {val}"
            s2 = f"1 − tanh² = 1 − {val}² = {der}"
        elif name == "relu":
            s1 = f"max(0, {x:g}) = {val}"
            s2 = f"x {'>' if x > 0 else '≤'} 0 → {der}"
        elif name == "leaky_relu":
            a = fmt(d["alpha"])
            s1 = f"x > 0 → {val}" if x > 0 else f"α·x = {a}·{paren(x)} = {val}"
            s2 = f"x {'>' if x > 0 else '≤'} 0 → {der}"
        elif name == "elu":
            a = fmt(d["alpha"])
            s1 = f"x > 0 → {val}" if x > 0 else f"α(e^x − 1) = {a}·(e^{x:g} − 1) = {val}"
            s2 = f"x > 0 → {der}" if x > 0 else f"α·e^x = {a}·e^{x:g} = {der}"
        elif name == "softplus":
            s1 = f"ln(1 + e^{x:g}) = {val}"
            s2 = f"σ({x:g}) = {der}"
        else:
            s = fmt(1 / (1 + math.exp(-x)), 4)
            s1 = f"x·σ(x) = {paren(x)}·{paren(s)} = {val}"
            s2 = f"σ + x·σ(1 − σ) = {s} + {paren(x)}·{paren(s)}·(1 − {s}) = {der}"
        return [Step({"en": s1, "ko": s1}, ("value",)),
                Step({"en": f"Derivative: {s2}", "ko": f"미분: {s2}"}, ("derivative",))]


@generator
class SigmoidChain(Generator):
    """∂/∂z₁ through a chain of sigmoid units picks up one σ′(z_i) ≤ 0.25 per unit."""

    name = "activation.vanishing"
    title = {"en": "Vanishing gradient through sigmoids", "ko": "시그모이드를 거치며 사라지는 기울기"}
    defaults = {"layers": 3}
    limits = {"layers": Int(1, 8)}
    mistakes_catalog = by_id(MISTAKES, "activation.derivative-is-value", "activation.derivative-on-input")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["layers"])
        z = [float(rng.choice([-1, 1]) * rng.integers(1, 26) / 10) for _ in range(n)]   # ±0.1 … ±2.5
        zs = ", ".join(f"z{i + 1} = {x:g}" for i, x in enumerate(z))
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data={"z": z},
            prompt={
                "en": f"In backpropagation through {n} stacked sigmoid units, every unit multiplies the "
                      f"gradient by σ′(z) at its net input. The net inputs are {zs}. Give σ′(z_i) for each "
                      "unit and their product (the factor the gradient shrinks by).",
                "ko": f"시그모이드 유닛 {n}개를 지나는 역전파에서 각 유닛은 순입력 z에서의 σ′(z)를 기울기에 곱합니다. "
                      f"순입력은 {zs}입니다. 각 유닛의 σ′(z_i)와 그 곱(기울기가 줄어드는 배율)을 구하세요.",
            },
            fields=[Field(f"d[{i}]", {"en": f"σ′(z{i + 1})", "ko": f"σ′(z{i + 1})"}, part="factors", tol=VAL_TOL)
                    for i in range(n)]
            + [Field("product", {"en": "product of the σ′", "ko": "σ′의 곱"}, part="product", tol=SMALL_TOL)],
            hints=[
                {"en": "σ′(z) = σ(z)(1 − σ(z)); first compute σ(z) = 1/(1 + e^−z).",
                 "ko": "σ′(z) = σ(z)(1 − σ(z))입니다. 먼저 σ(z) = 1/(1 + e^−z)를 구하세요."},
                {"en": "σ′ is at most 0.25 (at z = 0), so n sigmoids shrink a gradient by at least 4ⁿ.",
                 "ko": "σ′의 최댓값은 0.25(z = 0)이므로 시그모이드 n개를 지나면 기울기가 최소 4ⁿ배 작아집니다."},
            ],
        )
        return v

    def _factors(self, v: Variant, mid: str | None = None) -> list[float]:
        z = np.array(v.data["z"])
        fn = MISTAKE_FNS[mid] if mid else value_and_derivative
        return [float(d) for d in fn("sigmoid", z, None, "none")[1]]

    def _fields(self, v: Variant, factors: list[float], answers: Mapping[str, float] | None) -> dict[str, float]:
        out = {f"d[{i}]": f for i, f in enumerate(factors)}
        own = [answers.get(f"d[{i}]") for i in range(len(factors))] if answers else [None]
        used = own if all(x is not None for x in own) else factors
        out["product"] = float(np.prod(used))
        return out

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return self._fields(v, self._factors(v), answers)

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        return {m.id: self._fields(v, self._factors(v, m.id), answers) for m in self.mistakes_catalog}

    def solution(self, v: Variant) -> list[Step]:
        steps = []
        for i, (z, d) in enumerate(zip(v.data["z"], self._factors(v))):
            s = 1 / (1 + math.exp(-z))
            text = f"σ({z:g}) = {fmt(s, 4)}, σ′ = {paren(s)}·(1 − {fmt(s, 4)}) = {fmt(d, 4)}"
            steps.append(Step({"en": text, "ko": text}, (f"d[{i}]",)))
        prod = self.expected(v)["product"]
        n = len(v.data["z"])
        steps.append(Step({
            "en": f"Product: {' · '.join(fmt(d, 4) for d in self._factors(v))} = {fmt(prod, 4)} "
                  f"(never more than 0.25^{n} = {fmt(0.25 ** n, 4)}: the gradient vanishes with depth)",
            "ko": f"곱: {' · '.join(fmt(d, 4) for d in self._factors(v))} = {fmt(prod, 4)} "
                  f"(0.25^{n} = {josa(fmt(0.25 ** n, 4), '를')} 넘지 못하므로 층이 깊을수록 기울기가 사라집니다)"},
            ("product",)))
        return steps
