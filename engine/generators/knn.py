"""k-NN exercises: distances to the query and the majority vote; how the prediction changes with k."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.kmeans import KNN_MISTAKES, knn, pairwise_distances
from engine.core import Degenerate, Field, Generator, Int, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, reject_coincident
from engine.generators.kmeans import pt
from engine.registry import generator

D_TOL = Tolerance(atol=0.01)
CLASS_TOL = Tolerance(atol=0.1)


def _draw(rng: np.random.Generator, n: int):
    cells = rng.choice(100, size=n + 1, replace=False)
    grid = np.stack([cells // 10, cells % 10], axis=1).astype(float)
    points, query = grid[:n], grid[n]
    labels = rng.integers(0, 2, size=n)
    if labels.min() == labels.max():
        raise Degenerate("want both classes")
    return points, labels, query


def _vote(order: np.ndarray, labels: np.ndarray, k: int) -> int:
    votes = np.bincount(labels[order[:k]], minlength=2)
    return int(np.argmax(votes))          # k odd with two classes: no ties


def _order(dist: np.ndarray) -> np.ndarray:
    return np.lexsort((np.arange(dist.size), dist))


def _margin_ok(dist: np.ndarray, ks) -> bool:
    s = np.sort(dist)
    return all(s[k] - s[k - 1] >= 0.3 for k in ks if k < s.size)


@generator
class KNNPredict(Generator):
    name = "knn.predict"
    title = T("k-NN: distances and the majority vote", "k-NN: 거리와 다수결")
    defaults = {"n": 6, "k": 3}
    limits = {"n": Int(4, 12), "k": Int(1, 3)}
    mistakes_catalog = KNN_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n, k = int(params["n"]), int(params["k"])
        points, labels, query = _draw(rng, n)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"points": points.tolist(), "labels": labels.tolist(), "query": query.tolist(), "k": k},
            prompt=T(
                "Training points (class): " + ", ".join(f"P{i + 1} {pt(p)} ({c})" for i, (p, c) in
                                                         enumerate(zip(points, labels)))
                + f". Give the Euclidean distance from the query q = {pt(query)} to every point, then the class "
                  f"predicted by {k}-NN (majority vote of the {k} nearest).",
                "학습 데이터(클래스): " + ", ".join(f"P{i + 1} {pt(p)} ({c})" for i, (p, c) in
                                               enumerate(zip(points, labels)))
                + f". 질의점 q = {pt(query)}에서 각 점까지의 유클리드 거리를 구하고, {k}-NN(가장 가까운 {k}개의 다수결)이 "
                  "예측하는 클래스를 구하세요."),
            fields=[Field(f"d[{i}]", T(f"distance to P{i + 1}", f"P{i + 1}까지 거리"), part="distances", tol=D_TOL)
                    for i in range(n)]
            + [Field("prediction", T("predicted class (0 or 1)", "예측 클래스 (0 또는 1)"), part="vote", tol=CLASS_TOL)],
            tables=[Table(T("Training points", "학습 데이터"), rows=[f"P{i + 1}" for i in range(n)],
                          cols=["x", "y", T("class", "클래스"), T("distance", "거리")],
                          cells=[[float(p[0]), float(p[1]), int(c), f"d[{i}]"]
                                 for i, (p, c) in enumerate(zip(points, labels))])],
            hints=[T("d = √(Δx² + Δy²).", "d = √(Δx² + Δy²)."),
                   T(f"Take the {k} smallest distances and count their classes.",
                     f"거리가 가장 작은 {k}개를 골라 클래스를 세세요.")],
        )
        dist = pairwise_distances(points, query[None, :])[:, 0]
        if not _margin_ok(dist, [k]) or not _margin_ok(pairwise_distances(points, query[None, :], "manhattan")[:, 0], [k]):
            raise Degenerate("the k-th and (k+1)-th neighbours are nearly equally far")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _arrays(self, v: Variant):
        d = v.data
        return np.array(d["points"]), np.array(d["labels"]), np.array(d["query"]), d["k"]

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        points, labels, query, k = self._arrays(v)
        res = knn(points, labels.tolist(), query, k)
        out = {f"d[{i}]": float(x) for i, x in enumerate(res["distances"])}
        out["prediction"] = float(res["prediction"])
        mine = given(answers, *(f"d[{i}]" for i in range(len(labels))))
        if mine is not None:                  # error carried forward: vote among the learner's nearest
            out["prediction"] = float(_vote(_order(np.array(mine)), labels, k))
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        points, labels, query, k = self._arrays(v)
        l1 = pairwise_distances(points, query[None, :], "manhattan")[:, 0]
        mine = given(answers, *(f"d[{i}]" for i in range(len(labels))))
        dist = np.array(mine) if mine is not None else pairwise_distances(points, query[None, :])[:, 0]
        out = {"knn.manhattan": {f"d[{i}]": float(x) for i, x in enumerate(l1)}}
        out["knn.manhattan"]["prediction"] = float(_vote(_order(l1), labels, k))
        out["knn.farthest"] = {"prediction": float(_vote(_order(-dist), labels, k))}
        return out

    def solution(self, v: Variant) -> list[Step]:
        points, labels, query, k = self._arrays(v)
        res = knn(points, labels.tolist(), query, k)
        steps = []
        for i, p in enumerate(points):
            dx, dy = p - query
            txt = f"P{i + 1}: √({paren(dx)}² + {paren(dy)}²) = √{fmt(dx * dx + dy * dy)} = {fmt(res['distances'][i])}"
            steps.append(Step(T(txt, txt), (f"d[{i}]",)))
        near = ", ".join(f"P{i + 1} (class {labels[i]})" for i in res["neighbors"])
        near_ko = ", ".join(f"P{i + 1} (클래스 {labels[i]})" for i in res["neighbors"])
        steps.append(Step(T(f"The {k} nearest: {near} → class {res['prediction']}",
                            f"가장 가까운 {k}개: {near_ko} → 클래스 {res['prediction']}"), ("prediction",)))
        return steps


@generator
class KNNChoiceOfK(Generator):
    name = "knn.k-effect"
    title = T("k-NN: the prediction for k = 1, 3, 5", "k-NN: k = 1, 3, 5일 때의 예측")
    defaults = {"n": 7}
    limits = {"n": Int(5, 12)}
    mistakes_catalog = KNN_MISTAKES
    ks = (1, 3, 5)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        points, labels, query = _draw(rng, n)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"points": points.tolist(), "labels": labels.tolist(), "query": query.tolist()},
            prompt=T(
                "Training points (class): " + ", ".join(f"P{i + 1} {pt(p)} ({c})" for i, (p, c) in
                                                         enumerate(zip(points, labels)))
                + f". Which class does k-NN (Euclidean distance, majority vote) predict for q = {pt(query)} "
                  "with k = 1, k = 3 and k = 5?",
                "학습 데이터(클래스): " + ", ".join(f"P{i + 1} {pt(p)} ({c})" for i, (p, c) in
                                               enumerate(zip(points, labels)))
                + f". 질의점 q = {pt(query)}에 대해 k-NN(유클리드 거리, 다수결)이 k = 1, 3, 5일 때 각각 어떤 클래스를 "
                  "예측하나요?"),
            fields=[Field(f"pred_k{k}", T(f"class for k = {k}", f"k = {k}일 때 클래스"), tol=CLASS_TOL) for k in self.ks],
            hints=[T("Rank the points by distance to q once; squared distances give the same order.",
                     "q까지의 거리로 점들의 순위를 한 번 매기세요. 거리 제곱으로도 순서는 같습니다."),
                   T("For each k, take the first k of that ranking and vote.",
                     "각 k마다 그 순위의 앞쪽 k개로 다수결을 하세요.")],
        )
        dist = pairwise_distances(points, query[None, :])[:, 0]
        if not _margin_ok(dist, self.ks):
            raise Degenerate("a neighbour at the k boundary is nearly tied")
        e = self.expected(v)
        if len(set(e.values())) < 2:
            raise Degenerate("the same class for every k")
        reject_coincident(v, e, self.mistakes(v))
        return v

    def _preds(self, v: Variant, metric: str = "euclidean", farthest: bool = False) -> dict[str, float]:
        d = v.data
        dist = pairwise_distances(np.array(d["points"]), np.array(d["query"])[None, :], metric)[:, 0]
        order = _order(-dist if farthest else dist)
        return {f"pred_k{k}": float(_vote(order, np.array(d["labels"]), k)) for k in self.ks}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return self._preds(v)

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {"knn.farthest": self._preds(v, farthest=True)}
        d = v.data
        l1 = pairwise_distances(np.array(d["points"]), np.array(d["query"])[None, :], "manhattan")[:, 0]
        manhattan = self._preds(v, "manhattan")
        if _margin_ok(l1, self.ks) and manhattan != self._preds(v):   # only where it changes a prediction
            out["knn.manhattan"] = manhattan
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        points, labels, query = np.array(d["points"]), np.array(d["labels"]), np.array(d["query"])
        d2 = np.sum((points - query) ** 2, axis=1)
        order = _order(d2)
        rank = ", ".join(f"P{i + 1} (d² = {fmt(d2[i])}, class {labels[i]})" for i in order)
        rank_ko = ", ".join(f"P{i + 1} (d² = {fmt(d2[i])}, 클래스 {labels[i]})" for i in order)
        steps = [Step(T(f"By distance: {rank}", f"거리순: {rank_ko}"))]
        for k in self.ks:
            votes = np.bincount(labels[order[:k]], minlength=2)
            pred = int(np.argmax(votes))
            steps.append(Step(T(f"k = {k}: votes class 0: {votes[0]}, class 1: {votes[1]} → {pred}",
                                f"k = {k}: 클래스 0 {votes[0]}표, 클래스 1 {votes[1]}표 → {pred}"), (f"pred_k{k}",)))
        return steps
