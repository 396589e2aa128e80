"""Gradient descent exercises on polynomial losses: k steps with a given derivative, and one step
where the learner differentiates the loss first.

Error carried forward: w_{k+1} is graded from the learner's own w_k (and w_1 from their own L′(w_0)).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.gradient_descent import MISTAKES, descend
from engine.core import ChainGenerator, Degenerate, Field, Int, Mistake, Step, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id
from engine.registry import generator

W_TOL = Tolerance(atol=0.002)
G_TOL = Tolerance(rtol=0.005, atol=0.002)

Poly = tuple[tuple[int, float], ...]     # ((power, coefficient), ...) highest power first


def poly(terms: Poly, w: float) -> float:
    return float(sum(c * w ** n for n, c in terms))


def derivative(terms: Poly) -> Poly:
    return tuple((n - 1, n * c) for n, c in terms if n > 0)


def no_coefficient(terms: Poly) -> Poly:
    """The power-rule slip: d/dw c·wⁿ taken as c·wⁿ⁻¹ (the exponent not brought down)."""
    return tuple((n - 1, c) for n, c in terms if n > 0)


def poly_text(terms: Poly) -> str:
    out = ""
    for n, c in terms:
        if c == 0:
            continue
        mag = abs(c)
        coef = "" if (mag == 1 and n > 0) else f"{mag:g}"
        var = "" if n == 0 else ("w" if n == 1 else f"w^{n}")
        body = coef + ("*" if coef and var else "") + var
        if not out:
            out = ("-" if c < 0 else "") + body
        else:
            out += (" - " if c < 0 else " + ") + body
    return out or "0"


def _draw_loss(rng: np.random.Generator) -> tuple[Poly, float, float]:
    """A loss, a start w0 and a learning rate that keeps the first steps in a sensible range."""
    kind = int(rng.integers(0, 4))
    if kind == 0:                                      # the notes' L = w⁴
        terms: Poly = ((4, 1.0),)
        w0 = float(rng.choice([-2, -1.5, -1, 1, 1.5, 2]))
        lr = float(rng.choice([0.01, 0.02, 0.05]))
    elif kind == 1:                                    # a(w − c)² expanded
        a, c = float(rng.choice([0.5, 1, 2])), float(rng.integers(-2, 4))
        terms = ((2, a), (1, -2 * a * c), (0, a * c * c))
        w0 = float(c + rng.choice([-3, -2, -1, 1, 2, 3]))
        lr = float(rng.choice([0.1, 0.2, 0.3]))
    elif kind == 2:                                    # double well w⁴ − 2w²
        terms = ((4, 1.0), (2, -2.0))
        w0 = float(rng.choice([-2, -1.5, -0.5, 0.5, 1.5, 2]))
        lr = float(rng.choice([0.02, 0.05, 0.1]))
    else:                                              # w³ − 3w (local minimum at w = 1)
        terms = ((3, 1.0), (1, -3.0))
        w0 = float(rng.choice([0.5, 1.5, 2, 2.5]))
        lr = float(rng.choice([0.05, 0.1]))
    return terms, w0, lr


@generator
class GDSteps(ChainGenerator):
    name = "gd.steps"
    title = {"en": "Gradient descent, step by step", "ko": "경사하강법 한 단계씩"}
    defaults = {"steps": 3}
    limits = {"steps": Int(2, 8)}
    mistakes_catalog = MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        k = int(params["steps"])
        terms, w0, lr = _draw_loss(rng)
        d = {"loss": [list(t) for t in terms], "w0": w0, "lr": lr, "steps": k}
        ws = descend(lambda w: poly(derivative(terms), w), w0, lr, k)["w"]
        if any(abs(w) > 10 for w in ws) or abs(ws[-1] - ws[-2]) < 0.003:
            raise Degenerate("diverges or does not move")
        loss, dl = poly_text(terms), poly_text(derivative(terms))
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"Minimise L(w) = {loss} by gradient descent with L′(w) = {dl}, starting at w0 = {w0:g} "
                          f"with learning rate {lr:g}. Give w after each of the first {k} steps.",
                    "ko": f"경사하강법으로 L(w) = {loss}의 최솟값을 찾습니다. L′(w) = {dl}, 시작점 w0 = {w0:g}, "
                          f"학습률 {lr:g}입니다. 처음 {k}번의 각 단계 후 w 값을 구하세요."},
            fields=[Field(f"w[{i}]", {"en": f"w{i}", "ko": f"w{i}"}, part=f"step-{i}", tol=W_TOL)
                    for i in range(1, k + 1)],
            hints=[
                {"en": "One step: w_new = w − lr·L′(w). Evaluate L′ at the current w.",
                 "ko": "한 단계: w_new = w − lr·L′(w). L′은 현재 w에서 계산합니다."},
                {"en": f"First step: w1 = {w0:g} − {lr:g}·L′({w0:g}).",
                 "ko": f"첫 단계: w1 = {w0:g} − {lr:g}·L′({w0:g})."},
                {"en": "Each next step starts from the w you just found; the slope changes as w moves.",
                 "ko": "다음 단계는 방금 구한 w에서 시작하고, w가 움직이면 기울기도 바뀝니다."},
            ],
        )

    def _terms(self, v: Variant) -> Poly:
        return tuple((int(n), float(c)) for n, c in v.data["loss"])

    def _chain(self, v: Variant, answers: Mapping[str, float] | None, mistake: str | None = None) -> dict:
        d = v.data
        dterms = derivative(self._terms(v))
        lr = d["lr"]
        ans = answers or {}
        out: dict[str, float] = {}
        w_prev = d["w0"]
        g0 = poly(dterms, d["w0"])
        for i in range(1, d["steps"] + 1):
            g = g0 if mistake == "gd.fixed-gradient" else poly(dterms, w_prev)
            step = g if mistake == "gd.no-learning-rate" else lr * g
            out[f"w[{i}]"] = w_prev + step if mistake == "gd.ascent" else w_prev - step
            key = f"w[{i}]"
            w_prev = ans[key] if ans.get(key) is not None else out[key]
            if not abs(w_prev) < 1e12:            # a runaway mistake: stop following it
                w_prev = float(np.sign(w_prev)) * 1e12 if np.isfinite(w_prev) else 1e12
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        dterms = derivative(self._terms(v))
        r = self.expected(v)
        steps = []
        w = d["w0"]
        for i in range(1, d["steps"] + 1):
            g = poly(dterms, w)
            text = (f"w{i} = w{i - 1} − lr·L′(w{i - 1}) = {fmt(w, 4)} − {paren(d['lr'])}·{paren(g)} = "
                    f"{fmt(r[f'w[{i}]'], 4)}")
            steps.append(Step({"en": text, "ko": text}, (f"w[{i}]",)))
            w = r[f"w[{i}]"]
        return steps


POWER_RULE = Mistake("gd.power-rule-no-coefficient", {
    "en": "You differentiated c·wⁿ as c·wⁿ⁻¹: the exponent comes down as a factor, d/dw c·wⁿ = n·c·wⁿ⁻¹.",
    "ko": "c·wⁿ을 c·wⁿ⁻¹으로 미분했습니다: 지수가 앞으로 내려와 곱해집니다. d/dw c·wⁿ = n·c·wⁿ⁻¹.",
})


@generator
class GDFromLoss(ChainGenerator):
    name = "gd.from-loss"
    title = {"en": "Differentiate, then take one descent step", "ko": "미분하고 경사하강 한 단계"}
    mistakes_catalog = (POWER_RULE,) + by_id(MISTAKES, "gd.ascent", "gd.no-learning-rate")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(rng.choice([3, 4]))
        a = float(rng.choice([0.5, 1, 2, 3]))
        m = int(rng.choice([1, 2]))
        b = float(rng.choice([-4, -3, -2, -1, 1, 2, 3, 4]))
        terms: Poly = ((n, a), (m, b))
        w0 = float(rng.choice([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2]))
        lr = float(rng.choice([0.01, 0.05, 0.1]))
        g = poly(derivative(terms), w0)
        if abs(g) < 0.5 or abs(lr * g) > 5:
            raise Degenerate("flat or too steep at w0")
        loss = poly_text(terms)
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"loss": [list(t) for t in terms], "w0": w0,
                                                                    "lr": lr},
            prompt={"en": f"L(w) = {loss}. Find the slope L′(w0) at w0 = {w0:g}, then take one gradient-descent "
                          f"step with learning rate {lr:g}.",
                    "ko": f"L(w) = {loss}입니다. w0 = {w0:g}에서의 기울기 L′(w0)를 구하고, "
                          f"경사하강법 한 단계를 진행하세요. 학습률은 {lr:g}입니다."},
            fields=[Field("grad", {"en": "L′(w0)", "ko": "L′(w0)"}, part="slope", tol=G_TOL),
                    Field("w[1]", {"en": "w1", "ko": "w1"}, part="step", tol=W_TOL)],
            hints=[
                {"en": "Power rule: d/dw c·wⁿ = n·c·wⁿ⁻¹, term by term.",
                 "ko": "거듭제곱 미분: 항마다 d/dw c·wⁿ = n·c·wⁿ⁻¹."},
                {"en": "Then w1 = w0 − lr·L′(w0).", "ko": "그다음 w1 = w0 − lr·L′(w0)."},
            ],
        )

    def _terms(self, v: Variant) -> Poly:
        return tuple((int(n), float(c)) for n, c in v.data["loss"])

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        dterms = no_coefficient(self._terms(v)) if mistake == POWER_RULE.id else derivative(self._terms(v))
        g = poly(dterms, d["w0"])
        g_own = answers["grad"] if answers and answers.get("grad") is not None else g
        if mistake == "gd.ascent":
            w1 = d["w0"] + d["lr"] * g_own
        elif mistake == "gd.no-learning-rate":
            w1 = d["w0"] - g_own
        else:
            w1 = d["w0"] - d["lr"] * g_own
        return {"grad": g, "w[1]": w1}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        terms = self._terms(v)
        r = self.expected(v)
        w0 = paren(d["w0"])
        parts = " + ".join(paren(c) if n == 1 else f"{n}·{paren(c)}·{w0}" + (f"^{n - 1}" if n > 2 else "")
                           for n, c in terms)
        s1 = f"L′(w) = {poly_text(derivative(terms))}; L′({d['w0']:g}) = {parts} = {fmt(r['grad'], 4)}"
        s2 = f"w1 = {d['w0']:g} − {paren(d['lr'])}·{paren(r['grad'])} = {fmt(r['w[1]'], 4)}"
        return [Step({"en": s1, "ko": s1}, ("grad",)), Step({"en": s2, "ko": s2}, ("w[1]",))]
