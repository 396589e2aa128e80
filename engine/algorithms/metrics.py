"""Evaluation metrics: regression errors and R², the binary confusion matrix, ROC and AUC.

Regression, with errors e_i = y_i − ŷ_i over n samples:

    MAE  = (1/n) Σ |e_i|            MSE = (1/n) Σ e_i²            RMSE = √MSE
    MAPE = (100/n) Σ |e_i / y_i|    (percent; undefined when some y_i = 0)
    R²   = 1 − RSS/TSS,  RSS = Σ e_i²,  TSS = Σ (y_i − ȳ)²        (ȳ: one mean of all y, no index)

ESS/TSS (ESS = Σ (ŷ_i − ȳ)²) equals 1 − RSS/TSS only for an OLS fit *with an intercept*, on the
data it was fitted to; for any other ŷ the two differ, and only 1 − RSS/TSS is R². It can be
negative (a model worse than predicting ȳ), so "R² is between 0 and 1" holds only in that
special case.

Classification (labels 0/1, rows = truth, columns = prediction, as scikit-learn)::

    confusion = [[TN, FP],
                 [FN, TP]]
    accuracy = (TP+TN)/N   precision = TP/(TP+FP)   recall = sensitivity = TPR = TP/(TP+FN)
    specificity = TN/(TN+FP) = 1 − FPR               F1 = 2·P·R/(P+R)  (harmonic mean)

ROC: sweep the threshold down over the distinct scores (predict 1 when score ≥ threshold); every
group of tied scores moves the curve by one diagonal segment. AUC is the trapezoid area under
that curve, which equals P(score of a random positive > score of a random negative) with ties
counted ½ (the Mann–Whitney U statistic / (n₊·n₋)).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_array, as_float, as_int
from engine.registry import algorithm


def vector(inputs: Mapping[str, Any], key: str, n: int | None = None, like: str = "y_true") -> np.ndarray:
    """A 1-D float array; with ``n`` it must have that length."""
    arr = as_array(inputs, key, ndim=1)
    if n is not None and arr.shape[0] != n:
        raise InputError(key, f"expected {n} values (as many as {like}), got {arr.shape[0]}")
    return arr


def binary(inputs: Mapping[str, Any], key: str, n: int | None = None) -> np.ndarray:
    arr = vector(inputs, key, n)
    if not np.all((arr == 0) | (arr == 1)):
        bad = int(np.flatnonzero((arr != 0) & (arr != 1))[0])
        raise InputError(key, f"labels must be 0 or 1 (index {bad} is {arr[bad]:g})")
    return arr.astype(int)


# =========================================================================== regression


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    n = y_true.shape[0]
    errors = y_true - y_pred                     # e_i = y_i − ŷ_i        (n,)
    abs_errors = np.abs(errors)                  # (n,) |e_i|
    sq_errors = errors ** 2                      # (n,) e_i²
    ape = 100.0 * abs_errors / np.abs(y_true)    # (n,) |e_i / y_i| · 100    (percent)
    y_mean = float(np.mean(y_true))              # ȳ
    rss = float(np.sum(sq_errors))               # Σ (y_i − ŷ_i)²
    tss = float(np.sum((y_true - y_mean) ** 2))  # Σ (y_i − ȳ)²
    ess = float(np.sum((y_pred - y_mean) ** 2))  # Σ (ŷ_i − ȳ)²
    mse = rss / n
    notes = []
    if tss > 0:
        r2 = 1.0 - rss / tss
    else:
        r2 = float("nan")
        notes.append("all y_true are equal, so TSS = 0 and R² is undefined")
    if r2 < 0:
        notes.append("R² < 0: these predictions are worse than always predicting the mean ȳ")
    return {
        "n": n, "errors": errors, "abs_errors": abs_errors, "sq_errors": sq_errors, "ape": ape,
        "mae": float(np.mean(abs_errors)), "mse": mse, "rmse": float(np.sqrt(mse)),
        "mape": float(np.mean(ape)),
        "y_mean": y_mean, "rss": rss, "tss": tss, "ess": ess, "r2": r2,
        "ess_over_tss": ess / tss if tss > 0 else float("nan"),
        "notes": notes,
    }


REGRESSION_MISTAKES = (
    Mistake("metrics.mse-no-mean", {
        "en": "You added up the squared errors but did not divide by n. That sum is the RSS (SSE); "
              "MSE is its mean, (1/n) Σ (y − ŷ)², and RMSE is the square root of that mean.",
        "ko": "오차 제곱을 더하기만 하고 n으로 나누지 않았습니다. 그 합은 RSS(SSE)이고, MSE는 평균인 "
              "(1/n) Σ (y − ŷ)², RMSE는 그 평균의 제곱근입니다.",
    }),
    Mistake("metrics.rmse-as-mae", {
        "en": "You took the mean of the absolute errors as the RMSE, as if the square and the root cancelled. "
              "They do not: square first, average, then take the root; RMSE ≥ MAE, equal only when all |errors| are equal.",
        "ko": "RMSE를 절대오차의 평균으로 계산했습니다. 제곱과 제곱근이 서로 상쇄되는 게 아닙니다: 먼저 제곱하고 "
              "평균을 낸 뒤 제곱근을 씌웁니다. RMSE ≥ MAE이고, 모든 |오차|가 같을 때만 같습니다.",
    }),
    Mistake("metrics.r2-ess", {
        "en": "You computed R² as ESS/TSS = Σ(ŷ − ȳ)² / Σ(y − ȳ)². That equals 1 − RSS/TSS only for an OLS fit "
              "with an intercept on its own training data. For any other predictions use R² = 1 − RSS/TSS.",
        "ko": "R²을 ESS/TSS = Σ(ŷ − ȳ)² / Σ(y − ȳ)²으로 계산했습니다. 이 값은 절편이 있는 OLS를 학습 데이터에서 "
              "평가할 때만 1 − RSS/TSS와 같습니다. 그 밖의 예측값에는 R² = 1 − RSS/TSS를 쓰세요.",
    }),
    Mistake("metrics.mape-no-percent", {
        "en": "You left MAPE as a fraction. MAPE is a percentage: (100/n) Σ |y − ŷ| / |y|.",
        "ko": "MAPE를 비율(소수) 그대로 두었습니다. MAPE는 백분율입니다: (100/n) Σ |y − ŷ| / |y|.",
    }),
    Mistake("metrics.mape-over-pred", {
        "en": "You divided each absolute error by the prediction ŷ. MAPE divides by the true value y: "
              "(100/n) Σ |y − ŷ| / |y|.",
        "ko": "각 절대오차를 예측값 ŷ로 나눴습니다. MAPE는 실제값 y로 나눕니다: (100/n) Σ |y − ŷ| / |y|.",
    }),
)


def run_regression(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, REGRESSION_MISTAKES)
    y_true = vector(inputs, "y_true")
    y_pred = vector(inputs, "y_pred", y_true.shape[0])
    zero = np.flatnonzero(y_true == 0)
    if zero.size:
        raise InputError("y_true", f"y_true[{int(zero[0])}] is 0: MAPE divides by y_true, so it is undefined")
    out = regression_metrics(y_true, y_pred)
    if mistake == "metrics.mse-no-mean":
        out.update(mse=out["rss"], rmse=float(np.sqrt(out["rss"])))
    elif mistake == "metrics.rmse-as-mae":
        out.update(rmse=out["mae"])
    elif mistake == "metrics.r2-ess":
        out.update(r2=out["ess_over_tss"])
    elif mistake == "metrics.mape-no-percent":
        out.update(ape=out["ape"] / 100.0, mape=out["mape"] / 100.0)
    elif mistake == "metrics.mape-over-pred":
        with np.errstate(divide="ignore", invalid="ignore"):
            ape = 100.0 * out["abs_errors"] / np.abs(y_pred)
        out.update(ape=ape, mape=float(np.mean(ape)))
    return out


# Seed 002: the MSE example of the neural-network loss slide (predictions 11, 19, 30, 43, 47).
REGRESSION_EXAMPLE = {"y_true": [10, 20, 30, 40, 50], "y_pred": [11, 19, 30, 43, 47]}

REGRESSION = algorithm(Algorithm(
    name="regression-metrics",
    title={"en": "Regression metrics (MAE, MSE, RMSE, MAPE, R²)", "ko": "회귀 평가 지표 (MAE, MSE, RMSE, MAPE, R²)"},
    run=run_regression,
    inputs={
        "y_true": "true values y_i (list of numbers; none may be 0, because MAPE divides by them)",
        "y_pred": "predictions ŷ_i (same length)",
    },
    inputs_ko={
        "y_true": "실제값 y_i(수의 리스트; MAPE가 이 값으로 나누므로 0이 있으면 안 됨)",
        "y_pred": "예측값 ŷ_i(길이가 같음)",
    },
    example=REGRESSION_EXAMPLE,
    mistakes=REGRESSION_MISTAKES,
    summary=("mae", "mse", "rmse", "mape", "r2"),
))


# =========================================================================== classification


def confusion_counts(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[int, int, int, int]:
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    tn = int(np.sum((y_true == 0) & (y_pred == 0)))
    return tp, fp, fn, tn


def _div(a: float, b: float) -> float:
    return a / b if b else float("nan")


def classification_metrics(tp: int, fp: int, fn: int, tn: int) -> dict:
    total = tp + fp + fn + tn
    precision = _div(tp, tp + fp)      # of the predicted positives, how many are positive
    recall = _div(tp, tp + fn)         # of the real positives, how many were found (TPR, sensitivity)
    specificity = _div(tn, tn + fp)    # of the real negatives, how many were called negative (TNR)
    f1 = _div(2 * precision * recall, precision + recall) if np.isfinite(precision + recall) else float("nan")
    notes = [f"{name} is undefined (0/0)" for name, val in
             (("precision", precision), ("recall", recall), ("specificity", specificity), ("f1", f1))
             if not np.isfinite(val)]
    return {
        "confusion": np.array([[tn, fp], [fn, tp]]),   # rows: true 0/1, columns: predicted 0/1
        "tp": tp, "fp": fp, "fn": fn, "tn": tn, "n": total,
        "accuracy": _div(tp + tn, total), "precision": precision, "recall": recall,
        "specificity": specificity, "fpr": _div(fp, fp + tn), "f1": f1, "notes": notes,
    }


def roc_curve(y_true: np.ndarray, scores: np.ndarray) -> dict:
    """ROC points for thresholds +∞ and every distinct score (descending); AUC by trapezoids."""
    order = np.argsort(-scores, kind="stable")                # (n,) indices, by score descending
    s, y = scores[order], y_true[order]                       # (n,), (n,)
    last_of_group = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]   # (g,) g distinct scores: index of the last of each tied group
    tps = np.cumsum(y)[last_of_group]                              # (g,) positives with score ≥ threshold
    fps = (last_of_group + 1) - tps                                # (g,) negatives with score ≥ threshold
    n_pos, n_neg = int(y.sum()), int(y.size - y.sum())
    tpr = np.r_[0.0, tps / n_pos]                             # (g + 1,) from threshold +∞ down
    fpr = np.r_[0.0, fps / n_neg]                             # (g + 1,)
    thresholds = np.r_[np.inf, s[last_of_group]]              # (g + 1,)
    auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
    roc = [{"threshold": float(t), "fpr": float(f), "tpr": float(r)} for t, f, r in zip(thresholds, fpr, tpr)]
    return {"roc": roc, "fpr_curve": fpr, "tpr_curve": tpr, "thresholds": thresholds, "auc": auc}


CLASSIFICATION_MISTAKES = (
    Mistake("metrics.precision-recall-swapped", {
        "en": "You swapped precision and recall. Precision = TP/(TP+FP): of everything predicted positive, "
              "the share that is positive. Recall = TP/(TP+FN): of all real positives, the share that was found.",
        "ko": "정밀도(precision)와 재현율(recall)을 바꿔 썼습니다. 정밀도 = TP/(TP+FP): 양성이라고 예측한 것 중 "
              "실제 양성의 비율. 재현율 = TP/(TP+FN): 실제 양성 중 찾아낸 비율입니다.",
    }),
    Mistake("metrics.specificity-1-precision", {
        "en": "You took specificity as 1 − precision. Specificity is about the real negatives: TN/(TN+FP) = 1 − FPR.",
        "ko": "특이도(specificity)를 1 − 정밀도로 계산했습니다. 특이도는 실제 음성 중 음성으로 맞힌 비율입니다: "
              "TN/(TN+FP) = 1 − FPR.",
    }),
    Mistake("metrics.f1-arithmetic-mean", {
        "en": "You averaged precision and recall, (P+R)/2. F1 is their harmonic mean, 2PR/(P+R), which is "
              "pulled towards the smaller of the two.",
        "ko": "정밀도와 재현율의 산술평균 (P+R)/2을 썼습니다. F1은 조화평균 2PR/(P+R)이고, 둘 중 작은 값 쪽으로 "
              "끌려갑니다.",
    }),
)


def run_classification(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, CLASSIFICATION_MISTAKES)
    scores = None
    if inputs.get("y_true") is not None:
        y_true = binary(inputs, "y_true")
        n = y_true.shape[0]
        if inputs.get("scores") is not None:
            scores = vector(inputs, "scores", n)
        if inputs.get("y_pred") is not None:
            y_pred = binary(inputs, "y_pred", n)
        elif scores is not None:
            threshold = as_float(inputs, "threshold", default=0.5)
            y_pred = (scores >= threshold).astype(int)
        else:
            raise InputError("y_pred", "missing (give y_pred, or scores and a threshold)")
        tp, fp, fn, tn = confusion_counts(y_true, y_pred)
    elif any(inputs.get(k) is not None for k in ("tp", "fp", "fn", "tn")):
        tp, fp, fn, tn = (as_int(inputs, k, lo=0) for k in ("tp", "fp", "fn", "tn"))
        if tp + fp + fn + tn == 0:
            raise InputError("tp", "all four counts are 0")
        if inputs.get("scores") is not None:
            raise InputError("scores", "ROC needs y_true with the scores, not counts")
    else:
        raise InputError("y_true", "missing (give y_true and y_pred, or the counts tp, fp, fn, tn)")
    out = classification_metrics(tp, fp, fn, tn)
    if scores is not None:
        if y_true.min() == y_true.max():
            raise InputError("y_true", "ROC needs both classes 0 and 1 among y_true")
        out.update(roc_curve(y_true, scores))
    p, r = out["precision"], out["recall"]
    if mistake == "metrics.precision-recall-swapped":
        out.update(precision=r, recall=p)
    elif mistake == "metrics.specificity-1-precision":
        out.update(specificity=1.0 - p)
    elif mistake == "metrics.f1-arithmetic-mean":
        out.update(f1=(p + r) / 2.0)
    return out


CLASSIFICATION = algorithm(Algorithm(
    name="classification-metrics",
    title={"en": "Confusion matrix, precision/recall/F1, ROC and AUC",
           "ko": "혼동행렬, 정밀도/재현율/F1, ROC와 AUC"},
    run=run_classification,
    limits={k: Int(0, 10**12) for k in ("tp", "fp", "fn", "tn")},
    inputs={
        "y_true": "true labels, 0 or 1",
        "y_pred": "predicted labels, 0 or 1 (or omit and give scores + threshold)",
        "scores": "optional: a score per sample (higher = more positive) for the ROC curve and AUC",
        "threshold": "optional: predict 1 when score ≥ threshold, if y_pred is not given (default 0.5)",
        "tp": "instead of labels: true positives (also fp, fn, tn)",
        "fp": "false positives", "fn": "false negatives", "tn": "true negatives",
    },
    inputs_ko={
        "y_true": "실제 라벨, 0 또는 1",
        "y_pred": "예측 라벨, 0 또는 1(또는 생략하고 scores + threshold를 줌)",
        "scores": "선택: ROC 곡선과 AUC에 쓸 샘플별 점수(클수록 양성에 가까움)",
        "threshold": "선택: y_pred가 없을 때 score ≥ threshold이면 1로 예측(기본 0.5)",
        "tp": "라벨 대신: 참 양성 수(fp, fn, tn도 함께)",
        "fp": "거짓 양성 수", "fn": "거짓 음성 수", "tn": "참 음성 수",
    },
    example={"y_true": [1, 1, 1, 1, 0, 0, 0, 0, 0, 1],
             "y_pred": [1, 1, 1, 0, 0, 0, 1, 0, 0, 0],
             "scores": [0.9, 0.8, 0.7, 0.45, 0.3, 0.2, 0.6, 0.45, 0.1, 0.35]},
    mistakes=CLASSIFICATION_MISTAKES,
    summary=("confusion", "accuracy", "precision", "recall", "specificity", "f1", "auc"),
))
