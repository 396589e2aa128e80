"""Principal component analysis (PCA) and PCA whitening.

For data X (n, p):

    μ = mean of the rows                       (p,)
    X_c = X − μ                                centre first ("zero-center", seed 001)
    S = X_cᵀ X_c / (n − 1)                     sample covariance, n − 1 denominator (as np.cov)
    S v_j = λ_j v_j,  λ_1 ≥ λ_2 ≥ … ≥ 0         eigen-decomposition of the symmetric S
    explained_ratio_j = λ_j / Σ λ               (variances, i.e. squared singular values / (n−1))
    Z = X_c V_k                                 projection on the first k components (n, k)
    whitened = Z / √λ                          each column has variance 1: covariance = I

An eigenvector is only defined up to its sign; here each component is flipped so that its
entry of largest absolute value (the first such entry on a tie) is positive. With equal
eigenvalues the directions themselves are not unique.
The singular values of X_c are s_j = √((n−1) λ_j); ratios of s_j (not s_j²) are not variance ratios.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array, as_int
from engine.registry import algorithm


def fix_signs(vectors: np.ndarray) -> np.ndarray:
    """Rows are vectors; flip each so that its first largest-|entry| is positive."""
    out = vectors.copy()
    for j, v in enumerate(out):
        big = np.abs(v)
        i = int(np.flatnonzero(big >= big.max() - 1e-9 * max(1.0, big.max()))[0])
        if v[i] < 0:
            out[j] = -v
    return out


def eigen(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues descending and components as rows (sign-fixed)."""
    vals, vecs = np.linalg.eigh(cov)                      # (p,), (p, p) ascending, columns
    order = np.argsort(vals)[::-1]                            # (p,)
    vals = np.clip(vals[order], 0.0, None)                # S is PSD: negatives are round-off
    return vals, fix_signs(vecs[:, order].T)


def pca(x: np.ndarray | None, k: int, whiten: bool, cov: np.ndarray | None = None, *,
        centre: bool = True, cov_rows: bool = False, singular_ratio: bool = False, ddof: int = 1) -> dict:
    out: dict = {}
    if x is not None:
        n = x.shape[0]
        mean = x.mean(axis=0) if centre else np.zeros(x.shape[1])   # μ        (p,)
        xc = x - mean                                               # X − μ    (n, p)
        cov = xc.T @ xc / (n - ddof)                                # S        (p, p)
        if not np.all(np.isfinite(cov)):
            raise InputError("x", "values too large: the covariance overflows (rescale the data)")
        out.update(mean=mean, centered=xc)
    if cov_rows:
        # the misconception: the rows of S taken as the directions, its diagonal as the variances
        eigenvalues = np.diag(cov).copy()                     # (p,)
        norms = np.linalg.norm(cov, axis=1)                   # (p,)
        components = fix_signs(cov / np.where(norms > 0, norms, 1.0)[:, None])  # (p, p) rows
    else:
        eigenvalues, components = eigen(cov)                  # (p,), (p, p) rows
    total = float(np.sum(eigenvalues))
    if singular_ratio:
        root = np.sqrt(np.clip(eigenvalues, 0.0, None))
        explained = root / root.sum()
    else:
        explained = eigenvalues / total if total > 0 else np.full_like(eigenvalues, np.nan)
    out.update(cov=cov, eigenvalues=eigenvalues, components=components,
               explained_ratio=explained, cumulative_ratio=np.cumsum(explained), k=k, notes=[])
    if np.any(np.isclose(eigenvalues[:-1], eigenvalues[1:], rtol=1e-9, atol=1e-12)):
        out["notes"].append("two eigenvalues are equal: the directions in that eigenspace are not unique")
    if x is not None:
        n = x.shape[0]
        out["notes"].append(f"the covariance divides by n − {ddof} = {n - ddof}" +
                            (" (the sample covariance, as np.cov)" if ddof == 1 else ""))
        projected = out["centered"] @ components[:k].T              # Z = X_c V_k   (n, k)
        out["projected"] = projected
        out["singular_values"] = np.sqrt(np.clip(eigenvalues, 0.0, None) * (n - ddof))  # (p,)
        out["reconstructed"] = projected @ components[:k] + out["mean"]  # (n, p)
        if whiten:
            lam = eigenvalues[:k]
            if np.any(lam <= 1e-12 * max(1.0, float(eigenvalues[0]))):
                raise InputError("whiten", "a kept component has variance 0; it cannot be scaled to variance 1 "
                                           "(lower k)")
            out["whitened"] = projected / np.sqrt(lam)               # (n, k) covariance = I
            w = out["whitened"]
            out["whitened_cov"] = (w - w.mean(axis=0)).T @ (w - w.mean(axis=0)) / (n - 1)  # (k, k)
    return out


MISTAKES = (
    Mistake("pca.uncentred", {
        "en": "You did not subtract the mean before computing the covariance/eigenvectors. PCA needs centred data "
              "(X − μ); otherwise the first component mostly points at the mean, not along the spread.",
        "ko": "공분산/고유벡터를 구하기 전에 평균을 빼지 않았습니다. PCA는 중심화한 데이터(X − μ)에서 해야 합니다. "
              "그렇지 않으면 첫 번째 주성분이 퍼진 방향이 아니라 평균 쪽을 가리키게 됩니다.",
    }),
    Mistake("pca.cov-rows", {
        "en": "You took the rows of the covariance matrix as the principal directions and its diagonal as their "
              "variances. The directions are the eigenvectors (S v = λ v) and the variances are the eigenvalues.",
        "ko": "공분산 행렬의 행을 주성분 방향으로, 대각 원소를 그 분산으로 썼습니다. 방향은 고유벡터(S v = λ v)이고 "
              "분산은 고윳값입니다.",
    }),
    Mistake("pca.singular-ratio", {
        "en": "You took the explained-variance ratio from the singular values s_j / Σ s. The variance along a "
              "component is proportional to s_j², so the ratio is s_j² / Σ s² = λ_j / Σ λ.",
        "ko": "설명된 분산 비율을 특잇값 비율 s_j / Σ s로 계산했습니다. 주성분 방향의 분산은 s_j²에 비례하므로 "
              "비율은 s_j² / Σ s² = λ_j / Σ λ입니다.",
    }),
    Mistake("pca.cov-over-n", {
        "en": "You divided by n instead of n − 1 for the sample covariance. The ratios stay the same, but the "
              "eigenvalues (variances) are (n−1)/n times too small.",
        "ko": "표본 공분산을 n − 1 대신 n으로 나눴습니다. 비율은 같지만 고윳값(분산)이 (n−1)/n 배로 작아집니다.",
    }),
)

MISTAKE_KW = {
    "pca.uncentred": {"centre": False},
    "pca.cov-rows": {"cov_rows": True},
    "pca.singular-ratio": {"singular_ratio": True},
    "pca.cov-over-n": {"ddof": 0},
}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    whiten = inputs.get("whiten", False)
    if not isinstance(whiten, bool):
        raise InputError("whiten", "expected true or false")
    if inputs.get("x") is None and inputs.get("cov") is not None:
        cov = as_array(inputs, "cov", ndim=2)
        p = cov.shape[0]
        if cov.shape != (p, p) or not np.allclose(cov, cov.T):
            raise InputError("cov", "expected a symmetric p×p covariance matrix")
        if np.any(np.linalg.eigvalsh(cov) < -1e-9 * max(1.0, float(np.abs(cov).max()))):
            raise InputError("cov", "a covariance matrix cannot have negative eigenvalues")
        if whiten:
            raise InputError("whiten", "whitening needs the data x, not only cov")
        if mistake in ("pca.uncentred", "pca.cov-over-n"):
            raise InputError("mistake", f"{mistake} needs the data x, not only cov")
        k = as_int(inputs, "k", default=p, lo=1, hi=p)
        return pca(None, k, False, cov=(cov + cov.T) / 2, **MISTAKE_KW.get(mistake, {}))
    x = as_array(inputs, "x", ndim=2)
    n, p = x.shape
    if n < 2:
        raise InputError("x", "need at least 2 rows to estimate a covariance")
    k = as_int(inputs, "k", default=p, lo=1, hi=p)
    return pca(x, k, whiten, **MISTAKE_KW.get(mistake, {}))


ALGORITHM = algorithm(Algorithm(
    name="pca",
    title={"en": "Principal component analysis (PCA) and whitening", "ko": "주성분 분석(PCA)과 화이트닝"},
    run=run,
    inputs={
        "x": "data, n×p rows (n ≥ 2)",
        "cov": "instead of x: a p×p covariance matrix (eigenvalues/components only)",
        "k": "number of components to keep (default p)",
        "whiten": "also return the whitened projection, each component scaled to variance 1 (default false)",
    },
    inputs_ko={
        "x": "데이터, n×p 행(n ≥ 2)",
        "cov": "x 대신: p×p 공분산 행렬(고윳값/주성분만 계산)",
        "k": "남길 주성분 수(기본 p)",
        "whiten": "각 주성분의 분산을 1로 맞춘 백색화 투영도 반환(기본 false)",
    },
    example={"x": [[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0],
                   [2.3, 2.7], [2.0, 1.6], [1.0, 1.1], [1.5, 1.6], [1.1, 0.9]],
             "k": 1, "whiten": True},
    mistakes=MISTAKES,
    summary=("mean", "cov", "eigenvalues", "components", "explained_ratio"),
))
