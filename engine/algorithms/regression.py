"""Ordinary least squares (OLS) by the normal equations.

With the design matrix X = [x | 1] (the feature columns, then a column of ones for the
intercept, as in the notes of seed 001) and β = [w_1 … w_p, b]:

    Cost(β) = Σ_i (y_i − x_i β)² = ‖y − Xβ‖²
    ∂Cost/∂β = −2 Xᵀ(y − Xβ) = 0   ⇒   XᵀX β = Xᵀy   ⇒   β = (XᵀX)⁻¹ Xᵀy

For one feature this is  w = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²,  b = ȳ − w·x̄  (seed 002).
XᵀX is singular when a column is a linear combination of the others (with the intercept, a
constant column or, e.g., X₂ = X₁ + 2): then no unique β exists and the input is rejected.

The system is solved with the columns scaled to unit length first (D = diag(1/‖X_j‖),
(D XᵀX D) z = D Xᵀy, β = D z): the same normal equations, better conditioned when the columns
have very different sizes (mileage in km next to engine size in litres).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.algorithms.metrics import vector
from engine.core import Algorithm, InputError, Mistake, as_array
from engine.registry import algorithm


def design_matrix(x: np.ndarray, intercept: bool = True) -> np.ndarray:
    """(n, p) features → (n, p+1) design [x | 1] (or (n, p) without the intercept)."""
    return np.column_stack([x, np.ones(x.shape[0])]) if intercept else x.copy()


def solve_normal_equations(X: np.ndarray, y: np.ndarray) -> dict:
    xtx = X.T @ X                                  # (q, q)
    xty = X.T @ y                                  # (q,)
    if not (np.all(np.isfinite(xtx)) and np.all(np.isfinite(xty))):
        raise InputError("x", "values too large: XᵀX overflows (rescale the data)")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise InputError("x", "the columns of the design matrix are linearly dependent, so XᵀX is singular "
                              "and β is not unique (a constant or duplicated column, a column that is a sum of "
                              "others, or fewer points than parameters)")
    scale = 1.0 / np.sqrt(np.diag(xtx))            # D: 1/‖X_j‖
    z = np.linalg.solve(xtx * np.outer(scale, scale), xty * scale)
    beta = z * scale                               # β = D z
    return {"xtx": xtx, "xty": xty, "beta": beta}


def ols(x: np.ndarray, y: np.ndarray, intercept: bool = True, x_new: np.ndarray | None = None) -> dict:
    X = design_matrix(x, intercept)
    ne = solve_normal_equations(X, y)
    beta = ne["beta"]
    fitted = X @ beta                               # ŷ = Xβ
    residuals = y - fitted                          # e = y − ŷ
    y_mean = float(np.mean(y))
    rss = float(residuals @ residuals)
    tss = float(np.sum((y - y_mean) ** 2))
    ess = float(np.sum((fitted - y_mean) ** 2))
    r2 = 1.0 - rss / tss if tss > 0 else float("nan")
    out = {
        "design": X, **ne,
        "coef": beta[:-1] if intercept else beta, "intercept": float(beta[-1]) if intercept else 0.0,
        "fitted": fitted, "residuals": residuals,
        "y_mean": y_mean, "rss": rss, "tss": tss, "ess": ess, "r2": r2,
        "mse": rss / y.shape[0],
    }
    if x_new is not None:
        out["prediction"] = design_matrix(x_new, intercept) @ beta
    return out


MISTAKES = (
    Mistake("ols.no-intercept", {
        "en": "You fitted the line through the origin: no column of ones in X, so b = 0 and w = Σxy/Σx². "
              "Add the intercept column, or centre x and y first: w = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)², b = ȳ − w·x̄.",
        "ko": "원점을 지나는 직선으로 적합했습니다: X에 1로 된 열(절편)이 없어서 b = 0, w = Σxy/Σx²가 됩니다. "
              "절편 열을 넣거나, x와 y를 먼저 중심화하세요: w = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)², b = ȳ − w·x̄.",
    }),
    Mistake("ols.intercept-ybar", {
        "en": "You took the intercept as ȳ. The fitted line passes through (x̄, ȳ), so b = ȳ − w·x̄ "
              "(b = ȳ only when x̄ = 0).",
        "ko": "절편을 ȳ로 두었습니다. 회귀직선은 (x̄, ȳ)를 지나므로 b = ȳ − w·x̄입니다 (x̄ = 0일 때만 b = ȳ).",
    }),
    Mistake("ols.r2-uncentred", {
        "en": "You used Σy² as the total sum of squares. TSS is measured around the mean: Σ(y − ȳ)², "
              "so R² = 1 − RSS/Σ(y − ȳ)².",
        "ko": "총제곱합(TSS)으로 Σy²을 썼습니다. TSS는 평균을 기준으로 잽니다: Σ(y − ȳ)², "
              "따라서 R² = 1 − RSS/Σ(y − ȳ)²입니다.",
    }),
)


def parse(inputs: Mapping[str, Any]) -> dict:
    x = as_array(inputs, "x", ndim=(1, 2))
    if x.ndim == 1:
        x = x[:, None]
    y = vector(inputs, "y")
    if y.shape[0] != x.shape[0]:
        raise InputError("y", f"expected {x.shape[0]} values (one per row of x), got {y.shape[0]}")
    intercept = inputs.get("intercept", True)
    if not isinstance(intercept, bool):
        raise InputError("intercept", "expected true or false")
    x_new = None
    if inputs.get("x_new") is not None:
        x_new = as_array(inputs, "x_new", ndim=(1, 2))
        if x.shape[1] == 1 and x_new.ndim == 1:
            x_new = x_new[:, None]
        elif x_new.ndim == 1:
            x_new = x_new[None, :]
        if x_new.shape[1] != x.shape[1]:
            raise InputError("x_new", f"expected {x.shape[1]} features per row, got {x_new.shape[1]}")
    return {"x": x, "y": y, "intercept": intercept, "x_new": x_new}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    if mistake == "ols.no-intercept":
        args["intercept"] = False
    out = ols(**args)
    if mistake == "ols.intercept-ybar" and args["intercept"]:
        b = out["y_mean"]
        coef = out["coef"]
        fitted = args["x"] @ coef + b
        rss = float(np.sum((args["y"] - fitted) ** 2))
        out.update(intercept=b, beta=np.r_[coef, b], fitted=fitted, residuals=args["y"] - fitted, rss=rss,
                   r2=1.0 - rss / out["tss"] if out["tss"] > 0 else float("nan"))
        if args["x_new"] is not None:
            out["prediction"] = args["x_new"] @ coef + b
    elif mistake == "ols.r2-uncentred":
        yy = float(args["y"] @ args["y"])
        out["r2"] = 1.0 - out["rss"] / yy if yy > 0 else float("nan")
    return out


# Seed 002, "중고차 가격 예측": mileage (km), horsepower, engine size (cc) → price (euro),
# 15 Toyota Corollas; the last slide asks for the price of a car with 132,151 km, 110 hp, 1,600 cc.
CARS_X = [[46986, 90, 2000], [19700, 192, 1800], [71138, 69, 1900], [31461, 192, 1800],
          [43610, 192, 1800], [21716, 110, 1600], [25563, 110, 1600], [64359, 110, 1600],
          [43905, 110, 1600], [56349, 110, 1600], [9750, 97, 1400], [27500, 97, 1400],
          [79375, 90, 2000], [79375, 97, 2000], [75048, 97, 1400]]
CARS_Y = [13500, 21500, 12950, 20950, 19950, 17950, 16750, 16950, 16950, 15950, 12950, 14750,
          17950, 15800, 15800]

ALGORITHM = algorithm(Algorithm(
    name="ols",
    title={"en": "Least squares (OLS) by the normal equations", "ko": "최소제곱법(OLS)과 정규방정식"},
    run=run,
    inputs={
        "x": "features: a list of n numbers (one feature) or an n×p list of rows",
        "y": "targets, n numbers",
        "intercept": "fit an intercept b (default true): the design matrix is [x | 1]",
        "x_new": "optional: rows (or one row) to predict",
    },
    inputs_ko={
        "x": "특성: 수 n개의 리스트(특성 하나) 또는 n×p 행의 리스트",
        "y": "목표값, 수 n개",
        "intercept": "절편 b를 넣어 적합(기본 true): 설계행렬은 [x | 1]",
        "x_new": "선택: 예측할 행들(또는 행 하나)",
    },
    example={"x": CARS_X, "y": CARS_Y, "x_new": [132151, 110, 1600]},
    mistakes=MISTAKES,
    summary=("coef", "intercept", "r2", "prediction"),
))
