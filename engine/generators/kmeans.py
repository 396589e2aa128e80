"""K-means exercises: one Lloyd iteration by hand (assign, then move the centroids); the inertia."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.kmeans import KMEANS_MISTAKES, kmeans, pairwise_distances
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Table, Tolerance, Variant, fmt
from engine.generators._common import T, given, reject_coincident, sub
from engine.registry import generator

C_TOL = Tolerance(atol=0.01)
A_TOL = Tolerance(atol=0.1)


def pt(p) -> str:
    return "(" + ", ".join(fmt(float(c)) for c in p) + ")"


def centroids_from(points: np.ndarray, assign: np.ndarray, old: np.ndarray, median: bool = False) -> np.ndarray:
    new = old.copy()
    for j in range(old.shape[0]):
        members = points[assign == j]
        if members.shape[0]:
            new[j] = np.median(members, axis=0) if median else members.mean(axis=0)
    return new


def min_gap(points: np.ndarray, centroids: np.ndarray) -> float:
    """Smallest difference between a point's nearest and second-nearest centroid distance."""
    d = np.sort(pairwise_distances(points, centroids), axis=1)
    return float(np.min(d[:, 1] - d[:, 0]))


@generator
class KMeansStep(Generator):
    name = "kmeans.step"
    title = T("One K-means iteration: assign the points, move the centroids",
              "K-means 한 번 반복: 점 배정과 중심점 이동")
    defaults = {"n": 5}
    limits = {"n": Int(4, 12)}
    mistakes_catalog = KMEANS_MISTAKES[:2]

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        grid = np.stack(np.divmod(np.arange(100), 10), axis=1).astype(float)     # the 10×10 integer grid
        cents = grid[rng.choice(100, size=2, replace=False)]
        l2, l1 = pairwise_distances(grid, cents), pairwise_distances(grid, cents, "manhattan")
        clear = (np.abs(l2[:, 0] - l2[:, 1]) >= 0.5) & (np.abs(l1[:, 0] - l1[:, 1]) >= 0.5)
        clear &= ~np.any(np.all(grid[:, None, :] == cents[None, :, :], axis=2), axis=1)
        differ = clear & (np.argmin(l2, axis=1) != np.argmin(l1, axis=1))
        if not differ.any():
            raise Degenerate("Manhattan and Euclidean agree everywhere for these centroids")
        first = rng.choice(np.flatnonzero(differ))               # one point where the two distances disagree
        rest = rng.choice(np.setdiff1d(np.flatnonzero(clear), [first]), size=n - 1, replace=False)
        points = grid[rng.permutation(np.r_[first, rest])]
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"points": points.tolist(), "centroids": cents.tolist()},
            prompt=T(
                f"K-means with k = 2. Points: {', '.join(f'P{i + 1} {pt(p)}' for i, p in enumerate(points))}. "
                f"Current centroids: μ₁ = {pt(cents[0])}, μ₂ = {pt(cents[1])}. Do one iteration: assign each point to "
                "the nearest centroid (Euclidean distance; type 1 or 2), then give the new centroids.",
                f"k = 2인 K-means. 점: {', '.join(f'P{i + 1} {pt(p)}' for i, p in enumerate(points))}. "
                f"현재 중심점: μ₁ = {pt(cents[0])}, μ₂ = {pt(cents[1])}. 한 번 반복하세요: 각 점을 가장 가까운 중심점에 "
                "배정하고(유클리드 거리; 1 또는 2 입력), 새 중심점을 구하세요."),
            fields=[Field(f"a[{i}]", T(f"cluster of P{i + 1}", f"P{i + 1}의 군집"), part="assign", tol=A_TOL)
                    for i in range(n)]
            + [Field(f"c[{j}][{c}]", T(f"new μ{sub(j + 1)} {'xy'[c]}", f"새 μ{sub(j + 1)} {'xy'[c]}"), part="update", tol=C_TOL)
               for j in range(2) for c in range(2)],
            tables=[Table(T("Points", "점"), rows=[f"P{i + 1}" for i in range(n)], cols=["x", "y", T("cluster", "군집")],
                          cells=[[float(p[0]), float(p[1]), f"a[{i}]"] for i, p in enumerate(points)]),
                    Table(T("New centroids", "새 중심점"), rows=["μ₁", "μ₂"], cols=["x", "y"],
                          cells=[[f"c[{j}][0]", f"c[{j}][1]"] for j in range(2)])],
            hints=[T("Compare the squared distances (Δx² + Δy²) of each point to μ₁ and μ₂; the smaller one wins.",
                     "각 점에서 μ₁, μ₂까지의 거리 제곱(Δx² + Δy²)을 비교해 작은 쪽으로 배정하세요."),
                   T("Each new centroid is the mean of the points assigned to it (x and y separately).",
                     "새 중심점은 그 군집에 배정된 점들의 평균입니다(x, y 각각).")],
        )
        if min_gap(points, cents) < 0.5:
            raise Degenerate("a point is (nearly) equally far from both centroids")
        assign = np.argmin(pairwise_distances(points, cents), axis=1)
        if np.bincount(assign, minlength=2).min() == 0:
            raise Degenerate("an empty cluster")
        l1 = pairwise_distances(points, cents, "manhattan")
        if np.min(np.abs(l1[:, 0] - l1[:, 1])) < 0.5:
            raise Degenerate("ties under the Manhattan distance")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _arrays(self, v: Variant):
        return np.array(v.data["points"]), np.array(v.data["centroids"])

    def _learner_assign(self, v: Variant, answers) -> np.ndarray | None:
        n = len(v.data["points"])
        a = given(answers, *(f"a[{i}]" for i in range(n)))
        if a is None or any(round(x) not in (1, 2) for x in a):
            return None
        return np.array([round(x) - 1 for x in a])

    def _values(self, points, cents, assign, median=False) -> dict[str, float]:
        new = centroids_from(points, assign, cents, median)
        out = {f"a[{i}]": float(a + 1) for i, a in enumerate(assign)}
        out.update({f"c[{j}][{c}]": float(new[j, c]) for j in range(2) for c in range(2)})
        return out

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        points, cents = self._arrays(v)
        it = kmeans(points, cents, 1)["iterations"][0]
        out = self._values(points, cents, it["assign"])
        mine = self._learner_assign(v, answers)
        if mine is not None:                  # error carried forward: centroids of the learner's clusters
            out.update({k: x for k, x in self._values(points, cents, mine).items() if k.startswith("c")})
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        points, cents = self._arrays(v)
        manhattan = np.argmin(pairwise_distances(points, cents, "manhattan"), axis=1)
        mine = self._learner_assign(v, answers)
        right = np.argmin(pairwise_distances(points, cents), axis=1)
        med = self._values(points, cents, mine if mine is not None else right, median=True)
        return {"kmeans.manhattan": self._values(points, cents, manhattan),
                "kmeans.median": {k: x for k, x in med.items() if k.startswith("c")}}

    def solution(self, v: Variant) -> list[Step]:
        points, cents = self._arrays(v)
        d2 = pairwise_distances(points, cents) ** 2
        assign = np.argmin(d2, axis=1)
        steps = []
        for i, p in enumerate(points):
            txt = (f"P{i + 1} {pt(p)}: d² to μ₁ = {fmt(d2[i, 0])}, to μ₂ = {fmt(d2[i, 1])} → cluster {assign[i] + 1}")
            ko = (f"P{i + 1} {pt(p)}: μ₁까지 d² = {fmt(d2[i, 0])}, μ₂까지 = {fmt(d2[i, 1])} → 군집 {assign[i] + 1}")
            steps.append(Step(T(txt, ko), (f"a[{i}]",)))
        new = centroids_from(points, assign, cents)
        for j in range(2):
            members = [f"P{i + 1}" for i in range(len(points)) if assign[i] == j]
            txt = f"μ{sub(j + 1)} = mean of {', '.join(members)} = {pt(new[j])}"
            ko = f"μ{sub(j + 1)} = {', '.join(members)}의 평균 = {pt(new[j])}"
            steps.append(Step(T(txt, ko), (f"c[{j}][0]", f"c[{j}][1]")))
        return steps


AVERAGED = Mistake("kmeans.inertia-averaged", {
    "en": "You divided by the number of points. Inertia (within-cluster sum of squares) is a sum, not a mean.",
    "ko": "점의 개수로 나눴습니다. 관성(inertia, 군집 내 제곱합)은 평균이 아니라 합입니다.",
})


@generator
class KMeansInertia(Generator):
    name = "kmeans.inertia"
    title = T("K-means inertia (within-cluster sum of squares)", "K-means 관성(군집 내 제곱합)")
    defaults = {"n": 6}
    limits = {"n": Int(4, 12)}
    mistakes_catalog = (KMEANS_MISTAKES[2], AVERAGED)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        cells = rng.choice(100, size=n, replace=False)
        points = np.stack([cells // 10, cells % 10], axis=1).astype(float)
        split = rng.permutation(n) < n // 2
        if split.all() or not split.any():
            raise Degenerate("one group")
        cents = np.stack([points[split].mean(axis=0), points[~split].mean(axis=0)])
        cents = np.round(cents * 2) / 2                     # halves, shown as given
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"points": points.tolist(), "centroids": cents.tolist()},
            prompt=T(
                f"Points: {', '.join(f'P{i + 1} {pt(p)}' for i, p in enumerate(points))}. Centroids μ₁ = "
                f"{pt(cents[0])}, μ₂ = {pt(cents[1])}; each point belongs to its nearest centroid. Give the sum of "
                "squared distances within cluster 1, within cluster 2, and the total inertia.",
                f"점: {', '.join(f'P{i + 1} {pt(p)}' for i, p in enumerate(points))}. 중심점 μ₁ = {pt(cents[0])}, "
                f"μ₂ = {pt(cents[1])}; 각 점은 가장 가까운 중심점의 군집에 속합니다. 군집 1 안의 거리 제곱합, 군집 2 안의 "
                "거리 제곱합, 전체 관성(inertia)을 구하세요."),
            fields=[Field("sse[0]", T("cluster 1: Σ‖x − μ₁‖²", "군집 1: Σ‖x − μ₁‖²"), tol=C_TOL),
                    Field("sse[1]", T("cluster 2: Σ‖x − μ₂‖²", "군집 2: Σ‖x − μ₂‖²"), tol=C_TOL),
                    Field("inertia", T("inertia", "관성 (inertia)"), tol=C_TOL)],
            hints=[T("First decide the cluster of each point (nearest centroid).",
                     "먼저 각 점의 군집(가장 가까운 중심점)을 정하세요."),
                   T("Add Δx² + Δy² over the points of each cluster; inertia is the sum over both clusters.",
                     "각 군집의 점마다 Δx² + Δy²을 더하고, 관성은 두 군집의 합입니다.")],
        )
        if min_gap(points, cents) < 0.5:
            raise Degenerate("a point is nearly equally far from both centroids")
        assign = np.argmin(pairwise_distances(points, cents), axis=1)
        if np.bincount(assign, minlength=2).min() < 2:
            raise Degenerate("want at least two points per cluster")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _parts(self, v: Variant):
        points, cents = np.array(v.data["points"]), np.array(v.data["centroids"])
        d = pairwise_distances(points, cents)
        assign = np.argmin(d, axis=1)
        dist = d[np.arange(len(points)), assign]
        return points, cents, assign, dist

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        _, _, assign, dist = self._parts(v)
        sse = [float(np.sum(dist[assign == j] ** 2)) for j in range(2)]
        out = {"sse[0]": sse[0], "sse[1]": sse[1], "inertia": sse[0] + sse[1]}
        mine = given(answers, "sse[0]", "sse[1]")
        if mine is not None:                  # error carried forward: the total of the learner's parts
            out["inertia"] = mine[0] + mine[1]
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        points, _, assign, dist = self._parts(v)
        plain = [float(np.sum(dist[assign == j])) for j in range(2)]
        total = sum(float(np.sum(dist[assign == j] ** 2)) for j in range(2))
        mine = given(answers, "sse[0]", "sse[1]")
        if mine is not None:
            total = mine[0] + mine[1]
        return {"kmeans.inertia-not-squared": {"sse[0]": plain[0], "sse[1]": plain[1], "inertia": sum(plain)},
                "kmeans.inertia-averaged": {"inertia": total / len(points)}}

    def solution(self, v: Variant) -> list[Step]:
        points, cents, assign, dist = self._parts(v)
        steps = []
        for j in range(2):
            terms = [f"{fmt(dist[i] ** 2)}" for i in range(len(points)) if assign[i] == j]
            names = ", ".join(f"P{i + 1}" for i in range(len(points)) if assign[i] == j)
            total = float(np.sum(dist[assign == j] ** 2))
            steps.append(Step(T(f"Cluster {j + 1} ({names}): {' + '.join(terms)} = {fmt(total)}",
                                f"군집 {j + 1} ({names}): {' + '.join(terms)} = {fmt(total)}"), (f"sse[{j}]",)))
        e = self.expected(v)
        steps.append(Step(T(f"inertia = {fmt(e['sse[0]'])} + {fmt(e['sse[1]'])} = {fmt(e['inertia'])}",
                            f"관성 = {fmt(e['sse[0]'])} + {fmt(e['sse[1]'])} = {fmt(e['inertia'])}"), ("inertia",)))
        return steps
