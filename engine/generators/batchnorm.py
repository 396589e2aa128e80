"""Batch normalisation by hand: μ_B, σ²_B of one feature, x̂ and y of one entry, the running variance.

A batch of 4 samples × 2 features with small integers whose column means are whole numbers.
Error carried forward: x̂ is graded from the learner's own μ_B and σ²_B, y from their x̂, the
running variance from their σ²_B.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.batchnorm import (
    MISTAKES,
    batch_stats,
    normalise,
    running_update,
    running_var_target,
    scale_shift,
)
from engine.core import ChainGenerator, Degenerate, Field, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, by_id, given
from engine.korean import josa
from engine.registry import generator

N, D = 4, 2
EPS, MOMENTUM, RUNNING_VAR = 1e-5, 0.1, 1.0
GAMMAS = [0.5, 1.5, 2.0, 2.5, 3.0]
BETAS = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
STAT_TOL = Tolerance(atol=0.005)
NORM_TOL = Tolerance(atol=0.01)


def _column(rng: np.random.Generator) -> list[int]:
    """Four integers in −2 … 9 with a whole-number mean and some spread."""
    while True:
        col = [int(a) for a in rng.integers(-2, 10, size=N)]
        if sum(col) % N == 0 and len(set(col)) >= 3:
            return col


@generator
class BatchNormForward(ChainGenerator):
    name = "batchnorm.forward"
    title = {"en": "Batch normalisation by hand", "ko": "배치 정규화 손으로 계산하기"}
    mistakes_catalog = by_id(MISTAKES, "batchnorm.per-sample", "batchnorm.unbiased-var", "batchnorm.no-sqrt",
                             "batchnorm.no-affine", "batchnorm.running-biased")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        cols = [_column(rng) for _ in range(D)]
        x = [[cols[c][r] for c in range(D)] for r in range(N)]
        i, j = int(rng.integers(0, N)), int(rng.integers(0, D))
        gamma, beta = [float(rng.choice(GAMMAS)) for _ in range(D)], [float(rng.choice(BETAS)) for _ in range(D)]
        mu = sum(cols[j]) / N
        if x[i][j] == mu:
            raise Degenerate("the asked entry is the mean: x̂ = 0")
        d = {"x": x, "gamma": gamma, "beta": beta, "i": i, "j": j, "eps": EPS, "momentum": MOMENTUM,
             "running_var": RUNNING_VAR}
        f, s = j + 1, i + 1
        g, b = fmt(gamma[j]), fmt(beta[j])
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt=T(f"A BatchNorm1d layer in training mode gets this mini-batch of {N} samples × {D} features. "
                     f"For feature {f}: γ = {g}, β = {b}, ε = 10⁻⁵, momentum m = {MOMENTUM:g}, running variance "
                     f"{RUNNING_VAR:g} before this step. Give μ_B and σ²_B of feature {f}, x̂ and y for sample {s}, "
                     f"and the running variance after the step.",
                     f"학습 모드의 BatchNorm1d 층에 샘플 {N}개 × 특성 {D}개의 미니배치가 들어옵니다. 특성 {f}의 "
                     f"γ = {g}, β = {b}, ε = 10⁻⁵, 모멘텀 m = {MOMENTUM:g}, 이 단계 전의 이동 분산(running var)은 "
                     f"{RUNNING_VAR:g}입니다. 특성 {f}의 μ_B와 σ²_B, 샘플 {s}의 x̂와 y, 그리고 이 단계 뒤의 "
                     "이동 분산을 구하세요."),
            fields=[Field("mu", T(f"μ_B (feature {f})", f"μ_B (특성 {f})"), part="stats", tol=STAT_TOL),
                    Field("var", T(f"σ²_B (feature {f})", f"σ²_B (특성 {f})"), part="stats", tol=STAT_TOL),
                    Field("x_hat", T(f"x̂ (sample {s}, feature {f})", f"x̂ (샘플 {s}, 특성 {f})"), part="normalise",
                          tol=NORM_TOL),
                    Field("y", T(f"y (sample {s}, feature {f})", f"y (샘플 {s}, 특성 {f})"), part="normalise",
                          tol=NORM_TOL),
                    Field("running_var", T(f"running variance (feature {f})", f"이동 분산 (특성 {f})"),
                          part="running", tol=STAT_TOL)],
            tables=[Table(title=T("Mini-batch x", "미니배치 x"), rows=[f"x{r + 1}" for r in range(N)],
                          cols=[T(f"feature {c + 1}", f"특성 {c + 1}") for c in range(D)], cells=x)],
            hints=[
                T(f"Work down the column of feature {f}: the batch statistics are per feature, over the {N} samples.",
                  f"특성 {f}의 열을 따라 계산하세요. 배치 통계는 특성마다, 샘플 {N}개에 걸쳐 구합니다."),
                T(f"σ²_B divides by n = {N} (biased); x̂ = (x − μ_B) / √(σ²_B + ε); y = γ x̂ + β.",
                  f"σ²_B는 n = {josa(N, '으로')} 나눕니다(편향 분산). x̂ = (x − μ_B) / √(σ²_B + ε), y = γ x̂ + β."),
                T(f"The running variance takes the unbiased σ²_B·n/(n − 1): (1 − m)·{RUNNING_VAR:g} + m·σ²_B·{N}/{N - 1}.",
                  f"이동 분산에는 불편 분산 σ²_B·n/(n − 1)이 들어갑니다: (1 − m)·{RUNNING_VAR:g} + m·σ²_B·{N}/{N - 1}."),
            ],
        )

    def _chain(self, v: Variant, answers=None, mistake=None) -> dict:
        d = v.data
        x = np.asarray(d["x"], dtype=float)
        i, j = d["i"], d["j"]
        mus, variances = batch_stats(x, mistake)
        k = i if mistake == "batchnorm.per-sample" else j        # per sample: the statistics of row i
        mu, var = float(mus[k]), float(variances[k])
        mu_c, var_c = mu, var
        own = given(answers, "mu", "var")
        if own and own[1] + d["eps"] > 0:                          # carried forward from the learner's μ_B, σ²_B
            mu_c, var_c = own
        x_hat = float(normalise(x[i, j], mu_c, var_c, d["eps"], mistake)[0])
        own_xh = given(answers, "x_hat")
        y = float(scale_shift(own_xh[0] if own_xh else x_hat, d["gamma"][j], d["beta"][j], mistake))
        running = float(running_update(d["running_var"], running_var_target(var_c, N, mistake), d["momentum"]))
        return {"mu": mu, "var": var, "x_hat": x_hat, "y": y, "running_var": running}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        x = np.asarray(d["x"], dtype=float)
        i, j = d["i"], d["j"]
        col = x[:, j]
        r = self.expected(v)
        f, s, xij = j + 1, i + 1, x[i, j]
        g, b = d["gamma"][j], d["beta"][j]
        terms = " + ".join(paren(a) for a in col)
        squares = " + ".join(f"{paren(a - r['mu'])}²" for a in col)
        target = running_var_target(r["var"], N)
        return [
            Step(T(f"μ_B = ({terms}) / {N} = {fmt(r['mu'])}   (feature {f}, down its column)",
                   f"μ_B = ({terms}) / {N} = {fmt(r['mu'])}   (특성 {f}의 열을 따라)"), ("mu",)),
            Step(T(f"σ²_B = ({squares}) / {N} = {fmt(r['var'])}   (divide by n: biased)",
                   f"σ²_B = ({squares}) / {N} = {fmt(r['var'])}   (n으로 나눔: 편향 분산)"), ("var",)),
            Step(T(f"x̂ = ({fmt(xij)} − {paren(r['mu'])}) / √({fmt(r['var'])} + 10⁻⁵) = {fmt(r['x_hat'])}   (sample {s})",
                   f"x̂ = ({fmt(xij)} − {paren(r['mu'])}) / √({fmt(r['var'])} + 10⁻⁵) = {fmt(r['x_hat'])}   (샘플 {s})"),
                 ("x_hat",)),
            Step(T(f"y = γ x̂ + β = {fmt(g)}·{paren(r['x_hat'])} + {paren(b)} = {fmt(r['y'])}",
                   f"y = γ x̂ + β = {fmt(g)}·{paren(r['x_hat'])} + {paren(b)} = {fmt(r['y'])}"), ("y",)),
            Step(T(f"running variance = {fmt(1 - d['momentum'])}·{fmt(d['running_var'])} + {d['momentum']:g}·"
                   f"{fmt(r['var'])}·{N}/{N - 1} = {fmt(r['running_var'])}   (σ²_B·{N}/{N - 1} = {fmt(target)}: unbiased)",
                   f"이동 분산 = {fmt(1 - d['momentum'])}·{fmt(d['running_var'])} + {d['momentum']:g}·"
                   f"{fmt(r['var'])}·{N}/{N - 1} = {fmt(r['running_var'])}   (σ²_B·{N}/{N - 1} = {fmt(target)}: 불편 분산)"),
                 ("running_var",)),
        ]
