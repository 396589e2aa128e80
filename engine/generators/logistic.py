"""Logistic-regression exercises: one prediction; one gradient-descent step by hand."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms._common import sigmoid
from engine.algorithms.logistic import MISTAKES as LOGISTIC_MISTAKES
from engine.algorithms.logistic import forward
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, numbers, reject_coincident
from engine.registry import generator

P_TOL = Tolerance(atol=0.005)
G_TOL = Tolerance(atol=0.005)


@generator
class LogisticStep(Generator):
    name = "logistic.step"
    title = T("One gradient-descent step of logistic regression", "로지스틱 회귀의 경사하강 한 단계")
    defaults = {"n": 3}
    limits = {"n": Int(2, 6)}
    mistakes_catalog = LOGISTIC_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        x = rng.choice(np.arange(-3, 4), size=n, replace=False).astype(float)
        y = rng.integers(0, 2, size=n).astype(float)
        if y.min() == y.max():
            raise Degenerate("want both classes")
        w = float(rng.choice([-1.0, -0.5, 0.5, 1.0]))
        b = float(rng.choice([-0.5, 0.0, 0.5]))
        lr = float(rng.choice([0.1, 0.5, 1.0]))
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist(), "y": y.tolist(), "w": w, "b": b, "lr": lr},
            prompt=T(
                f"Logistic regression with one feature: p = σ(w·x + b), w = {w:g}, b = {b:g}. Data x = "
                f"[{numbers(x)}], labels y = [{numbers(y)}]. Give each p_i, the mean binary cross-entropy "
                f"L = −(1/n) Σ [y log p + (1−y) log(1−p)], the gradients ∂L/∂w and ∂L/∂b, and w, b after one "
                f"gradient-descent step with learning rate {lr:g}.",
                f"특성이 하나인 로지스틱 회귀: p = σ(w·x + b), w = {w:g}, b = {b:g}. 데이터 x = [{numbers(x)}], "
                f"정답 y = [{numbers(y)}]. 각 p_i, 평균 이진 교차 엔트로피 L = −(1/n) Σ [y log p + (1−y) log(1−p)], "
                f"기울기 ∂L/∂w, ∂L/∂b, 그리고 학습률 {lr:g}로 경사하강 한 번 후의 w, b를 구하세요."),
            fields=[Field(f"p[{i}]", T(f"p_{i + 1}", f"p_{i + 1}"), part="forward", tol=P_TOL) for i in range(n)]
            + [Field("loss", T("loss L", "손실 L"), part="forward", tol=Tolerance(atol=0.005)),
               Field("grad_w", T("∂L/∂w", "∂L/∂w"), part="gradient", tol=G_TOL),
               Field("grad_b", T("∂L/∂b", "∂L/∂b"), part="gradient", tol=G_TOL),
               Field("w_new", T("new w", "새 w"), part="update", tol=G_TOL),
               Field("b_new", T("new b", "새 b"), part="update", tol=G_TOL)],
            tables=[Table(T("Data", "데이터"), rows=[str(i + 1) for i in range(n)], cols=["x", "y", "p"],
                          cells=[[float(a), float(c), f"p[{i}]"] for i, (a, c) in enumerate(zip(x, y))])],
            hints=[T("z_i = w·x_i + b, p_i = 1/(1 + e^(−z_i)); use natural logarithms for the loss.",
                     "z_i = w·x_i + b, p_i = 1/(1 + e^(−z_i)); 손실에는 자연로그를 씁니다."),
                   T("For cross-entropy, ∂L/∂z_i = (p_i − y_i)/n; then ∂L/∂w = Σ (p_i − y_i) x_i / n and "
                     "∂L/∂b = Σ (p_i − y_i) / n.",
                     "교차 엔트로피에서 ∂L/∂z_i = (p_i − y_i)/n이므로 ∂L/∂w = Σ (p_i − y_i) x_i / n, "
                     "∂L/∂b = Σ (p_i − y_i) / n입니다."),
                   T("Step against the gradient: w ← w − lr·∂L/∂w, b ← b − lr·∂L/∂b.",
                     "기울기 반대 방향으로: w ← w − lr·∂L/∂w, b ← b − lr·∂L/∂b.")],
        )
        e = self.expected(v)
        if abs(e["grad_w"]) < 0.05 or abs(e["grad_b"]) < 0.05:
            raise Degenerate("gradient too small to tell mistakes apart")
        reject_coincident(v, e, self.mistakes(v))
        return v

    def _x(self, v: Variant):
        d = v.data
        return np.array(d["x"])[:, None], np.array(d["y"]), np.array([d["w"]]), d["b"], d["lr"]

    def _learner_p(self, v: Variant, answers) -> np.ndarray | None:
        n = len(v.data["x"])
        p = given(answers, *(f"p[{i}]" for i in range(n)))
        return None if p is None else np.clip(np.array(p), 1e-9, 1 - 1e-9)

    @staticmethod
    def _from_p(p, x, y, w, b, lr, dz_fn=lambda p, y: p - y) -> dict:
        n = y.shape[0]
        loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        dz = dz_fn(p, y) / n
        gw, gb = float(x[:, 0] @ dz), float(np.sum(dz))
        return {"loss": loss, "grad_w": gw, "grad_b": gb, "w_new": float(w[0] - lr * gw), "b_new": float(b - lr * gb)}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        x, y, w, b, lr = self._x(v)
        f = forward(x, y, w, b)
        out = {f"p[{i}]": float(p) for i, p in enumerate(f["p"])}
        out.update(loss=f["loss"], grad_w=float(f["grad_w"][0]), grad_b=f["grad_b"])
        out.update(w_new=float(w[0] - lr * out["grad_w"]), b_new=b - lr * out["grad_b"])
        p = self._learner_p(v, answers)
        if p is not None:                     # error carried forward from the learner's p_i
            out.update({k: val for k, val in self._from_p(p, x, y, w, b, lr).items()})
        g = given(answers, "grad_w", "grad_b")
        if g is not None:                     # the update from the learner's own gradient
            out.update(w_new=float(w[0] - lr * g[0]), b_new=float(b - lr * g[1]))
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        x, y, w, b, lr = self._x(v)
        p = self._learner_p(v, answers)
        if p is None:
            p = sigmoid(x[:, 0] * w[0] + b)
        out = {}
        for mid, dz_fn in (("logistic.grad-sign", lambda p, y: y - p),
                           ("logistic.grad-sum", lambda p, y: (p - y) * y.shape[0]),
                           ("logistic.squared-error-grad", lambda p, y: (p - y) * p * (1 - p))):
            r = self._from_p(p, x, y, w, b, lr, dz_fn)
            out[mid] = {k: r[k] for k in ("grad_w", "grad_b", "w_new", "b_new")}
        return out

    def solution(self, v: Variant) -> list[Step]:
        x, y, w, b, lr = self._x(v)
        f = forward(x, y, w, b)
        e = self.expected(v)
        steps = []
        for i in range(y.shape[0]):
            txt = (f"z_{i + 1} = {w[0]:g}·{paren(x[i, 0])} + {paren(b)} = {fmt(f['z'][i])}, "
                   f"p_{i + 1} = σ({fmt(f['z'][i])}) = {fmt(f['p'][i])}")
            steps.append(Step(T(txt, txt), (f"p[{i}]",)))
        terms = " + ".join(f"{'log' if yi == 1 else 'log(1 −'} {fmt(pi)}{')' if yi == 0 else ''}"
                           for yi, pi in zip(y, f["p"]))
        steps.append(Step(T(f"L = −({terms})/{y.shape[0]} = {fmt(e['loss'])}",
                            f"L = −({terms})/{y.shape[0]} = {fmt(e['loss'])}"), ("loss",)))
        dz = f["p"] - y
        steps.append(Step(T(f"p − y = [{numbers(dz)}]; ∂L/∂w = Σ(p − y)x/n = {fmt(e['grad_w'])}, "
                            f"∂L/∂b = Σ(p − y)/n = {fmt(e['grad_b'])}",
                            f"p − y = [{numbers(dz)}]; ∂L/∂w = Σ(p − y)x/n = {fmt(e['grad_w'])}, "
                            f"∂L/∂b = Σ(p − y)/n = {fmt(e['grad_b'])}"), ("grad_w", "grad_b")))
        upd = (f"w = {w[0]:g} − {lr:g}·{paren(e['grad_w'])} = {fmt(e['w_new'])}, "
               f"b = {b:g} − {lr:g}·{paren(e['grad_b'])} = {fmt(e['b_new'])}")
        steps.append(Step(T(upd, upd), ("w_new", "b_new")))
        return steps


PREDICT_MISTAKES = (
    Mistake("logistic.forgot-bias", {
        "en": "You left out the bias: z = w·x + b, the b is part of the linear score.",
        "ko": "편향(bias)을 빠뜨렸습니다: z = w·x + b에서 b도 선형 점수에 들어갑니다.",
    }),
    Mistake("logistic.sigmoid-sign", {
        "en": "You computed 1/(1 + e^z). The sigmoid is σ(z) = 1/(1 + e^(−z)): a large positive z gives p near 1.",
        "ko": "1/(1 + e^z)로 계산했습니다. 시그모이드는 σ(z) = 1/(1 + e^(−z))이고, z가 큰 양수이면 p는 1에 가깝습니다.",
    }),
)


@generator
class LogisticPredict(Generator):
    name = "logistic.predict"
    title = T("Logistic regression: score, probability and class", "로지스틱 회귀: 점수, 확률, 클래스")
    defaults = {}
    mistakes_catalog = PREDICT_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        w = rng.choice([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], size=2, replace=True)
        b = float(rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5]))
        x = rng.integers(-3, 4, size=2).astype(float)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist(), "w": w.tolist(), "b": b},
            prompt=T(
                f"A logistic-regression model has weights w = [{numbers(w)}] and bias b = {b:g}. For the input "
                f"x = [{numbers(x)}] give the score z = w·x + b, the probability p = σ(z) of class 1, and the "
                "predicted class (1 if p ≥ 0.5, else 0).",
                f"로지스틱 회귀 모델의 가중치는 w = [{numbers(w)}], 편향은 b = {b:g}입니다. 입력 x = [{numbers(x)}]에 "
                "대해 점수 z = w·x + b, 클래스 1의 확률 p = σ(z), 예측 클래스(p ≥ 0.5이면 1, 아니면 0)를 구하세요."),
            fields=[Field("z", T("z", "z"), tol=Tolerance(atol=0.005)),
                    Field("p", T("p = σ(z)", "p = σ(z)"), tol=P_TOL),
                    Field("class", T("class (0 or 1)", "클래스 (0 또는 1)"), tol=Tolerance(atol=0.1))],
            hints=[T("z = w₁x₁ + w₂x₂ + b.", "z = w₁x₁ + w₂x₂ + b."),
                   T("σ(z) = 1/(1 + e^(−z)); σ(0) = 0.5.", "σ(z) = 1/(1 + e^(−z)); σ(0) = 0.5.")],
        )
        z = float(x @ w + b)
        if abs(z) < 0.3 or abs(z) > 4 or abs(float(x @ w)) < 0.3:
            raise Degenerate("z too close to 0 (or saturated), or b alone decides")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        d = v.data
        z = float(np.dot(d["x"], d["w"]) + d["b"])
        zl = given(answers, "z")
        zz = zl[0] if zl is not None else z     # error carried forward: p from the learner's z
        p = float(sigmoid(np.array(zz)))
        pl = given(answers, "p")
        pp = pl[0] if pl is not None else p
        return {"z": z, "p": p, "class": 1.0 if pp >= 0.5 else 0.0}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        z = float(np.dot(d["x"], d["w"]) + d["b"])
        z0 = z - d["b"]
        p0 = float(sigmoid(np.array(z0)))
        p_flip = 1.0 / (1.0 + math.exp(z))
        return {"logistic.forgot-bias": {"z": z0, "p": p0, "class": float(p0 >= 0.5)},
                "logistic.sigmoid-sign": {"p": p_flip, "class": float(p_flip >= 0.5)}}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        e = self.expected(v)
        x, w, b = d["x"], d["w"], d["b"]
        z_txt = f"z = {w[0]:g}·{paren(x[0])} + {paren(w[1])}·{paren(x[1])} + {paren(b)} = {fmt(e['z'])}"
        p_txt = f"p = 1/(1 + e^(−({fmt(e['z'])}))) = {fmt(e['p'])}"
        return [Step(T(z_txt, z_txt), ("z",)), Step(T(p_txt, p_txt), ("p",)),
                Step(T(f"p {'≥' if e['p'] >= 0.5 else '<'} 0.5 → class {int(e['class'])}",
                       f"p {'≥' if e['p'] >= 0.5 else '<'} 0.5 → 클래스 {int(e['class'])}"), ("class",))]
