"""DBSCAN: density-based clustering with noise.

    N_ε(p) = { q : ‖p − q‖ ≤ ε }            the ε-neighbourhood, p itself included
    core    : |N_ε(p)| ≥ min_samples         (the point counts itself, as in scikit-learn)
    border  : not core, but inside N_ε of some core point
    noise   : neither (label −1)

Clusters are grown from core points: a cluster contains every core point reachable through a
chain of core points each within ε of the next, plus the border points within ε of them.
Points are visited in index order, so cluster 0 is the cluster of the lowest-index core point,
cluster 1 that of the lowest-index core point not in cluster 0, and so on. A border point near
two clusters joins the one discovered first (scikit-learn does the same).
"""

from __future__ import annotations

from collections import deque
from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.algorithms.kmeans import pairwise_distances, points_matrix
from engine.core import Algorithm, Int, Mistake, as_float, as_int
from engine.registry import algorithm


def dbscan(points: np.ndarray, eps: float, min_samples: int, *, count_self: bool = True,
           expand_from_border: bool = False) -> dict:
    n = points.shape[0]
    distances = pairwise_distances(points, points)                        # (n, n)
    neighbors = [np.flatnonzero(distances[i] <= eps) for i in range(n)]   # N_ε(i), i included
    n_neighbors = np.array([len(nb) for nb in neighbors])
    counted = n_neighbors if count_self else n_neighbors - 1
    is_core = counted >= min_samples
    labels = np.full(n, -1)
    cluster = 0
    for i in range(n):
        if labels[i] != -1 or not is_core[i]:
            continue
        labels[i] = cluster                                               # a new cluster seeded at i
        queue = deque([i])
        while queue:
            p = queue.popleft()
            if not (is_core[p] or expand_from_border):
                continue                                                  # border points do not expand
            for q in neighbors[p]:
                if labels[q] == -1:
                    labels[q] = cluster
                    queue.append(q)
        cluster += 1
    core = np.flatnonzero(is_core)
    border = np.flatnonzero(~is_core & (labels >= 0))
    noise = np.flatnonzero(labels == -1)
    out = {"labels": labels, "core": core, "border": border, "noise": noise, "is_core": is_core,
           "n_neighbors": n_neighbors, "neighbors": neighbors, "n_clusters": cluster,
           "counts": {"core": int(core.size), "border": int(border.size), "noise": int(noise.size)}}
    if n <= 30:
        out["distances"] = distances
    return out


MISTAKES = (
    Mistake("dbscan.min-samples-excluding-self", {
        "en": "You did not count the point itself in its ε-neighbourhood. With min_samples as in scikit-learn "
              "(and here), a point is core when |N_ε(p)| ≥ min_samples, and N_ε(p) includes p.",
        "ko": "점 자신을 ε-이웃에 세지 않았습니다. scikit-learn(그리고 이 문제)의 min_samples는 자기 자신을 "
              "포함해 셉니다: |N_ε(p)| ≥ min_samples이면 핵심점(core)이고, N_ε(p)에는 p도 들어갑니다.",
    }),
    Mistake("dbscan.expand-from-border", {
        "en": "You kept growing the cluster from border points. Only core points extend a cluster; a border point "
              "joins it but its own neighbours are not added through it.",
        "ko": "경계점(border)에서도 군집을 계속 확장했습니다. 군집을 넓히는 것은 핵심점(core)뿐이고, 경계점은 "
              "군집에 들어가기만 할 뿐 그 이웃들이 경계점을 통해 추가되지는 않습니다.",
    }),
)

MISTAKE_KW = {
    "dbscan.min-samples-excluding-self": {"count_self": False},
    "dbscan.expand-from-border": {"expand_from_border": True},
}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    points = points_matrix(inputs)
    eps = as_float(inputs, "eps", lo=0.0, open_lo=True)
    min_samples = as_int(inputs, "min_samples", lo=1)
    return dbscan(points, eps, min_samples, **MISTAKE_KW.get(mistake, {}))


ALGORITHM = algorithm(Algorithm(
    name="dbscan",
    title={"en": "DBSCAN density-based clustering", "ko": "DBSCAN 밀도 기반 군집화"},
    run=run,
    max_values=2000,
    limits={"min_samples": Int(1, 1000)},
    inputs={
        "points": "n×d points (or n numbers for 1-D)",
        "eps": "neighbourhood radius ε (> 0); q is a neighbour of p when ‖p − q‖ ≤ ε",
        "min_samples": "a point is core when its ε-neighbourhood, itself included, has at least this many points",
    },
    inputs_ko={
        "points": "n×d 점들(1-D이면 수 n개)",
        "eps": "이웃 반경 ε(> 0); ‖p − q‖ ≤ ε이면 q는 p의 이웃",
        "min_samples": "자기 자신을 포함해 ε-이웃에 점이 이 개수 이상 있으면 그 점은 핵심점",
    },
    example={"points": [[1, 1], [1.5, 1], [1, 1.5], [1.5, 1.5], [2.5, 1.6], [3.5, 1.8],
                        [6, 5], [6.5, 5], [6, 5.5], [6.4, 5.6], [9, 1]],
             "eps": 1.1, "min_samples": 4},
    mistakes=MISTAKES,
    summary=("labels", "core", "border", "noise", "n_clusters"),
))
