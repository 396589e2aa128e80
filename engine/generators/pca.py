"""PCA exercises: eigenvalues and explained ratio of a 2×2 covariance; centring and the covariance."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.pca import MISTAKES as PCA_MISTAKES
from engine.algorithms.pca import pca
from engine.core import Degenerate, Field, Generator, Int, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, numbers, reject_coincident
from engine.registry import generator

EIG_TOL = Tolerance(atol=0.01)
RATIO_TOL = Tolerance(atol=0.005)

# (a − b)/2 and c with √(((a−b)/2)² + c²) a whole number, so that the eigenvalues are whole numbers
TRIPLES = ((3, 4, 5), (4, 3, 5), (6, 8, 10), (8, 6, 10), (5, 12, 13), (12, 5, 13), (0, 2, 2), (0, 3, 3), (2, 0, 2))


@generator
class PCA2D(Generator):
    name = "pca.2d"
    title = T("PCA of a 2×2 covariance: eigenvalues and explained variance", "2×2 공분산의 PCA: 고윳값과 설명된 분산")
    defaults = {}
    mistakes_catalog = (PCA_MISTAKES[1], PCA_MISTAKES[2])

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        h, c, r = TRIPLES[int(rng.integers(len(TRIPLES)))]
        h *= int(rng.choice([-1, 1]))
        c *= int(rng.choice([-1, 1]))
        m = r + int(rng.integers(1, 8))                     # (a + b)/2 > r keeps both eigenvalues > 0
        a, b = m + h, m - h
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"cov": [[float(a), float(c)], [float(c), float(b)]]},
            prompt=T(
                f"The covariance matrix of two features is S = [[{a}, {c}], [{c}, {b}]]. Give its eigenvalues "
                "λ₁ ≥ λ₂ (the variances along the principal components) and the share of the total variance "
                "explained by the first component.",
                f"두 특성의 공분산 행렬이 S = [[{a}, {c}], [{c}, {b}]]입니다. 고윳값 λ₁ ≥ λ₂ (주성분 방향의 분산)와 "
                "첫 번째 주성분이 설명하는 분산의 비율을 구하세요."),
            fields=[Field("lambda1", T("λ₁", "λ₁"), part="eigen", tol=EIG_TOL),
                    Field("lambda2", T("λ₂", "λ₂"), part="eigen", tol=EIG_TOL),
                    Field("ratio1", T("explained ratio of PC1", "PC1의 설명된 분산 비율"), part="ratio", tol=RATIO_TOL)],
            hints=[T("Solve det(S − λI) = 0: λ² − (a + b)λ + (ab − c²) = 0.",
                     "det(S − λI) = 0을 푸세요: λ² − (a + b)λ + (ab − c²) = 0."),
                   T("λ = (a + b)/2 ± √(((a − b)/2)² + c²); the ratio is λ₁/(λ₁ + λ₂) = λ₁/trace.",
                     "λ = (a + b)/2 ± √(((a − b)/2)² + c²); 비율은 λ₁/(λ₁ + λ₂) = λ₁/trace입니다.")],
        )
        if c == 0:
            raise Degenerate("diagonal: the eigenvalues are the diagonal")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        r = pca(None, 2, False, cov=np.array(v.data["cov"]))
        lam = r["eigenvalues"]
        out = {"lambda1": float(lam[0]), "lambda2": float(lam[1]), "ratio1": float(r["explained_ratio"][0])}
        mine = given(answers, "lambda1", "lambda2")
        if mine is not None and mine[0] + mine[1] > 0:      # error carried forward: ratio of the learner's λ
            out["ratio1"] = mine[0] / (mine[0] + mine[1])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        S = np.array(v.data["cov"])
        diag = sorted(np.diag(S).tolist(), reverse=True)
        lam = pca(None, 2, False, cov=S)["eigenvalues"]
        mine = given(answers, "lambda1", "lambda2")
        l1, l2 = (mine if mine is not None and min(mine) >= 0 else lam)
        root = math.sqrt(l1) + math.sqrt(l2)
        return {"pca.cov-rows": {"lambda1": diag[0], "lambda2": diag[1], "ratio1": diag[0] / sum(diag)},
                "pca.singular-ratio": {"ratio1": math.sqrt(l1) / root if root else 0.0}}

    def solution(self, v: Variant) -> list[Step]:
        (a, c), (_, b) = v.data["cov"]
        half, rad = (a + b) / 2, math.sqrt(((a - b) / 2) ** 2 + c * c)
        e = self.expected(v)
        return [
            Step(T(f"trace = {fmt(a + b)}, det = {fmt(a)}·{fmt(b)} − {paren(c)}² = {fmt(a * b - c * c)}; "
                   f"λ² − {fmt(a + b)}λ + {fmt(a * b - c * c)} = 0",
                   f"trace = {fmt(a + b)}, det = {fmt(a)}·{fmt(b)} − {paren(c)}² = {fmt(a * b - c * c)}; "
                   f"λ² − {fmt(a + b)}λ + {fmt(a * b - c * c)} = 0")),
            Step(T(f"λ = {fmt(half)} ± √({paren((a - b) / 2)}² + {paren(c)}²) = {fmt(half)} ± {fmt(rad)} → "
                   f"λ₁ = {fmt(e['lambda1'])}, λ₂ = {fmt(e['lambda2'])}",
                   f"λ = {fmt(half)} ± √({paren((a - b) / 2)}² + {paren(c)}²) = {fmt(half)} ± {fmt(rad)} → "
                   f"λ₁ = {fmt(e['lambda1'])}, λ₂ = {fmt(e['lambda2'])}"), ("lambda1", "lambda2")),
            Step(T(f"ratio = {fmt(e['lambda1'])}/({fmt(e['lambda1'])} + {fmt(e['lambda2'])}) = {fmt(e['ratio1'])}",
                   f"비율 = {fmt(e['lambda1'])}/({fmt(e['lambda1'])} + {fmt(e['lambda2'])}) = {fmt(e['ratio1'])}"),
                 ("ratio1",)),
        ]


@generator
class PCACovariance(Generator):
    name = "pca.covariance"
    title = T("Centre the data and compute the sample covariance", "데이터 중심화와 표본 공분산")
    defaults = {"n": 4}
    limits = {"n": Int(3, 10)}
    mistakes_catalog = (PCA_MISTAKES[0], PCA_MISTAKES[3])

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        x = rng.integers(0, 10, size=(n, 2)).astype(float)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist()},
            prompt=T(
                f"Before PCA, centre the data and compute the sample covariance (divide by n − 1). Points (x₁, x₂): "
                f"{', '.join('(' + numbers(p) + ')' for p in x)}. Give the mean of each feature, Var(x₁), Var(x₂) "
                "and Cov(x₁, x₂).",
                f"PCA 전에 데이터를 중심화하고 표본 공분산(n − 1로 나눔)을 구하세요. 점 (x₁, x₂): "
                f"{', '.join('(' + numbers(p) + ')' for p in x)}. 각 특성의 평균, Var(x₁), Var(x₂), Cov(x₁, x₂)를 "
                "구하세요."),
            fields=[Field("mean1", T("mean of x₁", "x₁의 평균"), part="mean", tol=EIG_TOL),
                    Field("mean2", T("mean of x₂", "x₂의 평균"), part="mean", tol=EIG_TOL),
                    Field("var1", T("Var(x₁)", "Var(x₁)"), part="cov", tol=EIG_TOL),
                    Field("var2", T("Var(x₂)", "Var(x₂)"), part="cov", tol=EIG_TOL),
                    Field("cov12", T("Cov(x₁, x₂)", "Cov(x₁, x₂)"), part="cov", tol=EIG_TOL)],
            tables=[Table(T("Data", "데이터"), rows=[str(i + 1) for i in range(n)], cols=["x₁", "x₂"],
                          cells=[[float(a), float(b)] for a, b in x])],
            hints=[T("Subtract each column's mean from that column.", "각 열에서 그 열의 평균을 빼세요."),
                   T("Var(x₁) = Σ(x₁ − x̄₁)²/(n − 1), Cov(x₁, x₂) = Σ(x₁ − x̄₁)(x₂ − x̄₂)/(n − 1).",
                     "Var(x₁) = Σ(x₁ − x̄₁)²/(n − 1), Cov(x₁, x₂) = Σ(x₁ − x̄₁)(x₂ − x̄₂)/(n − 1).")],
        )
        S = np.cov(x.T)
        if np.any(np.diag(S) == 0) or abs(S[0, 1]) < 0.5:
            raise Degenerate("a constant feature or no correlation")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    @staticmethod
    def _vals(x: np.ndarray, mean: np.ndarray, denom: float) -> dict[str, float]:
        xc = x - mean
        S = xc.T @ xc / denom
        return {"mean1": float(mean[0]), "mean2": float(mean[1]),
                "var1": float(S[0, 0]), "var2": float(S[1, 1]), "cov12": float(S[0, 1])}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        x = np.array(v.data["x"])
        r = pca(x, 2, False)
        out = {"mean1": float(r["mean"][0]), "mean2": float(r["mean"][1]),
               "var1": float(r["cov"][0, 0]), "var2": float(r["cov"][1, 1]), "cov12": float(r["cov"][0, 1])}
        mine = given(answers, "mean1", "mean2")
        if mine is not None:                   # error carried forward: spread around the learner's means
            out.update({k: val for k, val in self._vals(x, np.array(mine), x.shape[0] - 1).items()
                        if not k.startswith("mean")})
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        x = np.array(v.data["x"])
        n = x.shape[0]
        unc = self._vals(x, np.zeros(2), n - 1)
        over_n = self._vals(x, x.mean(axis=0), n)
        return {"pca.uncentred": {k: val for k, val in unc.items() if not k.startswith("mean")},
                "pca.cov-over-n": {k: val for k, val in over_n.items() if not k.startswith("mean")}}

    def solution(self, v: Variant) -> list[Step]:
        x = np.array(v.data["x"])
        n = x.shape[0]
        mean = x.mean(axis=0)
        xc = x - mean
        S = xc.T @ xc / (n - 1)
        cen = ", ".join("(" + ", ".join(fmt(c) for c in row) + ")" for row in xc)
        return [
            Step(T(f"x̄₁ = {fmt(mean[0])}, x̄₂ = {fmt(mean[1])}", f"x̄₁ = {fmt(mean[0])}, x̄₂ = {fmt(mean[1])}"),
                 ("mean1", "mean2")),
            Step(T(f"Centred: {cen}", f"중심화: {cen}")),
            Step(T(f"Var(x₁) = {fmt(np.sum(xc[:, 0] ** 2))}/{n - 1} = {fmt(S[0, 0])}, "
                   f"Var(x₂) = {fmt(np.sum(xc[:, 1] ** 2))}/{n - 1} = {fmt(S[1, 1])}",
                   f"Var(x₁) = {fmt(np.sum(xc[:, 0] ** 2))}/{n - 1} = {fmt(S[0, 0])}, "
                   f"Var(x₂) = {fmt(np.sum(xc[:, 1] ** 2))}/{n - 1} = {fmt(S[1, 1])}"), ("var1", "var2")),
            Step(T(f"Cov = {fmt(np.sum(xc[:, 0] * xc[:, 1]))}/{n - 1} = {fmt(S[0, 1])}",
                   f"Cov = {fmt(np.sum(xc[:, 0] * xc[:, 1]))}/{n - 1} = {fmt(S[0, 1])}"), ("cov12",)),
        ]
