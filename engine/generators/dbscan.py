"""DBSCAN exercises on a number line: ε-neighbourhood counts, then core/border/noise and clusters."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.dbscan import MISTAKES as DBSCAN_MISTAKES
from engine.algorithms.dbscan import dbscan
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Tolerance, Variant, fmt
from engine.generators._common import T, given, numbers, reject_coincident
from engine.registry import generator

COUNT_TOL = Tolerance(atol=0.1)

STRICT_EPS = Mistake("dbscan.strict-eps", {
    "en": "You left out the points at distance exactly ε. The ε-neighbourhood is closed: ‖p − q‖ ≤ ε.",
    "ko": "거리가 정확히 ε인 점을 뺐습니다. ε-이웃은 경계를 포함합니다: ‖p − q‖ ≤ ε.",
})


def _run(v: Variant, **kw) -> dict:
    d = v.data
    return dbscan(np.array(d["points"], dtype=float)[:, None], d["eps"], d["min_samples"], **kw)


@generator
class DBSCANNeighbors(Generator):
    name = "dbscan.neighbors"
    title = T("DBSCAN: ε-neighbourhood sizes and core points", "DBSCAN: ε-이웃의 크기와 핵심점")
    defaults = {"n": 6, "min_samples": 3}
    limits = {"n": Int(5, 14), "min_samples": Int(2, 5)}
    mistakes_catalog = (DBSCAN_MISTAKES[0], STRICT_EPS)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n, ms = int(params["n"]), int(params["min_samples"])
        eps = float(rng.choice([2, 3]))
        pts = np.sort(rng.choice(np.arange(0, 2 * n + 3), size=n, replace=False)).astype(float)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"points": pts.tolist(), "eps": eps, "min_samples": ms},
            prompt=T(
                f"Points on a line: {', '.join(f'P{i + 1} = {p:g}' for i, p in enumerate(pts))}. DBSCAN with "
                f"ε = {eps:g} and min_samples = {ms} (a point counts itself, as in scikit-learn). For each point give "
                "|N_ε(P)|, the number of points within distance ≤ ε (itself included); then the number of core points.",
                f"직선 위의 점: {', '.join(f'P{i + 1} = {p:g}' for i, p in enumerate(pts))}. ε = {eps:g}, "
                f"min_samples = {ms}인 DBSCAN (scikit-learn처럼 자기 자신도 셉니다). 각 점의 |N_ε(P)| (거리 ≤ ε인 점의 "
                "수, 자기 포함)를 구하고, 핵심점(core)의 개수를 구하세요."),
            fields=[Field(f"count[{i}]", T(f"|N_ε(P{i + 1})|", f"|N_ε(P{i + 1})|"), part="counts", tol=COUNT_TOL)
                    for i in range(n)]
            + [Field("n_core", T("number of core points", "핵심점 개수"), part="core", tol=COUNT_TOL)],
            hints=[T("Distances on a line are |p − q|; include the point itself and the points at exactly ε.",
                     "직선 위의 거리는 |p − q|입니다. 자기 자신과 거리가 정확히 ε인 점도 포함하세요."),
                   T(f"A point is core when |N_ε| ≥ {ms}.", f"|N_ε| ≥ {ms}이면 핵심점입니다.")],
        )
        diffs = np.abs(pts[:, None] - pts[None, :])
        if not np.any(diffs == eps):
            raise Degenerate("no pair exactly ε apart (the ≤ vs < mistake would be invisible)")
        r = _run(v)
        if r["counts"]["core"] in (0, n):
            raise Degenerate("all or no points are core")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _vals(self, counts: np.ndarray, counted: np.ndarray, ms: int) -> dict[str, float]:
        out = {f"count[{i}]": float(c) for i, c in enumerate(counts)}
        out["n_core"] = float(np.sum(counted >= ms))
        return out

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        r = _run(v)
        ms = v.data["min_samples"]
        out = self._vals(r["n_neighbors"], r["n_neighbors"], ms)
        mine = given(answers, *(f"count[{i}]" for i in range(len(v.data["points"]))))
        if mine is not None:                   # error carried forward: core points from the learner's counts
            out["n_core"] = float(np.sum(np.round(mine) >= ms))
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        pts, ms = np.array(d["points"]), d["min_samples"]
        counts = _run(v)["n_neighbors"]
        strict = np.sum(np.abs(pts[:, None] - pts[None, :]) < d["eps"], axis=1)
        return {"dbscan.min-samples-excluding-self": self._vals(counts - 1, counts - 1, ms),
                "dbscan.strict-eps": self._vals(strict, strict, ms)}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        pts, eps, ms = np.array(d["points"]), d["eps"], d["min_samples"]
        r = _run(v)
        steps = []
        for i, p in enumerate(pts):
            nb = [f"P{j + 1}" for j in r["neighbors"][i]]
            txt = f"P{i + 1} = {p:g}: within [{p - eps:g}, {p + eps:g}] → {', '.join(nb)} → {len(nb)}"
            ko = f"P{i + 1} = {p:g}: [{p - eps:g}, {p + eps:g}] 안 → {', '.join(nb)} → {len(nb)}"
            steps.append(Step(T(txt, ko), (f"count[{i}]",)))
        core = ", ".join(f"P{i + 1}" for i in r["core"])
        steps.append(Step(T(f"|N_ε| ≥ {ms}: {core} → {_n(r['counts']['core'], 'core point')}",
                            f"|N_ε| ≥ {ms}: {core} → 핵심점 {r['counts']['core']}개"), ("n_core",)))
        return steps


@generator
class DBSCANLabels(Generator):
    name = "dbscan.labels"
    title = T("DBSCAN: clusters, core, border and noise points", "DBSCAN: 군집, 핵심점, 경계점, 잡음점")
    defaults = {"n": 10, "min_samples": 4}
    limits = {"n": Int(8, 14), "min_samples": Int(3, 5)}
    mistakes_catalog = DBSCAN_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n, ms = int(params["n"]), int(params["min_samples"])
        eps = 2.0
        gaps = rng.choice([1, 1, 1, 2, 2, 2, 4], size=n - 1)
        pts = np.cumsum(np.r_[int(rng.integers(0, 4)), gaps]).astype(float)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"points": pts.tolist(), "eps": eps, "min_samples": ms},
            prompt=T(
                f"DBSCAN on the points x = [{numbers(pts)}] with ε = {eps:g} and min_samples = {ms} (the point itself "
                "counts; neighbours at distance ≤ ε). How many clusters are there, and how many core, border and "
                "noise points?",
                f"점 x = [{numbers(pts)}]에 ε = {eps:g}, min_samples = {ms}인 DBSCAN을 적용합니다(자기 자신도 세고, "
                "거리 ≤ ε이면 이웃). 군집은 몇 개이고, 핵심점·경계점·잡음점은 각각 몇 개인가요?"),
            fields=[Field("n_clusters", T("clusters", "군집 수"), tol=COUNT_TOL),
                    Field("n_core", T("core points", "핵심점 수"), tol=COUNT_TOL),
                    Field("n_border", T("border points", "경계점 수"), tol=COUNT_TOL),
                    Field("n_noise", T("noise points", "잡음점 수"), tol=COUNT_TOL)],
            hints=[T(f"Count each point's neighbours within {eps:g} (itself included): core when ≥ {ms}.",
                     f"각 점에서 {eps:g} 이내의 이웃을 세세요(자기 포함): {ms}개 이상이면 핵심점."),
                   T("Core points within ε of each other share a cluster; a non-core point within ε of a core "
                     "point is border; the rest is noise.",
                     "서로 ε 안에 있는 핵심점들은 같은 군집입니다. 핵심점의 ε 안에 있는 비핵심점은 경계점, 나머지는 "
                     "잡음점입니다.")],
        )
        r = _run(v)
        c = r["counts"]
        if r["n_clusters"] == 0 or c["border"] == 0 or c["noise"] == 0:
            raise Degenerate("want clusters, border and noise points")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    @staticmethod
    def _vals(r: dict) -> dict[str, float]:
        c = r["counts"]
        return {"n_clusters": float(r["n_clusters"]), "n_core": float(c["core"]),
                "n_border": float(c["border"]), "n_noise": float(c["noise"])}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return self._vals(_run(v))

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {"dbscan.min-samples-excluding-self": self._vals(_run(v, count_self=False))}
        # with min_samples ≤ 3 a border point (fewer than 3 points within ε, itself included) has one
        # other neighbour: the core point it hangs on, so expanding from it adds nothing (in any
        # dimension). That mistake cannot show then and is not looked for.
        if v.data["min_samples"] >= 4:
            out["dbscan.expand-from-border"] = self._vals(_run(v, expand_from_border=True))
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        pts = d["points"]
        r = _run(v)
        counts = ", ".join(f"{p:g}: {c}" for p, c in zip(pts, r["n_neighbors"]))
        steps = [Step(T(f"|N_ε| per point — {counts}", f"점별 |N_ε| — {counts}"))]

        def at(idx) -> str:
            return "x = " + ", ".join(fmt(pts[i]) for i in idx) if len(idx) else "none"

        def at_ko(idx) -> str:
            return "x = " + ", ".join(fmt(pts[i]) for i in idx) if len(idx) else "없음"

        c = r["counts"]
        n_core, n_border, n_noise, n_clusters = c["core"], c["border"], c["noise"], r["n_clusters"]
        ms = d["min_samples"]
        steps.append(Step(T(f"Core points (|N_ε| ≥ {ms}): {at(r['core'])} → {_n(n_core, 'core point')}",
                            f"핵심점 (|N_ε| ≥ {ms}): {at_ko(r['core'])} → 핵심점 {n_core}개"), ("n_core",)))
        groups = []
        for k in range(n_clusters):
            groups.append("{" + ", ".join(fmt(pts[i]) for i in np.flatnonzero(r["labels"] == k)) + "}")
        steps.append(Step(T(f"Clusters grown from the core points: {' '.join(groups)} → {_n(n_clusters, 'cluster')}",
                            f"핵심점에서 확장한 군집: {' '.join(groups)} → 군집 {n_clusters}개"), ("n_clusters",)))
        steps.append(Step(T(f"Border points (not core, within ε of a core point): {at(r['border'])} "
                            f"→ {_n(n_border, 'border point')}",
                            f"경계점 (핵심점의 ε 안에 있는 비핵심점): {at_ko(r['border'])} → 경계점 {n_border}개"),
                          ("n_border",)))
        steps.append(Step(T(f"Noise points (the rest): {at(r['noise'])} → {_n(n_noise, 'noise point')}",
                            f"잡음점 (나머지): {at_ko(r['noise'])} → 잡음점 {n_noise}개"), ("n_noise",)))
        return steps


def _n(k: int, what: str) -> str:
    """``1 cluster``, ``3 clusters``."""
    return f"{k} {what}{'' if k == 1 else 's'}"
