"""Least-squares exercises: fit a line to a few points; build and solve the normal equations."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.regression import MISTAKES as OLS_MISTAKES
from engine.algorithms.regression import ols
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, numbers, reject_coincident
from engine.registry import generator

COEF_TOL = Tolerance(atol=0.01)


def _draw_points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.sort(rng.choice(np.arange(0, 10), size=n, replace=False)).astype(float)
    w = float(rng.choice([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 2.5, 3]))
    b = float(rng.integers(-3, 8))
    noise = rng.integers(-2, 3, size=n)
    y = np.round(w * x + b + noise).astype(float)
    return x, y


def _line(x: np.ndarray, y: np.ndarray) -> dict:
    xm, ym = float(x.mean()), float(y.mean())
    sxy = float(np.sum((x - xm) * (y - ym)))
    sxx = float(np.sum((x - xm) ** 2))
    return {"x_mean": xm, "y_mean": ym, "sxy": sxy, "sxx": sxx}


@generator
class OLSFit(Generator):
    name = "ols.fit"
    title = T("Fit a least-squares line to a few points", "몇 개의 점에 최소제곱 직선 맞추기")
    defaults = {"n": 5}
    limits = {"n": Int(3, 10)}
    mistakes_catalog = OLS_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        x, y = _draw_points(rng, int(params["n"]))
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist(), "y": y.tolist()},
            prompt=T(
                f"Fit ŷ = w·x + b by least squares to the points x = [{numbers(x)}], y = [{numbers(y)}]. "
                "Give the slope w, the intercept b and R² = 1 − RSS/TSS of the fit.",
                f"점 x = [{numbers(x)}], y = [{numbers(y)}]에 최소제곱법으로 ŷ = w·x + b를 맞추세요. "
                "기울기 w, 절편 b, 그리고 적합의 R² = 1 − RSS/TSS를 구하세요."),
            fields=[Field("w", T("slope w", "기울기 w"), tol=COEF_TOL),
                    Field("b", T("intercept b", "절편 b"), tol=COEF_TOL),
                    Field("r2", T("R²", "R²"), tol=Tolerance(atol=0.005))],
            tables=[Table(T("Points", "점"), rows=[str(i + 1) for i in range(x.size)], cols=["x", "y"],
                          cells=[[float(a), float(c)] for a, c in zip(x, y)])],
            hints=[T("Compute x̄ and ȳ, then Sxy = Σ(x − x̄)(y − ȳ) and Sxx = Σ(x − x̄)².",
                     "x̄, ȳ를 구한 뒤 Sxy = Σ(x − x̄)(y − ȳ), Sxx = Σ(x − x̄)²을 계산하세요."),
                   T("w = Sxy / Sxx, and the line passes through (x̄, ȳ): b = ȳ − w·x̄.",
                     "w = Sxy / Sxx이고, 직선은 (x̄, ȳ)를 지납니다: b = ȳ − w·x̄."),
                   T("R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)².", "R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)².")],
        )
        s = _line(x, y)
        if s["sxy"] == 0 or abs(s["x_mean"]) < 0.5:
            raise Degenerate("flat line, or x̄ ≈ 0 (then b = ȳ)")
        fit = ols(x[:, None], y)
        if not 0.3 < fit["r2"] < 0.995:
            raise Degenerate("want a visible but imperfect fit")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _fit(self, v: Variant, **kw) -> dict:
        return ols(np.array(v.data["x"])[:, None], np.array(v.data["y"]), **kw)

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        f = self._fit(v)
        out = {"w": float(f["coef"][0]), "b": f["intercept"], "r2": f["r2"]}
        w = given(answers, "w")
        if w is not None:                      # error carried forward: b from the learner's slope
            s = _line(np.array(v.data["x"]), np.array(v.data["y"]))
            out["b"] = s["y_mean"] - w[0] * s["x_mean"]
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        x, y = np.array(v.data["x"]), np.array(v.data["y"])
        f = self._fit(v)
        f0 = self._fit(v, intercept=False)
        w = float(f["coef"][0])
        rss_ybar = float(np.sum((y - (w * x + y.mean())) ** 2))
        return {
            "ols.no-intercept": {"w": float(f0["coef"][0]), "b": 0.0, "r2": f0["r2"]},
            "ols.intercept-ybar": {"b": float(y.mean()), "r2": 1 - rss_ybar / f["tss"]},
            "ols.r2-uncentred": {"r2": 1 - f["rss"] / float(y @ y)},
        }

    def solution(self, v: Variant) -> list[Step]:
        x, y = np.array(v.data["x"]), np.array(v.data["y"])
        s, f = _line(x, y), self._fit(v)
        w, b = float(f["coef"][0]), f["intercept"]
        return [
            Step(T(f"x̄ = {fmt(s['x_mean'])}, ȳ = {fmt(s['y_mean'])}", f"x̄ = {fmt(s['x_mean'])}, ȳ = {fmt(s['y_mean'])}")),
            Step(T(f"Sxy = Σ(x − x̄)(y − ȳ) = {fmt(s['sxy'])}, Sxx = Σ(x − x̄)² = {fmt(s['sxx'])}, "
                   f"w = {fmt(s['sxy'])}/{fmt(s['sxx'])} = {fmt(w)}",
                   f"Sxy = Σ(x − x̄)(y − ȳ) = {fmt(s['sxy'])}, Sxx = Σ(x − x̄)² = {fmt(s['sxx'])}, "
                   f"w = {fmt(s['sxy'])}/{fmt(s['sxx'])} = {fmt(w)}"), ("w",)),
            Step(T(f"b = ȳ − w·x̄ = {fmt(s['y_mean'])} − {paren(w)}·{paren(s['x_mean'])} = {fmt(b)}",
                   f"b = ȳ − w·x̄ = {fmt(s['y_mean'])} − {paren(w)}·{paren(s['x_mean'])} = {fmt(b)}"), ("b",)),
            Step(T(f"fitted ŷ = [{numbers(f['fitted'])}], RSS = {fmt(f['rss'])}, TSS = {fmt(f['tss'])}, "
                   f"R² = 1 − {fmt(f['rss'])}/{fmt(f['tss'])} = {fmt(f['r2'])}",
                   f"적합값 ŷ = [{numbers(f['fitted'])}], RSS = {fmt(f['rss'])}, TSS = {fmt(f['tss'])}, "
                   f"R² = 1 − {fmt(f['rss'])}/{fmt(f['tss'])} = {fmt(f['r2'])}"), ("r2",)),
        ]


ONES_AS_ONE = Mistake("ols.ones-sum-as-1", {
    "en": "In XᵀX the entry of the column of ones with itself is Σ 1·1 = n, not 1.",
    "ko": "XᵀX에서 1로 된 열끼리의 곱은 Σ 1·1 = n이지 1이 아닙니다.",
})


def _solve2(sxx: float, sx: float, n: float, sxy: float, sy: float) -> tuple[float, float] | None:
    det = sxx * n - sx * sx
    if abs(det) < 1e-12:
        return None
    return (n * sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det


@generator
class NormalEquations(Generator):
    name = "ols.normal-equations"
    title = T("Build and solve the normal equations XᵀXβ = Xᵀy", "정규방정식 XᵀXβ = Xᵀy 세우고 풀기")
    defaults = {"n": 4}
    limits = {"n": Int(3, 10)}
    mistakes_catalog = (OLS_MISTAKES[0], ONES_AS_ONE)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        x, y = _draw_points(rng, int(params["n"]))
        n = x.size
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist(), "y": y.tolist()},
            prompt=T(
                f"With the design matrix X = [x | 1] (rows [x_i, 1]) and β = [w, b], the least-squares solution "
                f"solves XᵀX β = Xᵀy. For x = [{numbers(x)}], y = [{numbers(y)}] give the entries "
                "Σx², Σx (of XᵀX = [[Σx², Σx], [Σx, n]]), Σxy, Σy (of Xᵀy), then w and b.",
                f"설계행렬 X = [x | 1] (행 [x_i, 1]), β = [w, b] 일 때 최소제곱해는 XᵀX β = Xᵀy를 풉니다. "
                f"x = [{numbers(x)}], y = [{numbers(y)}]에 대해 XᵀX = [[Σx², Σx], [Σx, n]]의 Σx², Σx, "
                "Xᵀy의 Σxy, Σy를 구하고, w와 b를 구하세요."),
            fields=[Field("sxx", T("Σx²", "Σx²"), part="sums", tol=COEF_TOL),
                    Field("sx", T("Σx", "Σx"), part="sums", tol=COEF_TOL),
                    Field("sxy", T("Σxy", "Σxy"), part="sums", tol=COEF_TOL),
                    Field("sy", T("Σy", "Σy"), part="sums", tol=COEF_TOL),
                    Field("w", T("w", "w"), part="solve", tol=COEF_TOL),
                    Field("b", T("b", "b"), part="solve", tol=COEF_TOL)],
            tables=[Table(T("Points", "점"), rows=[str(i + 1) for i in range(n)], cols=["x", "y"],
                          cells=[[float(a), float(c)] for a, c in zip(x, y)])],
            hints=[T("XᵀX = [[Σx², Σx], [Σx, n]] and Xᵀy = [Σxy, Σy].", "XᵀX = [[Σx², Σx], [Σx, n]], Xᵀy = [Σxy, Σy]."),
                   T("For a 2×2 system [[a, c], [c, d]] β = [e, f]: det = ad − c², w = (d·e − c·f)/det, "
                     "b = (a·f − c·e)/det.",
                     "2×2 연립방정식 [[a, c], [c, d]] β = [e, f]: det = ad − c², w = (d·e − c·f)/det, "
                     "b = (a·f − c·e)/det.")],
        )
        s = _line(x, y)
        if s["sxy"] == 0 or abs(s["x_mean"]) < 0.5:
            raise Degenerate("flat line or x̄ ≈ 0")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _sums(self, v: Variant) -> dict:
        x, y = np.array(v.data["x"]), np.array(v.data["y"])
        return {"sxx": float(x @ x), "sx": float(x.sum()), "sxy": float(x @ y), "sy": float(y.sum()), "n": x.size}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        s = self._sums(v)
        f = ols(np.array(v.data["x"])[:, None], np.array(v.data["y"]))
        out = {k: s[k] for k in ("sxx", "sx", "sxy", "sy")}
        out.update(w=float(f["coef"][0]), b=f["intercept"])
        mine = given(answers, "sxx", "sx", "sxy", "sy")
        if mine is not None:                   # error carried forward: solve with the learner's sums
            sol = _solve2(mine[0], mine[1], s["n"], mine[2], mine[3])
            if sol is not None:
                out.update(w=sol[0], b=sol[1])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        s = self._sums(v)
        mine = given(answers, "sxx", "sx", "sxy", "sy")
        sxx, sx, sxy, sy = mine if mine is not None else (s["sxx"], s["sx"], s["sxy"], s["sy"])
        out = {"ols.no-intercept": {"w": sxy / sxx if sxx else 0.0, "b": 0.0}}
        sol = _solve2(sxx, sx, 1.0, sxy, sy)
        if sol is not None:
            out["ols.ones-sum-as-1"] = {"w": sol[0], "b": sol[1]}
        return out

    def solution(self, v: Variant) -> list[Step]:
        s = self._sums(v)
        e = self.expected(v)
        det = s["sxx"] * s["n"] - s["sx"] ** 2
        mat = f"[[{fmt(s['sxx'])}, {fmt(s['sx'])}], [{fmt(s['sx'])}, {s['n']}]]"
        return [
            Step(T(f"XᵀX = {mat}", f"XᵀX = {mat}"), ("sxx", "sx")),
            Step(T(f"Xᵀy = [{fmt(s['sxy'])}, {fmt(s['sy'])}]", f"Xᵀy = [{fmt(s['sxy'])}, {fmt(s['sy'])}]"),
                 ("sxy", "sy")),
            Step(T(f"det = {fmt(s['sxx'])}·{s['n']} − {paren(s['sx'])}² = {fmt(det)}; "
                   f"w = ({s['n']}·{paren(s['sxy'])} − {paren(s['sx'])}·{paren(s['sy'])})/{fmt(det)} = {fmt(e['w'])}",
                   f"det = {fmt(s['sxx'])}·{s['n']} − {paren(s['sx'])}² = {fmt(det)}; "
                   f"w = ({s['n']}·{paren(s['sxy'])} − {paren(s['sx'])}·{paren(s['sy'])})/{fmt(det)} = {fmt(e['w'])}"),
                 ("w",)),
            Step(T(f"b = ({fmt(s['sxx'])}·{paren(s['sy'])} − {paren(s['sx'])}·{paren(s['sxy'])})/{fmt(det)} = {fmt(e['b'])}",
                   f"b = ({fmt(s['sxx'])}·{paren(s['sy'])} − {paren(s['sx'])}·{paren(s['sxy'])})/{fmt(det)} = {fmt(e['b'])}"),
                 ("b",)),
        ]
