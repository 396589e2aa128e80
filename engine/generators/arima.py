"""ARIMA exercises: differencing a series; a one-step ARIMA(1,1,0)/(1,1,1) forecast integrated back."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.arima import MISTAKES as ARIMA_MISTAKES
from engine.algorithms.arima import difference
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, numbers, reject_coincident
from engine.korean import josa
from engine.registry import generator

TOL = Tolerance(atol=0.01)

REVERSED = Mistake("arima.diff-reversed", {
    "en": "You subtracted the other way round (y_{t−1} − y_t). The difference is Δy_t = y_t − y_{t−1}: an increase is "
          "positive.",
    "ko": "반대로 뺐습니다(y_{t−1} − y_t). 차분은 Δy_t = y_t − y_{t−1}이고, 증가하면 양수입니다.",
})
LAG_TWO = Mistake("arima.second-diff-as-lag2", {
    "en": "You took y_t − y_{t−2} as the second difference. Δ²y_t is the difference of the differences: "
          "Δy_t − Δy_{t−1} = y_t − 2y_{t−1} + y_{t−2}.",
    "ko": "y_t − y_{t−2}를 2차 차분으로 썼습니다. Δ²y_t는 차분의 차분입니다: "
          "Δy_t − Δy_{t−1} = y_t − 2y_{t−1} + y_{t−2}.",
})


@generator
class ARIMADifference(Generator):
    name = "arima.difference"
    title = T("Differencing a time series (the I in ARIMA)", "시계열 차분 (ARIMA의 I)")
    defaults = {"n": 6}
    limits = {"n": Int(4, 12)}
    mistakes_catalog = (REVERSED, LAG_TWO)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        d = int(rng.choice([1, 2]))
        start = int(rng.integers(5, 30))
        steps = rng.integers(-2, 7, size=n - 1) if d == 1 else np.cumsum(rng.integers(-2, 4, size=n - 1)) + 1
        y = np.cumsum(np.r_[start, steps]).astype(float)
        m = n - d
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"series": y.tolist(), "d": d},
            prompt=T(
                f"Difference the series y = [{numbers(y)}] {'once' if d == 1 else 'twice'} "
                f"(d = {d}, as in ARIMA(p, {d}, q)). Give the {m} values of Δ{'' if d == 1 else '²'}y in order.",
                f"시계열 y = {josa(f'[{numbers(y)}]', '을')} {'한 번' if d == 1 else '두 번'} 차분하세요(d = {d}, ARIMA(p, {d}, q)처럼). "
                f"Δ{'' if d == 1 else '²'}y의 값 {m}개를 순서대로 구하세요."),
            fields=[Field(f"w[{i}]", T(f"value {i + 1}", f"{i + 1}번째 값"), tol=TOL) for i in range(m)],
            hints=[T("Δy_t = y_t − y_{t−1}: each value minus the one before it; the series gets one shorter.",
                     "Δy_t = y_t − y_{t−1}: 각 값에서 바로 앞 값을 뺍니다. 길이가 하나 줄어듭니다."),
                   T("For d = 2 difference the differences again.", "d = 2이면 차분한 결과를 한 번 더 차분합니다.")],
        )
        w = difference(y, d)[-1]
        if np.all(w == w[0]):
            raise Degenerate("constant differences")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        w = difference(np.array(v.data["series"]), v.data["d"])[-1]
        return {f"w[{i}]": float(x) for i, x in enumerate(w)}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        y, d = np.array(v.data["series"]), v.data["d"]
        w = difference(y, d)[-1]
        out = {"arima.diff-reversed": {f"w[{i}]": float(-x) for i, x in enumerate(w)}}
        if d == 2:
            lag2 = y[2:] - y[:-2]
            out["arima.second-diff-as-lag2"] = {f"w[{i}]": float(x) for i, x in enumerate(lag2)}
        return out

    def solution(self, v: Variant) -> list[Step]:
        y, d = np.array(v.data["series"]), v.data["d"]
        levels = difference(y, d)
        steps = []
        for k in range(1, d + 1):
            prev, cur = levels[k - 1], levels[k]
            parts = ", ".join(f"{fmt(prev[i + 1])} − {paren(prev[i])} = {fmt(cur[i])}" for i in range(cur.size))
            names = tuple(f"w[{i}]" for i in range(cur.size)) if k == d else ()
            steps.append(Step(T(f"Δ{'' if k == 1 else '²'}y: {parts}", f"Δ{'' if k == 1 else '²'}y: {parts}"), names))
        return steps


@generator
class ARIMAForecast(Generator):
    name = "arima.forecast"
    title = T("ARIMA(1,1,q) one-step forecast, integrated back", "ARIMA(1,1,q) 한 단계 예측과 되돌리기")
    defaults = {"n": 5}
    limits = {"n": Int(4, 12)}
    mistakes_catalog = ARIMA_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        y = np.cumsum(np.r_[int(rng.integers(10, 50)), rng.integers(-3, 8, size=n - 1)]).astype(float)
        phi = float(rng.choice([-0.5, -0.3, 0.2, 0.4, 0.5, 0.6, 0.8]))
        c = float(rng.choice([0.0, 0.5, 1.0, 2.0]))
        with_ma = bool(rng.integers(0, 2))
        theta = float(rng.choice([-0.4, 0.3, 0.5])) if with_ma else 0.0
        eps = float(rng.choice([-1.5, -1.0, -0.5, 0.5, 1.0, 2.0])) if with_ma else 0.0
        ma_en = f" + θ₁ε_t with θ₁ = {theta:g}; the last one-step residual was ε_{n} = {eps:g}" if with_ma else ""
        ma_ko = f" + θ₁ε_t, θ₁ = {theta:g}; 마지막 한 단계 잔차는 ε_{n} = {eps:g}" if with_ma else ""
        q = 1 if with_ma else 0
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"series": y.tolist(), "phi": phi, "c": c, "theta": theta, "eps": eps, "ma": with_ma},
            prompt=T(
                f"An ARIMA(1, 1, {q}) model for y = [{numbers(y)}] works on the differences w_t = y_t − y_(t−1): "
                f"ŵ_(t+1) = c + φ₁w_t{ma_en}; c = {c:g}, φ₁ = {phi:g}. Give the forecast of the next difference "
                f"ŵ_{n + 1} and of the next value ŷ_{n + 1}.",
                f"y = [{numbers(y)}]에 대한 ARIMA(1, 1, {q}) 모델은 차분 w_t = y_t − y_(t−1)에 적용됩니다: "
                f"ŵ_(t+1) = c + φ₁w_t{ma_ko}; c = {c:g}, φ₁ = {phi:g}. 다음 차분의 예측 ŵ_{josa(n + 1, '과')} 다음 값의 예측 "
                f"ŷ_{josa(n + 1, '을')} 구하세요."),
            fields=[Field("w_next", T(f"ŵ_{n + 1} (difference)", f"ŵ_{n + 1} (차분)"), tol=TOL),
                    Field("y_next", T(f"ŷ_{n + 1} (value)", f"ŷ_{n + 1} (값)"), tol=TOL)],
            hints=[T("The last difference is w_n = y_n − y_(n−1).", "마지막 차분은 w_n = y_n − y_(n−1)입니다."),
                   T("Integrate back: ŷ_(n+1) = y_n + ŵ_(n+1).", "되돌리기: ŷ_(n+1) = y_n + ŵ_(n+1).")],
        )
        e = self.expected(v)
        if abs(e["w_next"]) < 0.2:
            raise Degenerate("forecast change ≈ 0 (integration invisible)")
        reject_coincident(v, e, self.mistakes(v))
        return v

    def _w_next(self, v: Variant, w_last: float) -> float:
        d = v.data
        return d["c"] + d["phi"] * w_last + d["theta"] * d["eps"]

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        y = v.data["series"]
        w_next = self._w_next(v, y[-1] - y[-2])
        out = {"w_next": w_next, "y_next": y[-1] + w_next}
        mine = given(answers, "w_next")
        if mine is not None:                  # error carried forward: integrate the learner's ŵ
            out["y_next"] = y[-1] + mine[0]
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        y = v.data["series"]
        mine = given(answers, "w_next")
        w_next = mine[0] if mine is not None else self._w_next(v, y[-1] - y[-2])
        raw = self._w_next(v, y[-1])          # the AR term applied to the level, not the difference
        return {"arima.no-integrate": {"y_next": w_next},
                "arima.no-difference": {"w_next": raw, "y_next": raw}}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        y = d["series"]
        n = len(y)
        w_last = y[-1] - y[-2]
        e = self.expected(v)
        ma = f" + {paren(d['theta'])}·{paren(d['eps'])}" if d["ma"] else ""
        return [
            Step(T(f"w_{n} = {fmt(y[-1])} − {fmt(y[-2])} = {fmt(w_last)}", f"w_{n} = {fmt(y[-1])} − {fmt(y[-2])} = {fmt(w_last)}")),
            Step(T(f"ŵ_{n + 1} = {fmt(d['c'])} + {paren(d['phi'])}·{paren(w_last)}{ma} = {fmt(e['w_next'])}",
                   f"ŵ_{n + 1} = {fmt(d['c'])} + {paren(d['phi'])}·{paren(w_last)}{ma} = {fmt(e['w_next'])}"), ("w_next",)),
            Step(T(f"ŷ_{n + 1} = y_{n} + ŵ_{n + 1} = {fmt(y[-1])} + {paren(e['w_next'])} = {fmt(e['y_next'])}",
                   f"ŷ_{n + 1} = y_{n} + ŵ_{n + 1} = {fmt(y[-1])} + {paren(e['w_next'])} = {fmt(e['y_next'])}"),
                 ("y_next",)),
        ]
