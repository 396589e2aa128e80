"""MLP exercises on a 2-2-1 network of sigmoid units: the forward pass, and one backpropagation
step (delta_out → delta_hidden → gradients → updated weights).

Error carried forward: every field is graded from the learner's own earlier fields (h from their
net inputs, o from their net_out, delta_hidden from their delta_out, gradients from their deltas,
updated weights from their gradients). Mistakes are applied the same way, to the learner's own
earlier answers.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.mlp import MISTAKES, forward
from engine.core import ChainGenerator, Degenerate, Field, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id
from engine.registry import generator

NET_TOL = Tolerance(atol=0.005)
ACT_TOL = Tolerance(atol=0.002)
DELTA_TOL = Tolerance(rtol=0.02, atol=2e-4)
W_TOL = Tolerance(atol=0.002)


def _sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _draw_net(rng: np.random.Generator) -> dict:
    x = [float(v) for v in rng.choice([-2, -1, -0.5, 0.5, 1, 1.5, 2, 3], size=2)]
    w_hidden = (rng.integers(-10, 11, size=(2, 2)) / 10).tolist()
    b_hidden = (rng.integers(-10, 11, size=2) / 10).tolist()
    w_out = (rng.choice([-1, 1], size=2) * rng.integers(3, 16, size=2) / 10).tolist()   # |w| ≥ 0.3
    b_out = [float(rng.integers(-10, 11) / 10)]
    return {"x": x, "w_hidden": w_hidden, "b_hidden": b_hidden, "w_out": [w_out], "b_out": b_out}


def _arrays(d: Mapping) -> dict:
    return {k: np.array(d[k], dtype=float) for k in ("x", "w_hidden", "b_hidden", "w_out", "b_out")}


def _net_table(d: Mapping) -> Table:
    wh, bh, wo, bo = d["w_hidden"], d["b_hidden"], d["w_out"][0], d["b_out"][0]
    return Table(
        title={"en": "Weights (row = node the weights go into)", "ko": "가중치 (행 = 가중치가 들어가는 노드)"},
        rows=["h1", "h2", "o"],
        cols=[{"en": "from x1", "ko": "x1에서"}, {"en": "from x2", "ko": "x2에서"},
              {"en": "from h1", "ko": "h1에서"}, {"en": "from h2", "ko": "h2에서"}, {"en": "bias", "ko": "편향"}],
        cells=[[wh[0][0], wh[0][1], "", "", bh[0]],
               [wh[1][0], wh[1][1], "", "", bh[1]],
               ["", "", wo[0], wo[1], bo]],
    )


def _describe(d: Mapping) -> tuple[str, str]:
    wh, bh, wo, bo = d["w_hidden"], d["b_hidden"], d["w_out"][0], d["b_out"][0]
    x1, x2 = d["x"]
    en = (f"Inputs x1 = {x1:g}, x2 = {x2:g}. Hidden node h1: weights {wh[0][0]:g} (from x1), {wh[0][1]:g} (from x2), "
          f"bias {bh[0]:g}; h2: weights {wh[1][0]:g}, {wh[1][1]:g}, bias {bh[1]:g}. Output o: weights {wo[0]:g} "
          f"(from h1), {wo[1]:g} (from h2), bias {bo:g}. Every node is a sigmoid σ(z) = 1/(1 + e^−z).")
    ko = (f"입력 x1 = {x1:g}, x2 = {x2:g}. 은닉 노드 h1: 가중치 {wh[0][0]:g}(x1에서), {wh[0][1]:g}(x2에서), "
          f"편향 {bh[0]:g}; h2: 가중치 {wh[1][0]:g}, {wh[1][1]:g}, 편향 {bh[1]:g}. 출력 o: 가중치 {wo[0]:g}(h1에서), "
          f"{wo[1]:g}(h2에서), 편향 {bo:g}. 모든 노드는 시그모이드 σ(z) = 1/(1 + e^−z)입니다.")
    return en, ko


# ----------------------------------------------------------------------------- forward


@generator
class MLPForward(ChainGenerator):
    name = "mlp.forward"
    title = {"en": "MLP forward pass (2-2-1, sigmoid)", "ko": "MLP 순전파 (2-2-1, 시그모이드)"}
    mistakes_catalog = by_id(MISTAKES, "mlp.no-bias", "mlp.exp-sign-flipped")
    FIELDS = ("net_hidden[0]", "net_hidden[1]", "h[0]", "h[1]", "net_out", "o")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        d = _draw_net(rng)
        if all(b == 0 for b in d["b_hidden"] + d["b_out"]):
            raise Degenerate("no bias")
        en, ko = _describe(d)
        labels = {"net_hidden[0]": "net input of h1", "net_hidden[1]": "net input of h2", "h[0]": "h1",
                  "h[1]": "h2", "net_out": "net input of o", "o": "o"}
        labels_ko = {"net_hidden[0]": "h1의 순입력", "net_hidden[1]": "h2의 순입력", "h[0]": "h1",
                     "h[1]": "h2", "net_out": "o의 순입력", "o": "o"}
        tols = {"net_hidden[0]": NET_TOL, "net_hidden[1]": NET_TOL, "net_out": NET_TOL}
        parts = {"net_hidden[0]": "hidden", "net_hidden[1]": "hidden", "h[0]": "hidden", "h[1]": "hidden",
                 "net_out": "output", "o": "output"}
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": en + " Compute the forward pass: the net inputs and outputs of h1, h2 and o.",
                    "ko": ko + " 순전파를 계산하세요: h1, h2, o의 순입력과 출력."},
            fields=[Field(k, {"en": labels[k], "ko": labels_ko[k]}, part=parts[k], tol=tols.get(k, ACT_TOL))
                    for k in self.FIELDS],
            tables=[_net_table(d)],
            hints=[
                {"en": "Net input = Σ weight·input + bias (the bias is the weight of a constant input 1).",
                 "ko": "순입력 = Σ 가중치·입력 + 편향 (편향은 항상 1인 입력의 가중치입니다)."},
                {"en": "Then squash it: h = σ(net) = 1/(1 + e^−net). Check: σ is always between 0 and 1, "
                       "and σ(net) > 0.5 exactly when net > 0.",
                 "ko": "그다음 h = σ(net) = 1/(1 + e^−net)으로 변환합니다. 확인: σ는 항상 0과 1 사이이고, "
                       "net > 0일 때만 0.5보다 큽니다."},
                {"en": "The output node does the same with h1 and h2 as its inputs.",
                 "ko": "출력 노드도 h1, h2를 입력으로 같은 계산을 합니다."},
            ],
        )
        return v

    def _chain(self, v: Variant, answers: Mapping[str, float] | None, mistake: str | None = None) -> dict:
        a = _arrays(v.data)
        use_bias = mistake != "mlp.no-bias"
        act = (lambda z: _sig(-z)) if mistake == "mlp.exp-sign-flipped" else _sig
        ans = answers or {}

        def own(key, value):
            return ans[key] if ans.get(key) is not None else value

        out: dict[str, float] = {}
        for j in range(2):
            out[f"net_hidden[{j}]"] = float(a["w_hidden"][j] @ a["x"] + (a["b_hidden"][j] if use_bias else 0.0))
        for j in range(2):
            out[f"h[{j}]"] = act(own(f"net_hidden[{j}]", out[f"net_hidden[{j}]"]))
        h = np.array([own("h[0]", out["h[0]"]), own("h[1]", out["h[1]"])])
        out["net_out"] = float(a["w_out"][0] @ h + (a["b_out"][0] if use_bias else 0.0))
        out["o"] = act(own("net_out", out["net_out"]))
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        wh, bh, wo, bo = d["w_hidden"], d["b_hidden"], d["w_out"][0], d["b_out"][0]
        x1, x2 = d["x"]
        steps = []
        for j in range(2):
            net = r[f"net_hidden[{j}]"]
            text = f"net_h{j + 1} = {paren(wh[j][0])}·{paren(x1)} + {paren(wh[j][1])}·{paren(x2)} + {paren(bh[j])} = {fmt(net, 4)}"
            steps.append(Step({"en": text, "ko": text}, (f"net_hidden[{j}]",)))
            text = f"h{j + 1} = σ({fmt(net, 4)}) = 1/(1 + e^{fmt(-net, 4)}) = {fmt(r[f'h[{j}]'], 4)}"
            steps.append(Step({"en": text, "ko": text}, (f"h[{j}]",)))
        text = f"net_o = {paren(wo[0])}·{paren(r['h[0]'])} + {paren(wo[1])}·{paren(r['h[1]'])} + {paren(bo)} = {fmt(r['net_out'], 4)}"
        steps.append(Step({"en": text, "ko": text}, ("net_out",)))
        text = f"o = σ({fmt(r['net_out'], 4)}) = {fmt(r['o'], 4)}"
        steps.append(Step({"en": text, "ko": text}, ("o",)))
        return steps


# ----------------------------------------------------------------------------- backprop

BP_FIELDS = ("delta_out", "delta_hidden[0]", "delta_hidden[1]", "grad_w_out[0]", "grad_w_out[1]",
             "grad_w_hidden[0][0]", "grad_w_hidden[1][0]", "w_out_new[0]", "w_hidden_new[0][0]")
BP_LABELS = {
    "delta_out": ("δ_o = ∂E/∂net_o", "δ_o = ∂E/∂net_o"),
    "delta_hidden[0]": ("δ_h1", "δ_h1"),
    "delta_hidden[1]": ("δ_h2", "δ_h2"),
    "grad_w_out[0]": ("∂E/∂w(h1→o)", "∂E/∂w(h1→o)"),
    "grad_w_out[1]": ("∂E/∂w(h2→o)", "∂E/∂w(h2→o)"),
    "grad_w_hidden[0][0]": ("∂E/∂w(x1→h1)", "∂E/∂w(x1→h1)"),
    "grad_w_hidden[1][0]": ("∂E/∂w(x1→h2)", "∂E/∂w(x1→h2)"),
    "w_out_new[0]": ("new w(h1→o)", "새 w(h1→o)"),
    "w_hidden_new[0][0]": ("new w(x1→h1)", "새 w(x1→h1)"),
}
BP_PARTS = {"delta_out": "delta-out", "delta_hidden[0]": "delta-hidden", "delta_hidden[1]": "delta-hidden",
            "grad_w_out[0]": "gradients", "grad_w_out[1]": "gradients", "grad_w_hidden[0][0]": "gradients",
            "grad_w_hidden[1][0]": "gradients", "w_out_new[0]": "update", "w_hidden_new[0][0]": "update"}
BP_MISTAKES = ("mlp.missing-hidden-derivative", "mlp.missing-sigmoid-derivative", "mlp.delta-sign-flipped",
               "mlp.update-sign-error")


@generator
class MLPBackprop(ChainGenerator):
    name = "mlp.backprop"
    title = {"en": "One backpropagation step (2-2-1, sigmoid)", "ko": "오류 역전파 한 단계 (2-2-1, 시그모이드)"}
    mistakes_catalog = by_id(MISTAKES, "mlp.missing-sigmoid-derivative", "mlp.missing-hidden-derivative",
                             "mlp.delta-sign-flipped", "mlp.update-sign-error")   # BP_MISTAKES, as listed in MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        d = _draw_net(rng)
        d["t"] = [float(rng.choice([0.0, 1.0]))]
        d["lr"] = float(rng.choice([0.5, 1.0]))
        fw = forward(**_arrays(d))
        d["h"] = [round(float(x), 4) for x in fw["h"]]    # shown rounded; graded from these numbers
        d["o"] = [round(float(fw["o"][0]), 4)]
        if abs(d["o"][0] - d["t"][0]) < 0.2:
            raise Degenerate("output already close to the target")
        en, ko = _describe(d)
        h1, h2, o, t = d["h"][0], d["h"][1], d["o"][0], d["t"][0]
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={
                "en": en + f" The forward pass gave h1 = {h1:g}, h2 = {h2:g}, o = {o:g}; the target is t = {t:g}, "
                      f"the loss E = ½(t − o)², the learning rate {d['lr']:g}. Backpropagate once, with "
                      "δ = ∂E/∂net (so δ_o = (o − t)·o(1 − o)), gradients ∂E/∂w = δ·(input of that weight), "
                      "and the update w_new = w − lr·∂E/∂w.",
                "ko": ko + f" 순전파 결과는 h1 = {h1:g}, h2 = {h2:g}, o = {o:g}이고, 목표값 t = {t:g}, 손실 "
                      f"E = ½(t − o)², 학습률 {d['lr']:g}입니다. 오류 역전파를 한 번 하세요. δ = ∂E/∂net으로 "
                      "정의하고(그래서 δ_o = (o − t)·o(1 − o)), 기울기는 ∂E/∂w = δ·(그 가중치의 입력), 갱신은 "
                      "w_new = w − lr·∂E/∂w입니다.",
            },
            fields=[Field(k, {"en": BP_LABELS[k][0], "ko": BP_LABELS[k][1]}, part=BP_PARTS[k],
                          tol=W_TOL if "new" in k else DELTA_TOL) for k in BP_FIELDS],
            tables=[_net_table(d)],
            hints=[
                {"en": "δ_o = (o − t)·o(1 − o): the error times the sigmoid's slope at the output.",
                 "ko": "δ_o = (o − t)·o(1 − o): 오차에 출력의 시그모이드 기울기를 곱합니다."},
                {"en": "δ_hj = h_j(1 − h_j)·w(hj→o)·δ_o: the output delta sent back along the weight, times the "
                       "hidden node's own slope.",
                 "ko": "δ_hj = h_j(1 − h_j)·w(hj→o)·δ_o: 출력의 δ를 가중치를 따라 되돌려 보내고 은닉 노드의 "
                       "기울기를 곱합니다."},
                {"en": "A weight's gradient is the delta of the node it enters times the value it carries: "
                       "∂E/∂w(h1→o) = δ_o·h1, ∂E/∂w(x1→h1) = δ_h1·x1. Then w_new = w − lr·gradient.",
                 "ko": "가중치의 기울기는 (들어가는 노드의 δ) × (그 가중치가 나르는 값)입니다: "
                       "∂E/∂w(h1→o) = δ_o·h1, ∂E/∂w(x1→h1) = δ_h1·x1. 그리고 w_new = w − lr·기울기."},
            ],
        )
        return v

    def _chain(self, v: Variant, answers: Mapping[str, float] | None, mistake: str | None = None) -> dict:
        d = v.data
        h = d["h"]
        o, t, lr = d["o"][0], d["t"][0], d["lr"]
        x = d["x"]
        w_out = d["w_out"][0]
        ans = answers or {}

        def own(key):
            return ans[key] if ans.get(key) is not None else out[key]

        out: dict[str, float] = {}
        sign = -1.0 if mistake == "mlp.delta-sign-flipped" else 1.0
        out_slope = 1.0 if mistake == "mlp.missing-sigmoid-derivative" else o * (1 - o)
        out["delta_out"] = sign * (o - t) * out_slope
        hidden_slope = mistake not in ("mlp.missing-sigmoid-derivative", "mlp.missing-hidden-derivative")
        for j in range(2):
            out[f"delta_hidden[{j}]"] = (h[j] * (1 - h[j]) if hidden_slope else 1.0) * w_out[j] * own("delta_out")
        for j in range(2):
            out[f"grad_w_out[{j}]"] = own("delta_out") * h[j]
            out[f"grad_w_hidden[{j}][0]"] = own(f"delta_hidden[{j}]") * x[0]
        up = 1.0 if mistake == "mlp.update-sign-error" else -1.0
        out["w_out_new[0]"] = w_out[0] + up * lr * own("grad_w_out[0]")
        out["w_hidden_new[0][0]"] = d["w_hidden"][0][0] + up * lr * own("grad_w_hidden[0][0]")
        return out

    def mistake_ids(self, v: Variant) -> list[str]:
        return list(BP_MISTAKES)      # diagnosed in this order, not the catalog's

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        h1, h2 = d["h"]
        o, t, lr = d["o"][0], d["t"][0], d["lr"]
        wo = d["w_out"][0]
        x1 = d["x"][0]
        do = r["delta_out"]
        lines = [
            (f"δ_o = (o − t)·o(1 − o) = ({o:g} − {paren(t)})·{paren(o)}·(1 − {paren(o)}) = {fmt(do, 4)}", ("delta_out",)),
            (f"δ_h1 = h1(1 − h1)·w(h1→o)·δ_o = {paren(h1)}·(1 − {paren(h1)})·{paren(wo[0])}·{paren(do)} = "
             f"{fmt(r['delta_hidden[0]'], 4)}", ("delta_hidden[0]",)),
            (f"δ_h2 = h2(1 − h2)·w(h2→o)·δ_o = {paren(h2)}·(1 − {paren(h2)})·{paren(wo[1])}·{paren(do)} = "
             f"{fmt(r['delta_hidden[1]'], 4)}", ("delta_hidden[1]",)),
            (f"∂E/∂w(h1→o) = δ_o·h1 = {paren(do)}·{paren(h1)} = {fmt(r['grad_w_out[0]'], 4)}; "
             f"∂E/∂w(h2→o) = δ_o·h2 = {paren(do)}·{paren(h2)} = {fmt(r['grad_w_out[1]'], 4)}",
             ("grad_w_out[0]", "grad_w_out[1]")),
            (f"∂E/∂w(x1→h1) = δ_h1·x1 = {paren(r['delta_hidden[0]'])}·{paren(x1)} = {fmt(r['grad_w_hidden[0][0]'], 4)}; "
             f"∂E/∂w(x1→h2) = δ_h2·x1 = {paren(r['delta_hidden[1]'])}·{paren(x1)} = {fmt(r['grad_w_hidden[1][0]'], 4)}",
             ("grad_w_hidden[0][0]", "grad_w_hidden[1][0]")),
            (f"w(h1→o) ← {wo[0]:g} − {paren(lr)}·{paren(r['grad_w_out[0]'])} = {fmt(r['w_out_new[0]'], 4)}; "
             f"w(x1→h1) ← {d['w_hidden'][0][0]:g} − {paren(lr)}·{paren(r['grad_w_hidden[0][0]'])} = "
             f"{fmt(r['w_hidden_new[0][0]'], 4)}", ("w_out_new[0]", "w_hidden_new[0][0]")),
        ]
        return [Step({"en": text, "ko": text}, f) for text, f in lines]
