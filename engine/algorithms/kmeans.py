"""K-means (Lloyd's algorithm, unsupervised) and k-nearest neighbours (k-NN, supervised).

K-means, points x_i ∈ ℝ^d (n, d), centroids μ_j (k, d); one iteration:

    assignment:  c_i = argmin_j ‖x_i − μ_j‖          (ties → the lower cluster index)
    update:      μ_j = mean of the points with c_i = j  (an empty cluster keeps its old centroid)
    inertia:     J = Σ_i ‖x_i − μ_{c_i}‖²              (after the update; it never increases)

It stops when the assignment no longer changes (then the centroids do not move either).

k-NN: sort the training points by their distance ‖x_i − q‖ to the query q (ties → lower index),
take the k nearest, and predict the label with the most votes; a tie in the vote goes to the tied
label whose nearest member is closest to q.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_array, as_int
from engine.registry import algorithm


def pairwise_distances(points: np.ndarray, centres: np.ndarray, metric: str = "euclidean") -> np.ndarray:
    diff = points[:, None, :] - centres[None, :, :]          # (n, k, d)
    if metric == "manhattan":
        return np.sum(np.abs(diff), axis=2)
    return np.sqrt(np.sum(diff ** 2, axis=2))                # (n, k)


def kmeans(points: np.ndarray, centroids: np.ndarray, iterations: int, *,
           metric: str = "euclidean", centre: str = "mean", squared_inertia: bool = True) -> dict:
    its = []
    assign_prev = None
    converged = False
    for _ in range(iterations):
        distances = pairwise_distances(points, centroids, metric)      # (n, k)
        assign = np.argmin(distances, axis=1)                          # (n,) first minimum on ties
        new = centroids.copy()
        empty = []
        for j in range(centroids.shape[0]):
            members = points[assign == j]
            if members.shape[0] == 0:
                empty.append(j)                                        # keeps its centroid
            else:
                new[j] = np.median(members, axis=0) if centre == "median" else members.mean(axis=0)
        d_new = np.sqrt(np.sum((points - new[assign]) ** 2, axis=1))
        inertia = float(np.sum(d_new ** 2) if squared_inertia else np.sum(d_new))
        its.append({"centroids_before": centroids, "distances": distances, "assign": assign,
                    "centroids": new, "inertia": inertia, "empty": empty,
                    "counts": np.bincount(assign, minlength=centroids.shape[0])})
        scale = 1e-12 * max(1.0, float(np.max(np.abs(points))))
        moved = not np.allclose(new, centroids, rtol=0.0, atol=scale)
        centroids = new
        if not moved or (assign_prev is not None and np.array_equal(assign, assign_prev)):
            converged = True                                           # the next pass would change nothing
            break
        assign_prev = assign
    notes = []
    if any(it["empty"] for it in its):
        notes.append("a cluster got no points in some iteration; it kept its previous centroid")
    for it in its:
        if it["distances"].shape[1] > 1:
            two = np.sort(it["distances"], axis=1)[:, :2]
            if np.any(np.isclose(two[:, 0], two[:, 1])):
                notes.append("some point was equally far from two centroids; it went to the lower cluster index")
                break
    return {"iterations": its, "assign": its[-1]["assign"], "centroids": centroids,
            "inertia": its[-1]["inertia"], "converged": converged, "n_iterations": len(its), "notes": notes}


KMEANS_MISTAKES = (
    Mistake("kmeans.manhattan", {
        "en": "You assigned the points by Manhattan distance |Δx| + |Δy|. K-means uses the Euclidean distance "
              "√(Δx² + Δy²) (its objective is the sum of squared Euclidean distances).",
        "ko": "맨해튼 거리 |Δx| + |Δy|로 배정했습니다. K-means는 유클리드 거리 √(Δx² + Δy²)을 씁니다 "
              "(목적함수가 유클리드 거리 제곱의 합이기 때문입니다).",
    }),
    Mistake("kmeans.median", {
        "en": "You moved each centroid to the median of its points. K-means uses the mean (that is what "
              "minimises the squared distances); the median belongs to K-medians.",
        "ko": "중심점을 소속 점들의 중앙값(median)으로 옮겼습니다. K-means는 평균(mean)을 씁니다 "
              "(거리 제곱합을 최소로 만드는 값이 평균입니다). 중앙값은 K-medians 방식입니다.",
    }),
    Mistake("kmeans.inertia-not-squared", {
        "en": "You added up the distances themselves. Inertia is the sum of squared distances Σ‖x − μ‖².",
        "ko": "거리 자체를 더했습니다. 관성(inertia)은 거리 제곱의 합 Σ‖x − μ‖²입니다.",
    }),
)

KMEANS_KW = {
    "kmeans.manhattan": {"metric": "manhattan"},
    "kmeans.median": {"centre": "median"},
    "kmeans.inertia-not-squared": {"squared_inertia": False},
}


def points_matrix(inputs: Mapping[str, Any], key: str = "points") -> np.ndarray:
    pts = as_array(inputs, key, ndim=(1, 2))
    return pts[:, None] if pts.ndim == 1 else pts


def run_kmeans(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, KMEANS_MISTAKES)
    points = points_matrix(inputs)
    centroids = as_array(inputs, "centroids", ndim=(1, 2))
    if centroids.ndim == 1:
        centroids = centroids[:, None] if points.shape[1] == 1 else centroids[None, :]
    if centroids.shape[1] != points.shape[1]:
        raise InputError("centroids", f"each centroid needs {points.shape[1]} coordinates (like the points), "
                                      f"got {centroids.shape[1]}")
    iterations = as_int(inputs, "iterations", default=10, lo=1, hi=1000)
    return kmeans(points, centroids.copy(), iterations, **KMEANS_KW.get(mistake, {}))


KMEANS = algorithm(Algorithm(
    name="kmeans",
    title={"en": "K-means clustering (Lloyd's algorithm)", "ko": "K-means 군집화 (로이드 알고리즘)"},
    run=run_kmeans,
    limits={"iterations": Int(1, 300)},
    inputs={
        "points": "n×d points (or n numbers for 1-D)",
        "centroids": "k×d starting centroids",
        "iterations": "at most this many iterations (default 10); stops early when the assignment repeats",
    },
    inputs_ko={
        "points": "n×d 점들(1-D이면 수 n개)",
        "centroids": "k×d 시작 중심점",
        "iterations": "최대 반복 횟수(기본 10); 배정이 이전과 같으면 일찍 멈춤",
    },
    example={"points": [[1, 1], [1.5, 2], [3, 4], [5, 7], [3.5, 5], [4.5, 5], [3.5, 4.5]],
             "centroids": [[1, 1], [5, 7]], "iterations": 10},
    mistakes=KMEANS_MISTAKES,
    summary=("assign", "centroids", "inertia", "converged"),
))


# =========================================================================== k-NN


def knn(points: np.ndarray, labels: list, query: np.ndarray, k: int, *, metric: str = "euclidean",
        farthest: bool = False) -> dict:
    distances = pairwise_distances(points, query[None, :], metric)[:, 0]        # (n,)
    key = -distances if farthest else distances
    order = np.lexsort((np.arange(distances.shape[0]), key))                   # by distance, then index
    neighbors = order[:k]
    votes: dict = {}
    for i in neighbors:
        votes[labels[i]] = votes.get(labels[i], 0) + 1
    top = max(votes.values())
    tied = [lab for lab in votes if votes[lab] == top]                        # in order of first (nearest) vote
    notes = []
    if len(tied) > 1:
        notes.append(f"the vote is tied between {', '.join(map(str, tied))}; the label of the nearest tied neighbour wins")
    if k < distances.shape[0] and np.isclose(distances[order[k - 1]], distances[order[k]]):
        notes.append("the k-th and (k+1)-th neighbours are equally far; the lower index was taken")
    return {"distances": distances, "order": order, "neighbors": neighbors,
            "neighbor_labels": [labels[i] for i in neighbors],
            "neighbor_distances": distances[neighbors],
            "votes": votes, "prediction": tied[0], "notes": notes}


KNN_MISTAKES = (
    Mistake("knn.manhattan", {
        "en": "You measured Manhattan distance |Δx| + |Δy|. The usual k-NN (and this exercise) uses the "
              "Euclidean distance √(Δx² + Δy²); the two can rank the neighbours differently.",
        "ko": "맨해튼 거리 |Δx| + |Δy|를 썼습니다. 일반적인 k-NN(이 문제)은 유클리드 거리 √(Δx² + Δy²)을 쓰며, "
              "두 거리는 이웃의 순위를 다르게 만들 수 있습니다.",
    }),
    Mistake("knn.farthest", {
        "en": "You sorted the distances in descending order and took the k farthest points. "
              "k-NN takes the k smallest distances.",
        "ko": "거리를 내림차순으로 정렬해 가장 먼 k개를 골랐습니다. k-NN은 거리가 가장 작은 k개를 씁니다.",
    }),
)

KNN_KW = {"knn.manhattan": {"metric": "manhattan"}, "knn.farthest": {"farthest": True}}


def run_knn(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, KNN_MISTAKES)
    points = points_matrix(inputs)
    n, d = points.shape
    labels = inputs.get("labels")
    if not isinstance(labels, (list, tuple)) or len(labels) != n:
        raise InputError("labels", f"expected a list of {n} labels (one per point)")
    out_labels = []
    for i, lab in enumerate(labels):
        if isinstance(lab, bool) or not isinstance(lab, (int, float, str)):
            raise InputError("labels", f"label {i} must be a number or a string")
        out_labels.append(int(lab) if isinstance(lab, float) and lab.is_integer() else lab)
    query = as_array(inputs, "query", ndim=(0, 1))
    query = np.atleast_1d(query)
    if query.shape[0] != d:
        raise InputError("query", f"expected {d} coordinates (like the points), got {query.shape[0]}")
    k = as_int(inputs, "k", lo=1, hi=n)
    return knn(points, out_labels, query, k, **KNN_KW.get(mistake, {}))


KNN = algorithm(Algorithm(
    name="knn",
    title={"en": "k-nearest neighbours (k-NN) classification", "ko": "k-최근접 이웃(k-NN) 분류"},
    run=run_knn,
    inputs={
        "points": "n×d training points",
        "labels": "n class labels (numbers or strings)",
        "query": "the point to classify (d numbers)",
        "k": "number of neighbours, 1 ≤ k ≤ n",
    },
    inputs_ko={
        "points": "n×d 학습 점들",
        "labels": "클래스 라벨 n개(수 또는 문자열)",
        "query": "분류할 점(수 d개)",
        "k": "이웃 수, 1 ≤ k ≤ n",
    },
    example={"points": [[1, 1], [2, 1], [1, 3], [4, 4], [5, 3], [4, 5]],
             "labels": ["A", "A", "A", "B", "B", "B"], "query": [3, 3], "k": 3},
    mistakes=KNN_MISTAKES,
    summary=("neighbors", "votes", "prediction"),
))
