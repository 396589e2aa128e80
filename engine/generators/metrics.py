"""Metric exercises: regression errors and R², precision/recall from a confusion matrix, ROC/AUC."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.metrics import (
    CLASSIFICATION_MISTAKES,
    REGRESSION_MISTAKES,
    classification_metrics,
    regression_metrics,
    roc_curve,
)
from engine.core import Degenerate, Field, Generator, Int, Mistake, Num, Step, Table, Tolerance, Variant, fmt
from engine.generators._common import T, given, numbers, reject_coincident
from engine.korean import josa
from engine.registry import generator

# =========================================================================== regression metrics

REG_TOL = Tolerance(atol=0.01)


@generator
class RegressionMetrics(Generator):
    name = "metrics.regression"
    title = T("MAE, MSE, RMSE, MAPE and R² from a small table", "작은 표로 MAE, MSE, RMSE, MAPE, R² 구하기")
    defaults = {"n": 5}
    limits = {"n": Int(3, 12)}
    mistakes_catalog = REGRESSION_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        y_true = rng.choice(np.arange(2, 31), size=n, replace=False).astype(float)
        err = rng.integers(-4, 5, size=n).astype(float)
        y_pred = y_true - err
        if np.any(y_pred <= 0) or np.count_nonzero(err) < 2:
            raise Degenerate("want positive predictions and a few errors")
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"y_true": y_true.tolist(), "y_pred": y_pred.tolist()},
            prompt=T(
                f"A model predicted ŷ = [{numbers(y_pred)}] for the true values y = [{numbers(y_true)}]. "
                "Compute MAE, MSE, RMSE, MAPE (in %) and R² = 1 − RSS/TSS.",
                f"실제값 y = [{numbers(y_true)}]에 대해 모델이 {josa(f'ŷ = [{numbers(y_pred)}]', '로')} 예측했습니다. "
                "MAE, MSE, RMSE, MAPE(%), R² = 1 − RSS/TSS를 구하세요."),
            fields=[Field("mae", T("MAE", "MAE"), tol=REG_TOL),
                    Field("mse", T("MSE", "MSE"), tol=REG_TOL),
                    Field("rmse", T("RMSE", "RMSE"), tol=REG_TOL),
                    Field("mape", T("MAPE (%)", "MAPE (%)"), tol=Tolerance(atol=0.05)),
                    Field("r2", T("R²", "R²"), tol=Tolerance(atol=0.005))],
            tables=[Table(T("Data", "데이터"), rows=[str(i + 1) for i in range(n)], cols=["y", "ŷ"],
                          cells=[[float(a), float(b)] for a, b in zip(y_true, y_pred)])],
            hints=[T("Start with the errors e = y − ŷ, their absolute values and their squares.",
                     "먼저 오차 e = y − ŷ, 그 절댓값, 제곱을 구하세요."),
                   T("MAE = mean |e|, MSE = mean e², RMSE = √MSE, MAPE = 100 · mean |e|/|y|.",
                     "MAE = |e|의 평균, MSE = e²의 평균, RMSE = √MSE, MAPE = 100 · |e|/|y|의 평균."),
                   T("R² = 1 − Σe² / Σ(y − ȳ)², with ȳ the mean of the true values.",
                     "R² = 1 − Σe² / Σ(y − ȳ)², ȳ는 실제값의 평균입니다.")],
        )
        m = self._m(v)
        if m["tss"] <= 0 or abs(m["r2"]) > 0.999:
            raise Degenerate("R² too close to 1")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _m(self, v: Variant) -> dict:
        return regression_metrics(np.array(v.data["y_true"]), np.array(v.data["y_pred"]))

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        m = self._m(v)
        out = {k: float(m[k]) for k in ("mae", "mse", "rmse", "mape", "r2")}
        mse = given(answers, "mse")
        if mse is not None and mse[0] >= 0:       # error carried forward: RMSE from the learner's MSE
            out["rmse"] = math.sqrt(mse[0])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        m = self._m(v)
        y_pred = np.array(v.data["y_pred"])
        return {
            "metrics.mse-no-mean": {"mse": m["rss"], "rmse": math.sqrt(m["rss"])},
            "metrics.rmse-as-mae": {"rmse": m["mae"]},
            "metrics.r2-ess": {"r2": m["ess_over_tss"]},
            "metrics.mape-no-percent": {"mape": m["mape"] / 100},
            "metrics.mape-over-pred": {"mape": float(np.mean(100 * m["abs_errors"] / np.abs(y_pred)))},
        }

    def solution(self, v: Variant) -> list[Step]:
        m = self._m(v)
        e, n = m["errors"], m["n"]
        return [
            Step(T(f"Errors e = y − ŷ = [{numbers(e)}]; |e| = [{numbers(m['abs_errors'])}]; "
                   f"e² = [{numbers(m['sq_errors'])}]",
                   f"오차 e = y − ŷ = [{numbers(e)}]; |e| = [{numbers(m['abs_errors'])}]; "
                   f"e² = [{numbers(m['sq_errors'])}]")),
            Step(T(f"MAE = {fmt(np.sum(m['abs_errors']))} / {n} = {fmt(m['mae'])}",
                   f"MAE = {fmt(np.sum(m['abs_errors']))} / {n} = {fmt(m['mae'])}"), ("mae",)),
            Step(T(f"MSE = RSS / n = {fmt(m['rss'])} / {n} = {fmt(m['mse'])}",
                   f"MSE = RSS / n = {fmt(m['rss'])} / {n} = {fmt(m['mse'])}"), ("mse",)),
            Step(T(f"RMSE = √{fmt(m['mse'])} = {fmt(m['rmse'])}", f"RMSE = √{fmt(m['mse'])} = {fmt(m['rmse'])}"),
                 ("rmse",)),
            Step(T(f"|e|/|y| · 100 = [{numbers(m['ape'])}] %, mean = {fmt(m['mape'])} %",
                   f"|e|/|y| · 100 = [{numbers(m['ape'])}] %, 평균 = {fmt(m['mape'])} %"), ("mape",)),
            Step(T(f"ȳ = {fmt(m['y_mean'])}, TSS = Σ(y − ȳ)² = {fmt(m['tss'])}; "
                   f"R² = 1 − {fmt(m['rss'])}/{fmt(m['tss'])} = {fmt(m['r2'])}",
                   f"ȳ = {fmt(m['y_mean'])}, TSS = Σ(y − ȳ)² = {fmt(m['tss'])}; "
                   f"R² = 1 − {fmt(m['rss'])}/{fmt(m['tss'])} = {fmt(m['r2'])}"), ("r2",)),
        ]


# =========================================================================== confusion matrix

CLS_TOL = Tolerance(atol=0.005)


@generator
class ConfusionMetrics(Generator):
    name = "metrics.confusion"
    title = T("Accuracy, precision, recall, specificity and F1 from a confusion matrix",
              "혼동행렬로 정확도, 정밀도, 재현율, 특이도, F1 구하기")
    defaults = {}
    mistakes_catalog = CLASSIFICATION_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        tp, fn = (int(x) for x in rng.integers(5, 60, size=2))
        fp, tn = int(rng.integers(3, 40)), int(rng.integers(20, 90))
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"tp": tp, "fp": fp, "fn": fn, "tn": tn},
            prompt=T(
                f"A classifier was tested on {tp + fp + fn + tn} cases (positive class = 1). Confusion matrix "
                f"(rows = truth, columns = prediction): true 0 → [TN = {tn}, FP = {fp}], true 1 → "
                f"[FN = {fn}, TP = {tp}]. Compute accuracy, precision, recall, specificity and F1.",
                f"분류기를 {tp + fp + fn + tn}개 사례로 평가했습니다(양성 = 1). 혼동행렬(행 = 실제, 열 = 예측): "
                f"실제 0 → [TN = {tn}, FP = {fp}], 실제 1 → [FN = {fn}, TP = {tp}]. "
                "정확도, 정밀도, 재현율, 특이도, F1을 구하세요."),
            fields=[Field("accuracy", T("accuracy", "정확도 (accuracy)"), tol=CLS_TOL),
                    Field("precision", T("precision", "정밀도 (precision)"), tol=CLS_TOL),
                    Field("recall", T("recall (sensitivity)", "재현율 (recall, 민감도)"), tol=CLS_TOL),
                    Field("specificity", T("specificity", "특이도 (specificity)"), tol=CLS_TOL),
                    Field("f1", T("F1", "F1"), tol=CLS_TOL)],
            tables=[Table(T("Confusion matrix", "혼동행렬"), rows=[T("true 0", "실제 0"), T("true 1", "실제 1")],
                          cols=[T("pred 0", "예측 0"), T("pred 1", "예측 1")],
                          cells=[[tn, fp], [fn, tp]])],
            hints=[T("Precision looks at the predicted positives (column 'pred 1'); recall at the real positives "
                     "(row 'true 1').",
                     "정밀도는 예측 양성(열 '예측 1')을, 재현율은 실제 양성(행 '실제 1')을 봅니다."),
                   T("Specificity = TN/(TN+FP) uses the row of the real negatives.",
                     "특이도 = TN/(TN+FP)는 실제 음성의 행을 씁니다."),
                   T("F1 = 2·P·R/(P + R), the harmonic mean.", "F1 = 2·P·R/(P + R), 조화평균입니다.")],
        )
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _m(self, v: Variant) -> dict:
        d = v.data
        return classification_metrics(d["tp"], d["fp"], d["fn"], d["tn"])

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        m = self._m(v)
        out = {k: float(m[k]) for k in ("accuracy", "precision", "recall", "specificity", "f1")}
        pr = given(answers, "precision", "recall")
        if pr is not None and pr[0] + pr[1] > 0:   # error carried forward: F1 from the learner's P and R
            out["f1"] = 2 * pr[0] * pr[1] / (pr[0] + pr[1])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        m = self._m(v)
        p, r = m["precision"], m["recall"]
        return {
            "metrics.precision-recall-swapped": {"precision": r, "recall": p},
            "metrics.specificity-1-precision": {"specificity": 1 - p},
            "metrics.f1-arithmetic-mean": {"f1": (p + r) / 2},
        }

    def solution(self, v: Variant) -> list[Step]:
        d, m = v.data, self._m(v)
        tp, fp, fn, tn = d["tp"], d["fp"], d["fn"], d["tn"]
        return [
            Step(T(f"accuracy = (TP + TN)/N = ({tp} + {tn})/{m['n']} = {fmt(m['accuracy'])}",
                   f"정확도 = (TP + TN)/N = ({tp} + {tn})/{m['n']} = {fmt(m['accuracy'])}"), ("accuracy",)),
            Step(T(f"precision = TP/(TP + FP) = {tp}/({tp} + {fp}) = {fmt(m['precision'])}",
                   f"정밀도 = TP/(TP + FP) = {tp}/({tp} + {fp}) = {fmt(m['precision'])}"), ("precision",)),
            Step(T(f"recall = TP/(TP + FN) = {tp}/({tp} + {fn}) = {fmt(m['recall'])}",
                   f"재현율 = TP/(TP + FN) = {tp}/({tp} + {fn}) = {fmt(m['recall'])}"), ("recall",)),
            Step(T(f"specificity = TN/(TN + FP) = {tn}/({tn} + {fp}) = {fmt(m['specificity'])}",
                   f"특이도 = TN/(TN + FP) = {tn}/({tn} + {fp}) = {fmt(m['specificity'])}"), ("specificity",)),
            Step(T(f"F1 = 2·{fmt(m['precision'])}·{fmt(m['recall'])}/({fmt(m['precision'])} + {fmt(m['recall'])}) "
                   f"= {fmt(m['f1'])}",
                   f"F1 = 2·{fmt(m['precision'])}·{fmt(m['recall'])}/({fmt(m['precision'])} + {fmt(m['recall'])}) "
                   f"= {fmt(m['f1'])}"), ("f1",)),
        ]


# =========================================================================== ROC / AUC

AUC_MISTAKES = (
    Mistake("metrics.fpr-over-predicted", {
        "en": "You divided the false positives by the predicted positives (FP/(FP+TP) = 1 − precision). The false "
              "positive rate divides by the real negatives: FPR = FP/(FP + TN).",
        "ko": "거짓 양성을 예측 양성 수로 나눴습니다(FP/(FP+TP) = 1 − 정밀도). 거짓 양성률(FPR)은 실제 음성 수로 "
              "나눕니다: FPR = FP/(FP + TN).",
    }),
    Mistake("metrics.auc-as-accuracy", {
        "en": "You gave the accuracy at one threshold as the AUC. AUC summarises every threshold: it is the share of "
              "(positive, negative) pairs in which the positive has the higher score.",
        "ko": "한 임곗값에서의 정확도를 AUC로 썼습니다. AUC는 모든 임곗값을 요약한 값으로, (양성, 음성) 쌍 가운데 "
              "양성의 점수가 더 높은 쌍의 비율입니다.",
    }),
)


@generator
class AUC(Generator):
    name = "metrics.auc"
    title = T("TPR, FPR at a threshold and the AUC", "임곗값에서의 TPR, FPR과 AUC")
    defaults = {"positives": 4, "negatives": 4, "threshold": 0.5}
    limits = {"positives": Int(3, 8), "negatives": Int(3, 8), "threshold": Num(0.3, 0.7)}
    mistakes_catalog = AUC_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n_pos, n_neg = int(params["positives"]), int(params["negatives"])
        thr = float(params["threshold"])
        scores = np.sort(rng.choice(np.arange(5, 100, 5), size=n_pos + n_neg, replace=False) / 100.0)
        rank = np.arange(1.0, scores.size + 1)             # a useful model: higher scores lean positive
        pos = np.sort(rng.choice(scores, size=n_pos, replace=False, p=rank / rank.sum()))[::-1]
        neg = np.sort(np.setdiff1d(scores, pos))[::-1]
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"pos": pos.tolist(), "neg": neg.tolist(), "threshold": thr},
            prompt=T(
                f"A model scored {n_pos} positive cases [{numbers(pos)}] and {n_neg} negative cases "
                f"[{numbers(neg)}]. Predicting 1 when score ≥ {thr:g}, give the TPR and the FPR; then the AUC "
                "(area under the ROC curve).",
                f"모델이 양성 {n_pos}개에 [{numbers(pos)}], 음성 {n_neg}개에 [{numbers(neg)}] 점수를 주었습니다. "
                f"점수 ≥ {thr:g}이면 1로 예측할 때의 TPR과 FPR, 그리고 AUC(ROC 곡선 아래 면적)를 구하세요."),
            fields=[Field("tpr", T(f"TPR at {thr:g}", f"{thr:g}에서의 TPR"), tol=CLS_TOL),
                    Field("fpr", T(f"FPR at {thr:g}", f"{thr:g}에서의 FPR"), tol=CLS_TOL),
                    Field("auc", T("AUC", "AUC"), tol=CLS_TOL)],
            hints=[T("TPR = TP/(all positives), FPR = FP/(all negatives).",
                     "TPR = TP/(전체 양성), FPR = FP/(전체 음성)."),
                   T("AUC = P(score of a random positive > score of a random negative): count the pairs.",
                     "AUC = 무작위 양성의 점수가 무작위 음성의 점수보다 클 확률: 쌍의 개수를 세세요.")],
        )
        tpr, fpr = self._rates(v)
        if tpr in (0.0, 1.0) and fpr in (0.0, 1.0):
            raise Degenerate("threshold separates nothing interesting")
        if not 0.5 < self._auc(v) < 1.0:
            raise Degenerate("want a model better than chance but not perfect")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _rates(self, v: Variant) -> tuple[float, float]:
        pos, neg, thr = np.array(v.data["pos"]), np.array(v.data["neg"]), v.data["threshold"]
        return float(np.mean(pos >= thr)), float(np.mean(neg >= thr))

    def _auc(self, v: Variant) -> float:
        pos, neg = np.array(v.data["pos"]), np.array(v.data["neg"])
        y = np.r_[np.ones(pos.size), np.zeros(neg.size)]
        return roc_curve(y.astype(int), np.r_[pos, neg])["auc"]

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        tpr, fpr = self._rates(v)
        return {"tpr": tpr, "fpr": fpr, "auc": self._auc(v)}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        pos, neg, thr = np.array(v.data["pos"]), np.array(v.data["neg"]), v.data["threshold"]
        tp, fp = int(np.sum(pos >= thr)), int(np.sum(neg >= thr))
        tn = neg.size - fp
        out = {"metrics.auc-as-accuracy": {"auc": (tp + tn) / (pos.size + neg.size)}}
        if tp + fp > 0:
            out["metrics.fpr-over-predicted"] = {"fpr": fp / (tp + fp)}
        return out

    def solution(self, v: Variant) -> list[Step]:
        pos, neg, thr = np.array(v.data["pos"]), np.array(v.data["neg"]), v.data["threshold"]
        tp, fp = int(np.sum(pos >= thr)), int(np.sum(neg >= thr))
        wins = int(sum(np.sum(p > neg) for p in pos))
        auc = self._auc(v)
        return [
            Step(T(f"Scores ≥ {thr:g}: {tp} of {pos.size} positives → TPR = {tp}/{pos.size} = {fmt(tp / pos.size)}",
                   f"점수 ≥ {thr:g}: 양성 {pos.size}개 중 {tp}개 → TPR = {tp}/{pos.size} = {fmt(tp / pos.size)}"),
                 ("tpr",)),
            Step(T(f"{fp} of {neg.size} negatives → FPR = {fp}/{neg.size} = {fmt(fp / neg.size)}",
                   f"음성 {neg.size}개 중 {fp}개 → FPR = {fp}/{neg.size} = {fmt(fp / neg.size)}"), ("fpr",)),
            Step(T(f"Pairs (positive, negative) with the positive scored higher: {wins} of "
                   f"{pos.size}·{neg.size} = {pos.size * neg.size} → AUC = {fmt(auc)}",
                   f"양성의 점수가 더 높은 (양성, 음성) 쌍: {pos.size}·{neg.size} = {pos.size * neg.size}개 중 {wins}개 "
                   f"→ AUC = {fmt(auc)}"), ("auc",)),
        ]
