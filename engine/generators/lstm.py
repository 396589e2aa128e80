"""LSTM exercises: the gate table of the notes, and one cell step from torch-layout weights.

Error carried forward: c is graded from the learner's own f⊙c_{t−1} and i⊙c̃, h from the learner's
own c (and, from weights, c from the learner's own gates).
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms._common import sigmoid
from engine.algorithms.lstm import MISTAKES
from engine.core import Degenerate, Field, Flag, Generator, Int, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, by_id, given, reject_coincident
from engine.registry import generator

TOL = Tolerance(atol=0.01)


# ============================================================================ gate table


@generator
class LSTMGateTable(Generator):
    name = "lstm.gate-table"
    title = {"en": "LSTM gate table: cell and hidden state", "ko": "LSTM 게이트 표: 셀 상태와 은닉 상태"}
    defaults = {"units": 2, "products": True}
    limits = {"units": Int(1, 3), "products": Flag()}
    mistakes_catalog = by_id(MISTAKES, "lstm.no-tanh", "lstm.forget-on-candidate", "lstm.no-forget", "lstm.old-cell-output")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        units = int(params["units"])
        if units not in (1, 2, 3):
            raise ValueError("units must be 1, 2 or 3")
        products = bool(params["products"]) and units <= 2       # keep the blanks ≤ 9
        data = {
            "f": np.round(rng.uniform(0.05, 0.95, units), 2).tolist(),
            "i": np.round(rng.uniform(0.05, 0.95, units), 2).tolist(),
            "o": np.round(rng.uniform(0.05, 0.95, units), 2).tolist(),
            "c_tilde": np.round(rng.uniform(-0.95, 0.95, units), 2).tolist(),
            "c_prev": np.round(rng.uniform(-2.0, 2.0, units), 2).tolist(),
            "products": products,
        }
        fields = []
        for u in range(units):
            unit = {"en": f"unit {u + 1}", "ko": f"유닛 {u + 1}"}
            if products:
                fields.append(Field(f"f_c[{u}]", {"en": f"f⊙c_prev, {unit['en']}", "ko": f"f⊙c_prev, {unit['ko']}"},
                                    part="cell", tol=TOL))
                fields.append(Field(f"i_c[{u}]", {"en": f"i⊙c̃, {unit['en']}", "ko": f"i⊙c̃, {unit['ko']}"},
                                    part="cell", tol=TOL))
            fields.append(Field(f"c[{u}]", {"en": f"c_t, {unit['en']}", "ko": f"c_t, {unit['ko']}"}, part="cell", tol=TOL))
            fields.append(Field(f"h[{u}]", {"en": f"h_t, {unit['en']}", "ko": f"h_t, {unit['ko']}"}, part="hidden", tol=TOL))
        listing = "; ".join(
            f"unit {u + 1}: f = {fmt(data['f'][u])}, i = {fmt(data['i'][u])}, o = {fmt(data['o'][u])}, "
            f"c̃ = {fmt(data['c_tilde'][u])}, c_prev = {fmt(data['c_prev'][u])}" for u in range(units))
        listing_ko = listing.replace("unit ", "유닛 ")
        ask_en = "f⊙c_prev, i⊙c̃, the new cell state c_t and the hidden state h_t" if products else \
            "the new cell state c_t and the hidden state h_t"
        ask_ko = "f⊙c_prev, i⊙c̃, 새 셀 상태 c_t와 은닉 상태 h_t" if products else "새 셀 상태 c_t와 은닉 상태 h_t"
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"An LSTM cell with {units} unit{'s' if units > 1 else ''} has these gate values and "
                      f"previous cell state ({listing}). Fill in {ask_en} for every unit "
                      "(⊙ is the element-wise product).",
                "ko": f"유닛 {units}개짜리 LSTM 셀의 게이트 값과 이전 셀 상태가 다음과 같습니다 ({listing_ko}). "
                      f"각 유닛의 {ask_ko}를 채우세요 (⊙는 원소별 곱(element-wise product)).",
            },
            fields=fields,
            hints=[
                {"en": "Work unit by unit: every product is element-wise. c_t = f⊙c_prev + i⊙c̃.",
                 "ko": "유닛별로 계산하세요: 모든 곱은 원소별 곱입니다. c_t = f⊙c_prev + i⊙c̃."},
                {"en": "The forget gate multiplies the OLD cell c_prev; the input gate multiplies the candidate c̃.",
                 "ko": "망각 게이트(forget gate)는 '이전' 셀 c_prev에, 입력 게이트(input gate)는 후보값 c̃에 곱합니다."},
                {"en": "h_t = o⊙tanh(c_t): squash the NEW cell state with tanh first, then scale by o.",
                 "ko": "h_t = o⊙tanh(c_t): '새' 셀 상태를 먼저 tanh로 누른 뒤 o를 곱합니다."},
            ],
        )
        v.tables = [self._table(v)]
        reject_coincident(v, self.expected(v), self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _arrays(self, v: Variant):
        d = v.data
        return (np.array(d["f"]), np.array(d["i"]), np.array(d["o"]), np.array(d["c_tilde"]), np.array(d["c_prev"]))

    def _table(self, v: Variant) -> Table:
        d = v.data
        units = len(d["f"])
        rows = [("f", d["f"]), ("i", d["i"]), ("o", d["o"]), ("c̃", d["c_tilde"]), ("c_prev", d["c_prev"])]
        cells = [list(vals) for _, vals in rows]
        names = [r for r, _ in rows]
        blanks = (["f_c", "i_c"] if d["products"] else []) + ["c", "h"]
        labels = {"f_c": "f⊙c_prev", "i_c": "i⊙c̃", "c": "c_t", "h": "h_t"}
        for b in blanks:
            names.append(labels[b])
            cells.append([f"{b}[{u}]" for u in range(units)])
        return Table(title={"en": "LSTM gate table", "ko": "LSTM 게이트 표"}, rows=names,
                     cols=[f"{u + 1}" for u in range(units)], cells=cells)

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        f, i, o, c_tilde, c_prev = self._arrays(v)
        out = {}
        for u in range(len(f)):
            f_c, i_c = f[u] * c_prev[u], i[u] * c_tilde[u]
            c = f_c + i_c
            if v.data["products"]:
                out[f"f_c[{u}]"], out[f"i_c[{u}]"] = f_c, i_c
                mine = given(answers, f"f_c[{u}]", f"i_c[{u}]")
                if mine is not None:                    # c from the learner's own products
                    c = mine[0] + mine[1]
            out[f"c[{u}]"] = c
            mine_c = given(answers, f"c[{u}]")
            out[f"h[{u}]"] = o[u] * math.tanh(mine_c[0] if mine_c else c)
        return {k: float(x) for k, x in out.items()}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        f, i, o, c_tilde, c_prev = self._arrays(v)
        right = self.expected(v, answers)
        out: dict[str, dict[str, float]] = {m.id: {} for m in self.mistakes_catalog}
        for u in range(len(f)):
            mine_c = given(answers, f"c[{u}]")
            c_used = mine_c[0] if mine_c else right[f"c[{u}]"]
            out["lstm.no-tanh"][f"h[{u}]"] = o[u] * c_used
            out["lstm.old-cell-output"][f"h[{u}]"] = o[u] * math.tanh(c_prev[u])
            fc_w, ic_w = f[u] * c_tilde[u], i[u] * c_prev[u]
            if v.data["products"]:
                out["lstm.forget-on-candidate"].update({f"f_c[{u}]": fc_w, f"i_c[{u}]": ic_w})
            c_w = fc_w + ic_w
            out["lstm.forget-on-candidate"].update({f"c[{u}]": c_w, f"h[{u}]": o[u] * math.tanh(mine_c[0] if mine_c else c_w)})
            c_nf = c_prev[u] + i[u] * c_tilde[u]
            out["lstm.no-forget"].update({f"c[{u}]": c_nf, f"h[{u}]": o[u] * math.tanh(mine_c[0] if mine_c else c_nf)})
        return {mid: {k: float(x) for k, x in vals.items()} for mid, vals in out.items()}

    def solution(self, v: Variant) -> list[Step]:
        f, i, o, c_tilde, c_prev = self._arrays(v)
        steps = []
        for u in range(len(f)):
            f_c, i_c = f[u] * c_prev[u], i[u] * c_tilde[u]
            c = f_c + i_c
            t = math.tanh(c)
            line_c = (f"c_t = f⊙c_prev + i⊙c̃ = {fmt(f[u])}·{paren(c_prev[u])} + {fmt(i[u])}·{paren(c_tilde[u])} "
                      f"= {fmt(f_c)} + {paren(i_c)} = {fmt(c)}")
            fields_c = ((f"f_c[{u}]", f"i_c[{u}]") if v.data["products"] else ()) + (f"c[{u}]",)
            steps.append(Step({"en": f"Unit {u + 1}: {line_c}", "ko": f"유닛 {u + 1}: {line_c}"}, fields_c))
            line_h = f"h_t = o·tanh(c_t) = {fmt(o[u])}·tanh({fmt(c)}) = {fmt(o[u])}·{fmt(t)} = {fmt(o[u] * t)}"
            steps.append(Step({"en": f"Unit {u + 1}: {line_h}", "ko": f"유닛 {u + 1}: {line_h}"}, (f"h[{u}]",)))
        return steps


# ============================================================================ from weights

GATES = ("i", "f", "g", "o")


@generator
class LSTMFromWeights(Generator):
    name = "lstm.from-weights"
    title = {"en": "One LSTM step from torch-layout weights", "ko": "torch 배치 가중치로 LSTM 한 단계"}
    defaults = {}
    mistakes_catalog = by_id(MISTAKES, "lstm.no-tanh", "lstm.forget-on-candidate", "lstm.old-cell-output",
                             "lstm.if-swapped", "lstm.sigmoid-candidate")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        r1 = lambda *shape: np.round(rng.uniform(-1.0, 1.0, shape), 1)  # noqa: E731
        x = np.round(rng.uniform(-2.0, 2.0, 2), 1)
        data = {"x": x.tolist(), "h_prev": float(np.round(rng.uniform(-0.9, 0.9), 1)),
                "c_prev": float(np.round(rng.choice([-1, 1]) * rng.uniform(0.8, 2.5), 1)),
                "w_ih": r1(4, 2).tolist(), "w_hh": r1(4).tolist(), "b": r1(4).tolist()}
        if data["h_prev"] == 0:
            raise Degenerate("zero state")
        w = "; ".join(f"{g}: W_ih row [{fmt(data['w_ih'][k][0])}, {fmt(data['w_ih'][k][1])}], "
                      f"W_hh {fmt(data['w_hh'][k])}, b {fmt(data['b'][k])}" for k, g in enumerate(GATES))
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"A one-unit LSTM cell (H = 1, input size 2) stores its weights like torch.nn.LSTMCell: the "
                      f"rows of W_ih (4×2), W_hh (4×1) and the bias b (b_ih + b_hh) are the gates in the order "
                      f"i, f, g (= c̃), o — {w}. With x = [{fmt(x[0])}, {fmt(x[1])}], h_prev = {fmt(data['h_prev'])}, "
                      f"c_prev = {fmt(data['c_prev'])}: compute i, f, g = c̃, o, then c_t and h_t.",
                "ko": f"유닛 1개(H = 1, 입력 크기 2)인 LSTM 셀이 torch.nn.LSTMCell과 같은 방식으로 가중치를 저장합니다: "
                      f"W_ih (4×2), W_hh (4×1), 편향 b (b_ih + b_hh)의 행은 게이트 i, f, g (= c̃), o 순서입니다 — "
                      f"{w.replace('W_ih row', 'W_ih 행')}. "
                      f"x = [{fmt(x[0])}, {fmt(x[1])}], h_prev = {fmt(data['h_prev'])}, c_prev = {fmt(data['c_prev'])}"
                      "일 때 i, f, g = c̃, o를 구하고 c_t와 h_t를 구하세요.",
            },
            fields=[Field(g, {"en": lab, "ko": lab}, part="gates", tol=TOL)
                    for g, lab in zip(GATES, ("i_t", "f_t", "g_t = c̃_t", "o_t"))]
            + [Field("c", {"en": "c_t", "ko": "c_t"}, part="cell", tol=TOL),
               Field("h", {"en": "h_t", "ko": "h_t"}, part="hidden", tol=TOL)],
            hints=[
                {"en": "Each gate's pre-activation is W_ih row · x + W_hh · h_prev + b. Rows: i, f, g, o.",
                 "ko": "각 게이트의 활성화 전 값은 W_ih 행 · x + W_hh · h_prev + b입니다. 행 순서: i, f, g, o."},
                {"en": "i, f, o use the sigmoid σ(a) = 1/(1 + e^−a); g = c̃ uses tanh.",
                 "ko": "i, f, o에는 시그모이드 σ(a) = 1/(1 + e^−a), g = c̃에는 tanh를 씁니다."},
                {"en": "c_t = f·c_prev + i·g, then h_t = o·tanh(c_t).",
                 "ko": "c_t = f·c_prev + i·g, 그다음 h_t = o·tanh(c_t)."},
            ],
        )
        v.tables = [Table(title={"en": "Weights (torch.nn.LSTMCell order)", "ko": "가중치 (torch.nn.LSTMCell 순서)"},
                          rows=list(GATES), cols=["W_ih[·,1]", "W_ih[·,2]", "W_hh", "b", T("value", "값")],
                          cells=[[data["w_ih"][k][0], data["w_ih"][k][1], data["w_hh"][k], data["b"][k], g]
                                 for k, g in enumerate(GATES)])]
        right = self.expected(v)
        if abs(right["i"] - right["f"]) < 0.05:
            raise Degenerate("i and f almost equal")
        reject_coincident(v, right, self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _pre(self, v: Variant) -> np.ndarray:
        d = v.data
        return np.array(d["w_ih"]) @ np.array(d["x"]) + np.array(d["w_hh"]) * d["h_prev"] + np.array(d["b"])

    def _finish(self, v, i, f, g, o, answers, *, forget_on_candidate=False, h_fn=None):
        c_prev = v.data["c_prev"]
        mine = given(answers, "i", "f", "g")
        gi, gf, gg = mine if mine else (i, f, g)
        c = gf * gg + gi * c_prev if forget_on_candidate else gf * c_prev + gi * gg
        mine_co = given(answers, "c", "o")
        c_used, o_used = mine_co if mine_co else (c, o)
        h = h_fn(o_used, c_used) if h_fn else o_used * math.tanh(c_used)
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        a_i, a_f, a_g, a_o = self._pre(v)
        out = self._finish(v, float(sigmoid(a_i)), float(sigmoid(a_f)), math.tanh(a_g), float(sigmoid(a_o)), answers)
        return {k: float(x) for k, x in out.items()}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        a_i, a_f, a_g, a_o = self._pre(v)
        i, f, g, o = float(sigmoid(a_i)), float(sigmoid(a_f)), math.tanh(a_g), float(sigmoid(a_o))
        c_prev = v.data["c_prev"]
        out = {
            "lstm.if-swapped": self._finish(v, f, i, g, o, answers),
            "lstm.sigmoid-candidate": self._finish(v, i, f, float(sigmoid(a_g)), o, answers),
            "lstm.no-tanh": self._finish(v, i, f, g, o, answers, h_fn=lambda o_, c_: o_ * c_),
            "lstm.forget-on-candidate": self._finish(v, i, f, g, o, answers, forget_on_candidate=True),
            "lstm.old-cell-output": self._finish(v, i, f, g, o, answers, h_fn=lambda o_, c_: o_ * math.tanh(c_prev)),
        }
        return {mid: {k: float(x) for k, x in vals.items()} for mid, vals in out.items()}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        pre = self._pre(v)
        right = self.expected(v)
        steps = []
        for k, g in enumerate(GATES):
            fn = "tanh" if g == "g" else "σ"
            expr = (f"a_{g} = {fmt(d['w_ih'][k][0])}·{paren(d['x'][0])} + {paren(d['w_ih'][k][1])}·{paren(d['x'][1])} "
                    f"+ {paren(d['w_hh'][k])}·{paren(d['h_prev'])} + {paren(d['b'][k])} = {fmt(pre[k])}; "
                    f"{g} = {fn}({fmt(pre[k])}) = {fmt(right[g])}")
            steps.append(Step({"en": expr, "ko": expr}, (g,)))
        c_line = (f"c_t = f·c_prev + i·g = {fmt(right['f'])}·{paren(d['c_prev'])} + {fmt(right['i'])}·{paren(right['g'])} "
                  f"= {fmt(right['c'])}")
        steps.append(Step({"en": c_line, "ko": c_line}, ("c",)))
        h_line = f"h_t = o·tanh(c_t) = {fmt(right['o'])}·tanh({fmt(right['c'])}) = {fmt(right['h'])}"
        steps.append(Step({"en": h_line, "ko": h_line}, ("h",)))
        return steps
