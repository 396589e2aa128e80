"""Optimizer exercises: two Adam steps, three steps of SGD with momentum, two RMSprop steps
(PyTorch's conventions, as in ``engine.algorithms.optimizers``).

Error carried forward: every state (m, v, s, velocity) and every w is graded from the learner's
own previous values.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.optimizers import MISTAKES
from engine.core import ChainGenerator, Degenerate, Field, Int, Step, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id
from engine.registry import generator

M_TOL = Tolerance(rtol=0.01, atol=1e-5)
V_TOL = Tolerance(rtol=0.01, atol=1e-9)
W_TOL = Tolerance(atol=0.001)
EPS = 1e-8


def _grad(rng: np.random.Generator) -> float:
    return float(rng.choice([-1, 1]) * rng.integers(1, 21) / 10)      # ±0.1 … ±2.0


def _sqrt(x: float, mistake: str | None) -> float:
    if mistake == "optimizer.no-sqrt":
        return x
    return math.sqrt(x) if x > 0 else 0.0


class _Chain:
    """Values of the fields in order, each from the learner's own earlier answers when given."""

    def __init__(self, answers: Mapping[str, float] | None):
        self.ans = answers or {}
        self.out: dict[str, float] = {}

    def set(self, key: str, value: float) -> float:
        """Record the computed value of ``key``; return what later fields build on."""
        self.out[key] = value
        own = self.ans.get(key)
        return own if own is not None else value


ADAM_FIELDS = ("m[1]", "v[1]", "w[1]", "m[2]", "v[2]", "m_hat[2]", "v_hat[2]", "w[2]")
ADAM_MISTAKES = ("optimizer.adam-no-bias-correction", "optimizer.adam-betas-swapped", "optimizer.no-sqrt",
                 "optimizer.ascent")


@generator
class AdamSteps(ChainGenerator):
    name = "optimizer.adam-step"
    title = {"en": "Two Adam steps", "ko": "Adam 두 단계"}
    mistakes_catalog = by_id(MISTAKES, *ADAM_MISTAKES)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        w0 = float(rng.choice([-1, 1]) * rng.integers(5, 21) / 10)
        lr = float(rng.choice([0.1, 0.05, 0.01]))
        g1, g2 = _grad(rng), _grad(rng)
        d = {"w0": w0, "lr": lr, "grads": [g1, g2], "beta1": 0.9, "beta2": 0.999, "eps": EPS}
        labels = {"m[1]": "m₁", "v[1]": "v₁", "w[1]": "w₁", "m[2]": "m₂", "v[2]": "v₂", "m_hat[2]": "m̂₂",
                  "v_hat[2]": "v̂₂", "w[2]": "w₂"}
        tols = {"m": M_TOL, "v": V_TOL, "w": W_TOL}
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"Adam with lr = {lr:g}, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 starts at w₀ = {w0:g} with m₀ = v₀ = 0. "
                          f"The gradients of the first two steps are g₁ = {g1:g} and g₂ = {g2:g}. Give m, v and w "
                          "after step 1, and m, v, the bias-corrected m̂, v̂ and w after step 2. "
                          "(m_t = β₁m + (1 − β₁)g, v_t = β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), "
                          "w_t = w − lr·m̂/(√v̂ + ε).)",
                    "ko": f"Adam(lr = {lr:g}, β₁ = 0.9, β₂ = 0.999, ε = 1e-8)이 w₀ = {w0:g}, m₀ = v₀ = 0에서 시작합니다. "
                          f"처음 두 단계의 기울기는 g₁ = {g1:g}, g₂ = {g2:g}입니다. 1단계 후의 m, v, w와 2단계 후의 "
                          "m, v, 편향 보정된 m̂, v̂, w를 구하세요. (m_t = β₁m + (1 − β₁)g, v_t = β₂v + (1 − β₂)g², "
                          "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), w_t = w − lr·m̂/(√v̂ + ε).)"},
            fields=[Field(k, {"en": labels[k], "ko": labels[k]}, part="step-1" if k.endswith("[1]") else "step-2",
                          tol=tols[k[0]]) for k in ADAM_FIELDS],
            hints=[
                {"en": "Step 1: m₁ = 0.1·g₁, v₁ = 0.001·g₁². The bias correction divides by 1 − 0.9 and 1 − 0.999, "
                       "so m̂₁ = g₁ and v̂₁ = g₁²: the first step has size ≈ lr.",
                 "ko": "1단계: m₁ = 0.1·g₁, v₁ = 0.001·g₁². 편향 보정으로 1 − 0.9, 1 − 0.999로 나누므로 m̂₁ = g₁, "
                       "v̂₁ = g₁²이고, 첫 이동 크기는 약 lr입니다."},
                {"en": "Step 2: m₂ = 0.9·m₁ + 0.1·g₂, v₂ = 0.999·v₁ + 0.001·g₂²; m̂₂ = m₂/(1 − 0.9²) = m₂/0.19, "
                       "v̂₂ = v₂/(1 − 0.999²) = v₂/0.001999.",
                 "ko": "2단계: m₂ = 0.9·m₁ + 0.1·g₂, v₂ = 0.999·v₁ + 0.001·g₂²; m̂₂ = m₂/(1 − 0.9²) = m₂/0.19, "
                       "v̂₂ = v₂/(1 − 0.999²) = v₂/0.001999."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        b1, b2 = d["beta1"], d["beta2"]
        if mistake == "optimizer.adam-betas-swapped":
            b1, b2 = b2, b1
        corr = mistake != "optimizer.adam-no-bias-correction"
        sign = 1.0 if mistake == "optimizer.ascent" else -1.0
        g1, g2 = d["grads"]
        c = _Chain(answers)
        m1 = c.set("m[1]", (1 - b1) * g1)
        v1 = c.set("v[1]", (1 - b2) * g1 * g1)
        m_hat1, v_hat1 = (m1 / (1 - b1), v1 / (1 - b2)) if corr else (m1, v1)
        w1 = c.set("w[1]", d["w0"] + sign * d["lr"] * m_hat1 / (_sqrt(max(v_hat1, 0.0), mistake) + d["eps"]))
        m2 = c.set("m[2]", b1 * m1 + (1 - b1) * g2)
        v2 = c.set("v[2]", b2 * v1 + (1 - b2) * g2 * g2)
        m_hat2 = c.set("m_hat[2]", m2 / (1 - b1 ** 2) if corr else m2)
        v_hat2 = c.set("v_hat[2]", v2 / (1 - b2 ** 2) if corr else v2)
        c.set("w[2]", w1 + sign * d["lr"] * m_hat2 / (_sqrt(max(v_hat2, 0.0), mistake) + d["eps"]))
        return c.out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        g1, g2 = d["grads"]
        lines = [
            (f"m₁ = 0.1·{paren(g1)} = {fmt(r['m[1]'], 4)};  v₁ = 0.001·{paren(g1)}² = {fmt(r['v[1]'], 4)}", ("m[1]", "v[1]")),
            (f"m̂₁ = {fmt(r['m[1]'], 4)}/0.1 = {fmt(r['m[1]'] / 0.1, 4)}, v̂₁ = {fmt(r['v[1]'], 4)}/0.001 = "
             f"{fmt(r['v[1]'] / 0.001, 4)};  w₁ = {d['w0']:g} − {paren(d['lr'])}·{paren(r['m[1]'] / 0.1)}/√{fmt(r['v[1]'] / 0.001, 4)}"
             f" = {fmt(r['w[1]'], 4)}", ("w[1]",)),
            (f"m₂ = 0.9·{paren(r['m[1]'])} + 0.1·{paren(g2)} = {fmt(r['m[2]'], 4)};  v₂ = 0.999·{paren(r['v[1]'])} + "
             f"0.001·{paren(g2)}² = {fmt(r['v[2]'], 4)}", ("m[2]", "v[2]")),
            (f"m̂₂ = {fmt(r['m[2]'], 4)}/0.19 = {fmt(r['m_hat[2]'], 4)};  v̂₂ = {fmt(r['v[2]'], 4)}/0.001999 = "
             f"{fmt(r['v_hat[2]'], 4)}", ("m_hat[2]", "v_hat[2]")),
            (f"w₂ = {fmt(r['w[1]'], 4)} − {paren(d['lr'])}·{paren(r['m_hat[2]'])}/√{fmt(r['v_hat[2]'], 4)} = {fmt(r['w[2]'], 4)}",
             ("w[2]",)),
        ]
        return [Step({"en": t, "ko": t}, f) for t, f in lines]


MOMENTUM_MISTAKES = ("optimizer.momentum-no-velocity", "optimizer.ascent")


@generator
class MomentumSteps(ChainGenerator):
    name = "optimizer.momentum-step"
    title = {"en": "SGD with momentum", "ko": "모멘텀 SGD"}
    defaults = {"steps": 3}
    limits = {"steps": Int(2, 8)}
    mistakes_catalog = by_id(MISTAKES, *MOMENTUM_MISTAKES)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        k = int(params["steps"])
        a = float(rng.choice([0.5, 1, 2]))
        w0 = float(rng.choice([-3, -2, -1, 1, 2, 3]))
        lr = float(rng.choice([0.05, 0.1]))
        mu = float(rng.choice([0.9, 0.5]))
        if 2 * a * lr >= 1:
            raise Degenerate("overshoots")
        d = {"a": a, "w0": w0, "lr": lr, "momentum": mu, "steps": k}
        fields = []
        for t in range(1, k + 1):
            fields.append(Field(f"v[{t}]", {"en": f"v{t}", "ko": f"v{t}"}, part=f"step-{t}",
                                tol=Tolerance(rtol=0.005, atol=0.002)))
            fields.append(Field(f"w[{t}]", {"en": f"w{t}", "ko": f"w{t}"}, part=f"step-{t}", tol=W_TOL))
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"Minimise L(w) = {a:g}·w^2 (so L′(w) = {2 * a:g}·w) with SGD with momentum μ = {mu:g}, "
                          f"learning rate {lr:g}, from w0 = {w0:g} and velocity v0 = 0, in PyTorch's form "
                          "v_t = μ·v_{t−1} + L′(w_{t−1}), w_t = w_{t−1} − lr·v_t. Give v and w after each of the first "
                          f"{k} steps.",
                    "ko": f"L(w) = {a:g}·w^2 (L′(w) = {2 * a:g}·w)를 모멘텀 μ = {mu:g}, 학습률 {lr:g}인 모멘텀 SGD로 "
                          f"w0 = {w0:g}, 속도 v0 = 0에서 최소화합니다. PyTorch 방식 v_t = μ·v_{{t−1}} + L′(w_{{t−1}}), "
                          f"w_t = w_{{t−1}} − lr·v_t를 쓰세요. 처음 {k}단계 각각의 v와 w를 구하세요."},
            fields=fields,
            hints=[
                {"en": "Step 1: v1 = L′(w0) (v0 = 0), w1 = w0 − lr·v1 — the same as plain SGD.",
                 "ko": "1단계: v1 = L′(w0) (v0 = 0), w1 = w0 − lr·v1 — 일반 SGD와 같습니다."},
                {"en": "From step 2 the velocity remembers: v2 = μ·v1 + L′(w1).",
                 "ko": "2단계부터 속도가 이전 값을 기억합니다: v2 = μ·v1 + L′(w1)."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        c = _Chain(answers)
        w, vel = d["w0"], 0.0
        sign = 1.0 if mistake == "optimizer.ascent" else -1.0
        for t in range(1, d["steps"] + 1):
            g = 2 * d["a"] * w
            vel = c.set(f"v[{t}]", g if mistake == "optimizer.momentum-no-velocity" else d["momentum"] * vel + g)
            w = c.set(f"w[{t}]", w + sign * d["lr"] * vel)
        return c.out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        steps = []
        w, vel = d["w0"], 0.0
        for t in range(1, d["steps"] + 1):
            g = 2 * d["a"] * w
            text = (f"g{t} = {paren(2 * d['a'])}·{paren(w)} = {fmt(g, 4)}; v{t} = {paren(d['momentum'])}·{paren(vel)} + "
                    f"{paren(g)} = {fmt(r[f'v[{t}]'], 4)}; w{t} = {fmt(w, 4)} − {paren(d['lr'])}·{paren(r[f'v[{t}]'])} = "
                    f"{fmt(r[f'w[{t}]'], 4)}")
            steps.append(Step({"en": text, "ko": text}, (f"v[{t}]", f"w[{t}]")))
            w, vel = r[f"w[{t}]"], r[f"v[{t}]"]
        return steps


RMS_MISTAKES = ("optimizer.no-sqrt", "optimizer.ascent")


@generator
class RMSpropSteps(ChainGenerator):
    name = "optimizer.rmsprop-step"
    title = {"en": "Two RMSprop steps", "ko": "RMSprop 두 단계"}
    mistakes_catalog = by_id(MISTAKES, *RMS_MISTAKES)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        w0 = float(rng.choice([-1, 1]) * rng.integers(5, 21) / 10)
        lr = float(rng.choice([0.01, 0.05, 0.1]))
        rho = float(rng.choice([0.9, 0.99]))
        g1, g2 = _grad(rng), _grad(rng)
        d = {"w0": w0, "lr": lr, "rho": rho, "grads": [g1, g2], "eps": EPS}
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"RMSprop with lr = {lr:g}, decay ρ = {rho:g}, ε = 1e-8 starts at w0 = {w0:g}, s0 = 0. The "
                          f"gradients are g1 = {g1:g}, g2 = {g2:g}. With s_t = ρ·s_{{t−1}} + (1 − ρ)·g_t² and "
                          "w_t = w_{t−1} − lr·g_t/(√s_t + ε), give s and w after each step.",
                    "ko": f"RMSprop(lr = {lr:g}, 감쇠율 ρ = {rho:g}, ε = 1e-8)이 w0 = {w0:g}, s0 = 0에서 시작합니다. "
                          f"기울기는 g1 = {g1:g}, g2 = {g2:g}입니다. s_t = ρ·s_{{t−1}} + (1 − ρ)·g_t², "
                          "w_t = w_{t−1} − lr·g_t/(√s_t + ε)으로 각 단계 후의 s와 w를 구하세요."},
            fields=[Field("s[1]", {"en": "s1", "ko": "s1"}, part="step-1", tol=V_TOL),
                    Field("w[1]", {"en": "w1", "ko": "w1"}, part="step-1", tol=W_TOL),
                    Field("s[2]", {"en": "s2", "ko": "s2"}, part="step-2", tol=V_TOL),
                    Field("w[2]", {"en": "w2", "ko": "w2"}, part="step-2", tol=W_TOL)],
            hints=[
                {"en": "s is a running average of squared gradients; dividing by √s makes the step size "
                       "roughly lr whatever the gradient's scale.",
                 "ko": "s는 기울기 제곱의 이동 평균이고, √s로 나누면 기울기 크기와 상관없이 이동 폭이 대략 lr 정도가 됩니다."},
                {"en": f"Step 1: s1 = {1 - rho:g}·g1², so the first step is lr/√{1 - rho:g} — larger than lr.",
                 "ko": f"1단계: s1 = {1 - rho:g}·g1²이므로 첫 이동은 lr/√{1 - rho:g}이고, lr보다 큽니다."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        c = _Chain(answers)
        sign = 1.0 if mistake == "optimizer.ascent" else -1.0
        s, w = 0.0, d["w0"]
        for t, g in enumerate(d["grads"], start=1):
            s = c.set(f"s[{t}]", d["rho"] * s + (1 - d["rho"]) * g * g)
            w = c.set(f"w[{t}]", w + sign * d["lr"] * g / (_sqrt(max(s, 0.0), mistake) + d["eps"]))
        return c.out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        steps = []
        s, w = 0.0, d["w0"]
        for t, g in enumerate(d["grads"], start=1):
            text = (f"s{t} = {paren(d['rho'])}·{paren(s)} + {paren(1 - d['rho'])}·({g:g})² = {fmt(r[f's[{t}]'], 4)}; "
                    f"w{t} = {fmt(w, 4)} − {paren(d['lr'])}·{paren(g)}/√{fmt(r[f's[{t}]'], 4)} = {fmt(r[f'w[{t}]'], 4)}")
            steps.append(Step({"en": text, "ko": text}, (f"s[{t}]", f"w[{t}]")))
            s, w = r[f"s[{t}]"], r[f"w[{t}]"]
        return steps
