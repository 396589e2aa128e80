"""RNN exercises with a scalar hidden state: the vanishing-gradient product, and BPTT by hand.

Error carried forward: Jacobians and gradients are graded from the learner's own hidden states.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.rnn import MISTAKES
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id, given, reject_coincident
from engine.registry import generator

H_TOL = Tolerance(atol=0.01)
J_TOL = Tolerance(atol=0.01)
PROD_TOL = Tolerance(rtol=0.02, atol=0.002)
GRAD_TOL = Tolerance(rtol=0.02, atol=0.005)

(NO_TANH_DERIV,) = by_id(MISTAKES, "rnn.no-tanh-derivative")
TANH_PRIME_AT_H = Mistake("rnn.tanh-prime-at-h", {
    "en": "You evaluated the tanh derivative at h_t: 1 − tanh(h_t)². The derivative belongs to the "
          "pre-activation a_t, and since h_t = tanh(a_t) it is simply 1 − h_t².",
    "ko": "tanh의 미분을 h_t에서 계산했습니다: 1 − tanh(h_t)². 미분은 활성화 전 값 a_t에서 구해야 하고, "
          "h_t = tanh(a_t)이므로 그 값은 그냥 1 − h_t²입니다.",
})
NO_RECURRENCE = Mistake("rnn.no-recurrence", {
    "en": "You left out the recurrent term: h_t = tanh(w_xh·x_t) without w_hh·h_{t−1}. The hidden state carries "
          "the past forward: h_t = tanh(w_xh·x_t + w_hh·h_{t−1}).",
    "ko": "순환 항을 빠뜨렸습니다: w_hh·h_{t−1} 없이 h_t = tanh(w_xh·x_t)로 계산했습니다. 은닉 상태가 과거 정보를 "
          "넘겨 줍니다: h_t = tanh(w_xh·x_t + w_hh·h_{t−1}).",
})


def _steps_en_ko(text: str) -> dict[str, str]:
    return {"en": text, "ko": text}


# ============================================================================ vanishing


@generator
class RNNVanishing(Generator):
    name = "rnn.vanishing"
    title = {"en": "Vanishing gradients in a scalar RNN", "ko": "스칼라 RNN의 기울기 소실"}
    defaults = {"steps": 3}
    limits = {"steps": Int(2, 4)}
    mistakes_catalog = (NO_TANH_DERIV, TANH_PRIME_AT_H, NO_RECURRENCE)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        steps = int(params["steps"])
        if not 2 <= steps <= 4:
            raise ValueError("steps must be 2, 3 or 4")
        data = {"w_xh": float(np.round(rng.uniform(0.5, 1.5), 1)), "w_hh": float(np.round(rng.uniform(0.4, 1.3), 1)),
                "xs": np.round(rng.uniform(-1.5, 1.5, steps), 1).tolist(), "h0": 0.0}
        xs_txt = ", ".join(fmt(x) for x in data["xs"])
        fields = [Field(f"h[{t}]", {"en": f"h_{t + 1}", "ko": f"h_{t + 1}"}, part="forward", tol=H_TOL)
                  for t in range(steps)]
        fields += [Field(f"jac[{t}]", {"en": f"∂h_{t + 1}/∂h_{t}", "ko": f"∂h_{t + 1}/∂h_{t}"}, part="jacobian", tol=J_TOL)
                   for t in range(steps)]
        fields.append(Field("prod", {"en": f"∂h_{steps}/∂h_0", "ko": f"∂h_{steps}/∂h_0"}, part="product", tol=PROD_TOL))
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"A scalar RNN h_t = tanh(w_xh·x_t + w_hh·h_{{t−1}}) has w_xh = {fmt(data['w_xh'])}, "
                      f"w_hh = {fmt(data['w_hh'])}, h_0 = 0 and inputs x_1…x_{steps} = {xs_txt}. Compute h_1…h_{steps}, "
                      f"each factor ∂h_t/∂h_{{t−1}}, and their product ∂h_{steps}/∂h_0 — the factor by which a "
                      f"gradient shrinks (or grows) on its way back {steps} steps.",
                "ko": f"스칼라 RNN h_t = tanh(w_xh·x_t + w_hh·h_{{t−1}})에서 w_xh = {fmt(data['w_xh'])}, "
                      f"w_hh = {fmt(data['w_hh'])}, h_0 = 0, 입력 x_1…x_{steps} = {xs_txt}입니다. h_1…h_{steps}, "
                      f"각 인수 ∂h_t/∂h_{{t−1}}, 그리고 그 곱 ∂h_{steps}/∂h_0을 구하세요. 이 곱이 기울기가 "
                      f"{steps} 시점을 거슬러 가며 줄어드는(또는 커지는) 비율입니다.",
            },
            fields=fields,
            hints=[
                {"en": "Go forward first: h_1 = tanh(w_xh·x_1 + w_hh·0), then h_2 from h_1, …",
                 "ko": "먼저 순전파: h_1 = tanh(w_xh·x_1 + w_hh·0), 그다음 h_1로 h_2, …"},
                {"en": "∂h_t/∂h_{t−1} = tanh'(a_t)·w_hh, and tanh'(a_t) = 1 − h_t².",
                 "ko": "∂h_t/∂h_{t−1} = tanh'(a_t)·w_hh이고 tanh'(a_t) = 1 − h_t²입니다."},
                {"en": "Chain rule: ∂h_T/∂h_0 is the product of all the step factors.",
                 "ko": "연쇄 법칙(chain rule): ∂h_T/∂h_0은 시점별 인수를 모두 곱한 값입니다."},
            ],
        )
        right = self.expected(v)
        if abs(right["prod"]) < 0.01 or max(abs(right[f"h[{t}]"]) for t in range(steps)) < 0.3:
            raise Degenerate("product too small to read, or all h near 0")
        reject_coincident(v, right, self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _run(self, v, answers, mistake=None):
        d = v.data
        steps = len(d["xs"])
        h_prev, h = d["h0"], []
        for t in range(steps):
            a = d["w_xh"] * d["xs"][t] + (0.0 if mistake == "rnn.no-recurrence" else d["w_hh"] * h_prev)
            h.append(math.tanh(a))
            mine = given(answers, f"h[{t}]") if mistake != "rnn.no-recurrence" else None
            h_prev = mine[0] if mine else h[t]          # the next step from the learner's own h_t
        h_used = [(given(answers, f"h[{t}]") or [h[t]])[0] if mistake != "rnn.no-recurrence" else h[t]
                  for t in range(steps)]
        if mistake == "rnn.no-tanh-derivative":
            jac = [d["w_hh"]] * steps
        elif mistake == "rnn.tanh-prime-at-h":
            jac = [d["w_hh"] * (1 - math.tanh(x) ** 2) for x in h_used]
        else:
            jac = [d["w_hh"] * (1 - x ** 2) for x in h_used]
        jac_used = given(answers, *(f"jac[{t}]" for t in range(steps))) if mistake is None else None
        out = {f"h[{t}]": h[t] for t in range(steps)}
        out.update({f"jac[{t}]": jac[t] for t in range(steps)})
        out["prod"] = math.prod(jac_used or jac)
        return out

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return {k: float(x) for k, x in self._run(v, answers).items()}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {}
        steps = len(v.data["xs"])
        for m in self.mistakes_catalog:
            vals = self._run(v, answers, m.id)
            if m.id != "rnn.no-recurrence":             # the backward slips leave h alone
                for t in range(steps):
                    vals.pop(f"h[{t}]")
            out[m.id] = {k: float(x) for k, x in vals.items()}
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        s = self._run(v, None)
        steps = len(d["xs"])
        out = []
        h_prev = d["h0"]
        for t in range(steps):
            a = d["w_xh"] * d["xs"][t] + d["w_hh"] * h_prev
            txt = (f"h_{t + 1} = tanh({fmt(d['w_xh'])}·{paren(d['xs'][t])} + {fmt(d['w_hh'])}·{paren(h_prev)}) "
                   f"= tanh({fmt(a)}) = {fmt(s[f'h[{t}]'])}")
            out.append(Step(_steps_en_ko(txt), (f"h[{t}]",)))
            h_prev = s[f"h[{t}]"]
        for t in range(steps):
            h = s[f"h[{t}]"]
            txt = (f"∂h_{t + 1}/∂h_{t} = w_hh·(1 − h_{t + 1}²) = {fmt(d['w_hh'])}·(1 − {paren(h)}²) "
                   f"= {fmt(s[f'jac[{t}]'])}")
            out.append(Step(_steps_en_ko(txt), (f"jac[{t}]",)))
        factors = " · ".join(fmt(s[f"jac[{t}]"]) for t in range(steps))
        if abs(s["prod"]) < 1:
            note = {"en": "factors below 1 shrink the gradient at every step, so over many steps it vanishes.",
                    "ko": "1보다 작은 인수가 곱해질 때마다 기울기가 줄어들어, 시점이 길어지면 소실됩니다."}
        else:
            note = {"en": "here the factors are mostly above 1, so the gradient grows: over many steps it explodes.",
                    "ko": "여기서는 인수가 대체로 1보다 커서 기울기가 커집니다: 시점이 길어지면 폭주합니다."}
        out.append(Step({lang: f"∂h_{steps}/∂h_0 = {factors} = {fmt(s['prod'])}: {note[lang]}" for lang in ("en", "ko")},
                        ("prod",)))
        return out


# ============================================================================ BPTT


@generator
class RNNBPTT(Generator):
    name = "rnn.bptt"
    title = {"en": "Backpropagation through time, two steps", "ko": "두 시점 BPTT"}
    defaults = {}
    mistakes_catalog = MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        r1 = lambda lo, hi: float(np.round(rng.uniform(lo, hi), 1))  # noqa: E731
        data = {"w_xh": r1(-1.2, 1.2), "w_hh": r1(-1.2, 1.2), "w_hy": r1(-1.5, 1.5), "h0": r1(-0.8, 0.8),
                "xs": [r1(-1.5, 1.5), r1(-1.5, 1.5)], "targets": [r1(-1.0, 1.0), r1(-1.0, 1.0)]}
        if 0.0 in (data["w_xh"], data["w_hh"], data["w_hy"], data["h0"], *data["xs"]):
            raise Degenerate("a zero weight or input")
        fields = [Field("h[0]", {"en": "h_1", "ko": "h_1"}, part="forward", tol=H_TOL),
                  Field("h[1]", {"en": "h_2", "ko": "h_2"}, part="forward", tol=H_TOL),
                  Field("loss", {"en": "loss L", "ko": "손실 L"}, part="backward", tol=GRAD_TOL),
                  Field("grad_w_hy", {"en": "∂L/∂w_hy", "ko": "∂L/∂w_hy"}, part="backward", tol=GRAD_TOL),
                  Field("grad_w_hh", {"en": "∂L/∂w_hh", "ko": "∂L/∂w_hh"}, part="backward", tol=GRAD_TOL),
                  Field("grad_w_xh", {"en": "∂L/∂w_xh", "ko": "∂L/∂w_xh"}, part="backward", tol=GRAD_TOL)]
        xs, ys = data["xs"], data["targets"]
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"A scalar RNN: h_t = tanh(w_xh·x_t + w_hh·h_{{t−1}}), ŷ_t = w_hy·h_t, "
                      f"L = ½ Σ_t (ŷ_t − y_t)², with w_xh = {fmt(data['w_xh'])}, w_hh = {fmt(data['w_hh'])}, "
                      f"w_hy = {fmt(data['w_hy'])}, h_0 = {fmt(data['h0'])}, x_1 = {fmt(xs[0])}, x_2 = {fmt(xs[1])}, "
                      f"y_1 = {fmt(ys[0])}, y_2 = {fmt(ys[1])}. Compute h_1, h_2, the loss, and by backpropagation "
                      "through time ∂L/∂w_hy, ∂L/∂w_hh and ∂L/∂w_xh.",
                "ko": f"스칼라 RNN: h_t = tanh(w_xh·x_t + w_hh·h_{{t−1}}), ŷ_t = w_hy·h_t, "
                      f"L = ½ Σ_t (ŷ_t − y_t)², w_xh = {fmt(data['w_xh'])}, w_hh = {fmt(data['w_hh'])}, "
                      f"w_hy = {fmt(data['w_hy'])}, h_0 = {fmt(data['h0'])}, x_1 = {fmt(xs[0])}, x_2 = {fmt(xs[1])}, "
                      f"y_1 = {fmt(ys[0])}, y_2 = {fmt(ys[1])}. h_1, h_2, 손실을 구하고, 시간 역전파(BPTT)로 "
                      "∂L/∂w_hy, ∂L/∂w_hh, ∂L/∂w_xh를 구하세요.",
            },
            fields=fields,
            hints=[
                {"en": "Backward from the last step: δ_2 = (ŷ_2 − y_2)·w_hy·(1 − h_2²).",
                 "ko": "마지막 시점부터 거꾸로: δ_2 = (ŷ_2 − y_2)·w_hy·(1 − h_2²)."},
                {"en": "Step 1 gets its own loss AND what flows back from step 2: "
                       "δ_1 = ((ŷ_1 − y_1)·w_hy + δ_2·w_hh)·(1 − h_1²).",
                 "ko": "1시점은 자기 손실에 2시점에서 돌아오는 몫까지 받습니다: "
                       "δ_1 = ((ŷ_1 − y_1)·w_hy + δ_2·w_hh)·(1 − h_1²)."},
                {"en": "Sum over steps: ∂L/∂w_hh = δ_1·h_0 + δ_2·h_1, ∂L/∂w_xh = δ_1·x_1 + δ_2·x_2, "
                       "∂L/∂w_hy = Σ (ŷ_t − y_t)·h_t.",
                 "ko": "시점별로 더합니다: ∂L/∂w_hh = δ_1·h_0 + δ_2·h_1, ∂L/∂w_xh = δ_1·x_1 + δ_2·x_2, "
                       "∂L/∂w_hy = Σ (ŷ_t − y_t)·h_t."},
            ],
        )
        right = self.expected(v)
        if min(abs(right["grad_w_hh"]), abs(right["grad_w_xh"]), abs(right["grad_w_hy"])) < 0.02:
            raise Degenerate("a gradient is almost zero")
        reject_coincident(v, right, self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _hs(self, v, answers):
        d = v.data
        h, h_prev = [], d["h0"]
        for t in range(2):
            h.append(math.tanh(d["w_xh"] * d["xs"][t] + d["w_hh"] * h_prev))
            h_prev = h[-1]
        return h

    def _backward(self, v, h, mistake=None):
        """Scalar BPTT from the hidden states h (the learner's own, for error carried forward);
        the same recursion as engine.algorithms.rnn.bptt_from_states, in plain floats for speed."""
        d = v.data
        w_hh, w_hy, xs, ys = d["w_hh"], d["w_hy"], d["xs"], d["targets"]
        steps = len(h)
        y_hat = [w_hy * h[t] for t in range(steps)]
        err = [y_hat[t] - ys[t] for t in range(steps)]                  # ∂L/∂ŷ_t
        loss = 0.5 * sum(e * e for e in err)
        if mistake == "rnn.sign-error":
            err = [-e for e in err]
        h_before = [d["h0"], *h[:-1]]
        grad_w_hy = sum(err[t] * h[t] for t in range(steps))
        grad_w_hh = grad_w_xh = 0.0
        da = [0.0] * steps
        dh_next = 0.0                                                    # w_hh·δ_{t+1}
        for t in reversed(range(steps)):
            dh = w_hy * err[t] + (0.0 if mistake == "rnn.truncated" else dh_next)
            da[t] = dh * (1.0 if mistake == "rnn.no-tanh-derivative" else 1.0 - h[t] ** 2)
            grad_w_hh += da[t] * h_before[t]
            grad_w_xh += da[t] * xs[t]
            dh_next = w_hh * da[t]
        return {"loss": loss, "grad_w_hy": grad_w_hy, "grad_w_hh": grad_w_hh, "grad_w_xh": grad_w_xh,
                "da": da, "y_hat": y_hat}

    def _learner_h(self, v, answers):
        right = self._hs(v, None)
        mine = given(answers, "h[0]", "h[1]")
        return mine if mine else right

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        h = self._hs(v, None)
        b = self._backward(v, self._learner_h(v, answers))     # the gradients from the learner's own h
        return {"h[0]": h[0], "h[1]": h[1], **{k: float(b[k]) for k in ("loss", "grad_w_hy", "grad_w_hh", "grad_w_xh")}}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        h = self._learner_h(v, answers)
        out = {}
        for m in self.mistakes_catalog:
            b = self._backward(v, h, m.id)
            keys = ("grad_w_hy", "grad_w_hh", "grad_w_xh")
            out[m.id] = {k: float(b[k]) for k in keys}
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        h = self._hs(v, None)
        b = self._backward(v, h)
        e = [b["y_hat"][t] - d["targets"][t] for t in range(2)]
        da = b["da"]
        lines = []
        h_prev = d["h0"]
        for t in range(2):
            txt = (f"h_{t + 1} = tanh({fmt(d['w_xh'])}·{paren(d['xs'][t])} + {paren(d['w_hh'])}·{paren(h_prev)}) "
                   f"= {fmt(h[t])}; ŷ_{t + 1} = {fmt(d['w_hy'])}·{paren(h[t])} = {fmt(b['y_hat'][t])}")
            lines.append(Step(_steps_en_ko(txt), (f"h[{t}]",)))
            h_prev = h[t]
        txt = f"L = ½({paren(e[0])}² + {paren(e[1])}²) = {fmt(b['loss'])}"
        lines.append(Step(_steps_en_ko(txt), ("loss",)))
        txt = (f"∂L/∂w_hy = (ŷ_1 − y_1)·h_1 + (ŷ_2 − y_2)·h_2 = {paren(e[0])}·{paren(h[0])} + {paren(e[1])}·{paren(h[1])} "
               f"= {fmt(b['grad_w_hy'])}")
        lines.append(Step(_steps_en_ko(txt), ("grad_w_hy",)))
        txt = (f"δ_2 = (ŷ_2 − y_2)·w_hy·(1 − h_2²) = {paren(e[1])}·{paren(d['w_hy'])}·{fmt(1 - h[1] ** 2)} = {fmt(da[1])}; "
               f"δ_1 = ((ŷ_1 − y_1)·w_hy + δ_2·w_hh)·(1 − h_1²) = ({paren(e[0])}·{paren(d['w_hy'])} + "
               f"{paren(da[1])}·{paren(d['w_hh'])})·{fmt(1 - h[0] ** 2)} = {fmt(da[0])}")
        lines.append(Step(_steps_en_ko(txt)))
        txt = (f"∂L/∂w_hh = δ_1·h_0 + δ_2·h_1 = {paren(da[0])}·{paren(d['h0'])} + {paren(da[1])}·{paren(h[0])} "
               f"= {fmt(b['grad_w_hh'])}")
        lines.append(Step(_steps_en_ko(txt), ("grad_w_hh",)))
        txt = (f"∂L/∂w_xh = δ_1·x_1 + δ_2·x_2 = {paren(da[0])}·{paren(d['xs'][0])} + {paren(da[1])}·{paren(d['xs'][1])} "
               f"= {fmt(b['grad_w_xh'])}")
        lines.append(Step(_steps_en_ko(txt), ("grad_w_xh",)))
        return lines
