"""Perceptron exercises: the truth table of a perceptron with given weights (which gate is it?),
and one step of the perceptron learning rule.

Error carried forward: outputs are graded from the learner's own net inputs, and the updated
weights from the learner's own output y.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.perceptron import GATES, INPUTS, MISTAKES
from engine.core import ChainGenerator, Degenerate, Field, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id
from engine.registry import generator

NET_TOL = Tolerance(atol=0.001)
BIT_TOL = Tolerance(atol=0.1)
W_TOL = Tolerance(atol=0.001)
ROWS = ["00", "01", "10", "11"]


def _step(net: float, inclusive: bool = False) -> float:
    net = round(net, 9)
    return 1.0 if (net >= 0 if inclusive else net > 0) else 0.0


def _gate_name(outputs: list[int]) -> str | None:
    for name, table in GATES.items():
        if tuple(outputs) == table:
            return name.upper()
    return None


@generator
class PerceptronGate(ChainGenerator):
    name = "perceptron.gate"
    title = {"en": "Which gate does this perceptron compute?", "ko": "이 퍼셉트론은 어떤 게이트일까?"}
    mistakes_catalog = by_id(MISTAKES, "perceptron.no-bias", "perceptron.threshold-inclusive")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        gate = str(rng.choice(["and", "or", "nand", "nor"]))
        base = {"and": (1, 1, -1.5), "or": (1, 1, -0.5), "nand": (-1, -1, 1.5), "nor": (-1, -1, 0.5)}[gate]
        scale = float(rng.choice([0.5, 1, 2]))
        w1, w2, b = (round(scale * c, 4) for c in base)
        if rng.random() < 0.5:                           # move b onto a boundary: net = 0 for some input
            b = round(b + float(rng.choice([-0.5, 0.5])) * scale, 4)
        w1 = round(w1 + float(rng.choice([-0.5, 0, 0.5])) * scale, 4)
        d = {"w": [w1, w2], "b": b}
        outs = [int(self._row(d, i, False)[1]) for i in range(4)]
        if len(set(outs)) == 1:
            raise Degenerate("constant output")
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"A perceptron has weights w1 = {w1:g}, w2 = {w2:g} and bias b = {b:g}; it outputs 1 when "
                          "net = w1·x1 + w2·x2 + b > 0 and 0 otherwise. Give net and the output for each binary input "
                          "(x1, x2). Which logic gate is it, if any?",
                    "ko": f"퍼셉트론의 가중치는 w1 = {w1:g}, w2 = {w2:g}, 편향은 b = {b:g}이고, "
                          "net = w1·x1 + w2·x2 + b > 0이면 1, 아니면 0을 출력합니다. 각 이진 입력 (x1, x2)에 대해 "
                          "net과 출력을 구하세요. 어떤 논리 게이트일까요?"},
            fields=[Field(f"net[{r}]", {"en": f"net for ({r[0]}, {r[1]})", "ko": f"({r[0]}, {r[1]})의 net"},
                          part="net", tol=NET_TOL) for r in ROWS]
            + [Field(f"y[{r}]", {"en": f"output for ({r[0]}, {r[1]})", "ko": f"({r[0]}, {r[1]})의 출력"},
                     part="output", tol=BIT_TOL) for r in ROWS],
            tables=[Table(title={"en": "Truth table", "ko": "진리표"}, rows=[f"({r[0]}, {r[1]})" for r in ROWS],
                          cols=["net", "y"], cells=[[f"net[{r}]", f"y[{r}]"] for r in ROWS])],
            hints=[
                {"en": "Row (0, 0) gives just the bias; each 1 in the input adds its weight.",
                 "ko": "(0, 0) 행은 편향만 남고, 입력의 1마다 해당 가중치가 더해집니다."},
                {"en": "The threshold is strict: net = 0 gives output 0.",
                 "ko": "임계값은 엄격합니다: net = 0이면 출력은 0입니다."},
            ],
        )
        return v

    def _row(self, d: Mapping, i: int, inclusive: bool, use_bias: bool = True) -> tuple[float, float]:
        x = INPUTS[i]
        net = float(d["w"][0] * x[0] + d["w"][1] * x[1] + (d["b"] if use_bias else 0.0))
        return net, _step(net, inclusive)

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        ans = answers or {}
        out = {}
        inclusive = mistake == "perceptron.threshold-inclusive"
        for i, r in enumerate(ROWS):
            net, _ = self._row(d, i, inclusive, use_bias=mistake != "perceptron.no-bias")
            out[f"net[{r}]"] = net
            own = ans.get(f"net[{r}]")
            out[f"y[{r}]"] = _step(own if own is not None else net, inclusive)
        return out

    def mistake_ids(self, v: Variant) -> list[str]:
        ids = ["perceptron.no-bias"]
        if any(abs(self._row(v.data, i, False)[0]) < 1e-9 for i in range(4)):
            ids.append("perceptron.threshold-inclusive")
        return ids

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        steps = []
        for row in ROWS:
            x1, x2 = int(row[0]), int(row[1])
            text = (f"({x1}, {x2}): net = {paren(d['w'][0])}·{paren(x1)} + {paren(d['w'][1])}·{paren(x2)} + {paren(d['b'])} = {fmt(r[f'net[{row}]'], 4)}"
                    f" → y = {int(r[f'y[{row}]'])}")
            steps.append(Step({"en": text, "ko": text}, (f"net[{row}]", f"y[{row}]")))
        gate = _gate_name([int(r[f"y[{row}]"]) for row in ROWS])
        outs = "".join(str(int(r[f"y[{row}]"])) for row in ROWS)
        steps.append(Step(
            {"en": f"Outputs {outs}: " + (f"this is {gate}." if gate else "not one of AND, OR, NAND, NOR."),
             "ko": f"출력 {outs}: " + (f"{gate} 게이트입니다." if gate else "AND, OR, NAND, NOR 중 어느 것도 아닙니다.")}))
        return steps


@generator
class PerceptronUpdate(ChainGenerator):
    name = "perceptron.update"
    title = {"en": "One step of the perceptron learning rule", "ko": "퍼셉트론 학습 규칙 한 단계"}
    mistakes_catalog = by_id(MISTAKES, "perceptron.update-sign", "perceptron.no-bias-update", "perceptron.no-bias")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        gate = str(rng.choice(["and", "or", "nand", "nor"]))
        w = [float(x) for x in rng.integers(-5, 6, size=2) / 10]
        b = float(rng.integers(-5, 6) / 10)
        lr = float(rng.choice([0.1, 0.2, 0.5]))
        i = int(rng.integers(0, 4))
        x = [int(c) for c in INPUTS[i]]
        t = GATES[gate][i]
        net = w[0] * x[0] + w[1] * x[1] + b
        y = _step(net)
        if y == t:
            raise Degenerate("already right: nothing to learn")
        if abs(round(net, 9)) == 0:
            raise Degenerate("net on the threshold")
        d = {"gate": gate, "w": w, "b": b, "lr": lr, "x": x, "t": t}
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"A perceptron is learning {gate.upper()}. Now w1 = {w[0]:g}, w2 = {w[1]:g}, b = {b:g}, "
                          f"learning rate {lr:g}; output 1 when w·x + b > 0. The next sample is x = ({x[0]}, {x[1]}) "
                          f"with target t = {t}. Give net, the output y and the weights after the update "
                          "w ← w + lr·(t − y)·x, b ← b + lr·(t − y).",
                    "ko": f"퍼셉트론이 {gate.upper()}를 학습하고 있습니다. 현재 w1 = {w[0]:g}, w2 = {w[1]:g}, b = {b:g}, "
                          f"학습률 {lr:g}이며 w·x + b > 0이면 1을 출력합니다. 다음 샘플은 x = ({x[0]}, {x[1]}), "
                          f"목표 t = {t}입니다. net, 출력 y, 그리고 갱신 w ← w + lr·(t − y)·x, "
                          "b ← b + lr·(t − y) 후의 가중치를 구하세요."},
            fields=[Field("net", {"en": "net", "ko": "net"}, part="forward", tol=NET_TOL),
                    Field("y", {"en": "output y", "ko": "출력 y"}, part="forward", tol=BIT_TOL),
                    Field("w_new[0]", {"en": "new w1", "ko": "새 w1"}, part="update", tol=W_TOL),
                    Field("w_new[1]", {"en": "new w2", "ko": "새 w2"}, part="update", tol=W_TOL),
                    Field("b_new", {"en": "new b", "ko": "새 b"}, part="update", tol=W_TOL)],
            hints=[
                {"en": "net = w1·x1 + w2·x2 + b; y = 1 if net > 0 else 0.",
                 "ko": "net = w1·x1 + w2·x2 + b; net > 0이면 y = 1, 아니면 0."},
                {"en": "The error t − y is +1 (raise net), −1 (lower it) or 0 (no change). Only weights of inputs "
                       "that are 1 move; the bias always moves.",
                 "ko": "오차 t − y는 +1(net을 올림), −1(내림), 0(그대로) 중 하나입니다. 입력이 1인 가중치만 "
                       "움직이고, 편향은 항상 움직입니다."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        w, b, lr, x, t = d["w"], d["b"], d["lr"], d["x"], d["t"]
        ans = answers or {}
        net = w[0] * x[0] + w[1] * x[1] + (b if mistake != "perceptron.no-bias" else 0.0)
        out = {"net": net}
        own_net = ans.get("net")
        out["y"] = _step(own_net if own_net is not None else net)
        y = ans["y"] if ans.get("y") is not None else out["y"]
        err = t - y
        sign = -1.0 if mistake == "perceptron.update-sign" else 1.0
        out["w_new[0]"] = w[0] + sign * lr * err * x[0]
        out["w_new[1]"] = w[1] + sign * lr * err * x[1]
        out["b_new"] = b + (sign * lr * err if mistake != "perceptron.no-bias-update" else 0.0)
        return out

    def mistake_ids(self, v: Variant) -> list[str]:
        ids = ["perceptron.update-sign", "perceptron.no-bias-update"]
        if v.data["b"] != 0:
            ids.append("perceptron.no-bias")
        return ids

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        w, b, lr, x, t = d["w"], d["b"], d["lr"], d["x"], d["t"]
        y = int(r["y"])
        s1 = f"net = {paren(w[0])}·{paren(x[0])} + {paren(w[1])}·{paren(x[1])} + {paren(b)} = {fmt(r['net'], 4)} → y = {y}"
        s2 = (f"t − y = {t} − {y} = {t - y}; w1 ← {w[0]:g} + {paren(lr)}·{paren(t - y)}·{paren(x[0])} = {fmt(r['w_new[0]'], 4)}, "
              f"w2 ← {w[1]:g} + {paren(lr)}·{paren(t - y)}·{paren(x[1])} = {fmt(r['w_new[1]'], 4)}, "
              f"b ← {b:g} + {paren(lr)}·{paren(t - y)} = {fmt(r['b_new'], 4)}")
        return [Step({"en": s1, "ko": s1}, ("net", "y")), Step({"en": s2, "ko": s2}, ("w_new[0]", "w_new[1]", "b_new"))]
