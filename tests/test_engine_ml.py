"""Classical ML and statistics: metrics, OLS, logistic regression, K-means, k-NN, GMM-EM, DBSCAN, PCA,
MLE, ARIMA, BERT masking and WordPiece — and their exercise generators.

Every algorithm is checked against an independent reference: np.linalg.lstsq for OLS, np.linalg.eigh
and the SVD for PCA, torch BCE + autograd for the logistic gradient, torch.distributions for the
GMM and MLE log-likelihoods, a grid search for the MLE, the Mann–Whitney U statistic for the AUC,
and plain-Python re-implementations (K-means loop, DBSCAN by core-graph BFS, k-NN by sorting,
ARMA recursion on lists). The worked examples of the seed notes are pinned with CORRECT values;
the notes' slips are named in the comments.
"""

import math
from collections import deque

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.algorithms import arima as arima_mod
from engine.algorithms import bert as bert_mod
from engine.algorithms import dbscan as dbscan_mod
from engine.algorithms import gmm as gmm_mod
from engine.algorithms import kmeans as kmeans_mod
from engine.algorithms import logistic as logistic_mod
from engine.algorithms import metrics as metrics_mod
from engine.algorithms import mle as mle_mod
from engine.algorithms import pca as pca_mod
from engine.algorithms import regression as regression_mod
from engine.core import Generator, InputError, jsonable
from engine.generators import arima as g_arima
from engine.generators import bert as g_bert
from engine.generators import dbscan as g_dbscan
from engine.generators import gmm as g_gmm
from engine.generators import kmeans as g_kmeans
from engine.generators import knn as g_knn
from engine.generators import logistic as g_logistic
from engine.generators import metrics as g_metrics
from engine.generators import mle as g_mle
from engine.generators import pca as g_pca
from engine.generators import regression as g_regression

REG, CLS = metrics_mod.REGRESSION, metrics_mod.CLASSIFICATION
OLS, LOGISTIC = regression_mod.ALGORITHM, logistic_mod.ALGORITHM
KMEANS, KNN = kmeans_mod.KMEANS, kmeans_mod.KNN
GMM, DBSCAN, PCA = gmm_mod.ALGORITHM, dbscan_mod.ALGORITHM, pca_mod.ALGORITHM
MLE, ARIMA = mle_mod.ALGORITHM, arima_mod.ALGORITHM
MLM, WORDPIECE = bert_mod.MLM, bert_mod.WORDPIECE
ALL = [REG, CLS, OLS, LOGISTIC, KMEANS, KNN, GMM, DBSCAN, PCA, MLE, ARIMA, MLM, WORDPIECE]
CASES = 40


def _t(a):
    return torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64)


# ============================================================================ general


@pytest.mark.parametrize("alg", ALL, ids=lambda a: a.name)
def test_example_runs_and_is_jsonable(alg):
    import json

    out = jsonable(alg.run(alg.example))
    json.dumps(out)
    assert all(k in out for k in alg.summary), [k for k in alg.summary if k not in out]
    for m in alg.mistakes:
        assert m.explain["en"].strip() and m.explain["ko"].strip()


@pytest.mark.parametrize("alg", ALL, ids=lambda a: a.name)
def test_unknown_mistake_is_an_input_error(alg):
    with pytest.raises(InputError) as e:
        alg.run(alg.example, mistake="no.such-mistake")
    assert e.value.key == "mistake"


def _differs(a, b) -> bool:
    a, b = jsonable(a), jsonable(b)
    return a != b


# inputs on which every mistake of the algorithm shows (the examples, or a crafted case)
MISTAKE_INPUTS = {
    "regression-metrics": REG.example,
    "classification-metrics": CLS.example,
    "ols": {"x": [1, 2, 3, 4, 5], "y": [3, 5, 4, 8, 9]},
    "logistic": LOGISTIC.example,
    "kmeans": {"points": [[0, 0], [1, 0], [0, 1], [4, 0.5], [6, 6], [7, 6], [6.5, 7.5], [9, 9]],
               "centroids": [[0, 0], [5.5, 4]], "iterations": 1},
    "knn": KNN.example | {"k": 1},
    "gmm-em": GMM.example | {"iterations": 1},
    "dbscan": DBSCAN.example,
    "pca": PCA.example,
    "arima": ARIMA.example,
    "mlm-masking": MLM.example,
    "wordpiece": WORDPIECE.example,
}


@pytest.mark.parametrize("alg", [a for a in ALL if a.name != "mle"], ids=lambda a: a.name)
def test_each_mistake_changes_the_answer(alg):
    inputs = MISTAKE_INPUTS[alg.name]
    right = alg.run(inputs)
    assert len(alg.mistakes) >= 2
    for m in alg.mistakes:
        wrong = alg.run(inputs, mistake=m.id)
        assert set(wrong) >= set(right) - {"notes"}, m.id
        assert _differs(wrong, right), m.id


def test_mle_mistakes_change_the_answer_for_their_family():
    cases = {"mle.var-unbiased": {"data": [1, 2, 4, 7], "family": "normal"},
             "mle.binomial-forgot-trials": {"data": [3, 5, 2], "family": "binomial", "n": 10},
             "mle.exponential-rate-as-mean": {"data": [0.5, 2.0, 1.5], "family": "exponential"}}
    for m in MLE.mistakes:
        right, wrong = MLE.run(cases[m.id]), MLE.run(cases[m.id], mistake=m.id)
        assert _differs(wrong["estimates"], right["estimates"]), m.id
    with pytest.raises(InputError) as e:
        MLE.run(cases["mle.var-unbiased"], mistake="mle.binomial-forgot-trials")
    assert e.value.key == "mistake"


# ============================================================================ regression metrics


def test_regression_metrics_seed_002_mse_example():
    # seed 002: predictions 11, 19, 30, 43, 47 for 10, 20, 30, 40, 50 → L = 20/5 = 4 (the notes are right)
    out = REG.run(REG.example)
    assert out["mse"] == pytest.approx(4.0)
    assert out["mae"] == pytest.approx(1.6)
    assert out["rmse"] == pytest.approx(2.0)
    assert out["mape"] == pytest.approx((10 + 5 + 0 + 7.5 + 6) / 5)
    assert out["r2"] == pytest.approx(1 - 20 / 1000)


def test_regression_metrics_match_torch_and_loops():
    rng = np.random.default_rng(0)
    for case in range(CASES):
        n = int(rng.integers(2, 12))
        y = rng.normal(5, 3, size=n)
        y[np.abs(y) < 0.1] = 1.0
        p = y + rng.normal(0, 2, size=n)
        out = REG.run({"y_true": y.tolist(), "y_pred": p.tolist()})
        assert out["mse"] == pytest.approx(F.mse_loss(_t(p), _t(y)).item(), rel=1e-12)
        assert out["mae"] == pytest.approx(F.l1_loss(_t(p), _t(y)).item(), rel=1e-12)
        assert out["rmse"] == pytest.approx(math.sqrt(F.mse_loss(_t(p), _t(y)).item()), rel=1e-12)
        mape = 100 * sum(abs(a - b) / abs(a) for a, b in zip(y, p)) / n
        assert out["mape"] == pytest.approx(mape, rel=1e-12), case
        ybar = sum(y) / n
        r2 = 1 - sum((a - b) ** 2 for a, b in zip(y, p)) / sum((a - ybar) ** 2 for a in y)
        assert out["r2"] == pytest.approx(r2, rel=1e-10, abs=1e-12)


def test_r2_equals_ess_over_tss_only_for_ols_with_intercept():
    """Seed 001 writes R² = ESS/TSS = 1 − RSS/TSS and 'range 0 ~ 1': both hold only for an OLS fit with an
    intercept evaluated on its own training data."""
    rng = np.random.default_rng(1)
    for _ in range(20):
        x = rng.normal(size=(8, 2))
        y = x @ rng.normal(size=2) + 3 + rng.normal(size=8)
        X1 = np.column_stack([x, np.ones(8)])
        fitted = X1 @ np.linalg.lstsq(X1, y, rcond=None)[0]
        out = REG.run({"y_true": y.tolist(), "y_pred": fitted.tolist()})
        assert out["r2"] == pytest.approx(out["ess_over_tss"], rel=1e-9)
        assert 0 <= out["r2"] <= 1
        fitted0 = x @ np.linalg.lstsq(x, y, rcond=None)[0]          # no intercept: the identity fails
        out0 = REG.run({"y_true": y.tolist(), "y_pred": fitted0.tolist()})
        assert abs(out0["r2"] - out0["ess_over_tss"]) > 1e-3
    # and R² can be negative: predictions worse than the mean
    bad = REG.run({"y_true": [1, 2, 3, 4], "y_pred": [4, 3, 2, 1]})
    assert bad["r2"] == pytest.approx(-3.0)


def test_regression_metrics_bad_input():
    for inputs, key in [({"y_true": [1, 0, 2], "y_pred": [1, 1, 2]}, "y_true"),
                        ({"y_true": [1, 2, 3], "y_pred": [1, 2]}, "y_pred"),
                        ({"y_true": "1,2", "y_pred": [1, 2]}, "y_true"),
                        ({"y_true": [1, float("nan")], "y_pred": [1, 2]}, "y_true"),
                        ({"y_true": [], "y_pred": []}, "y_true"),
                        ({"y_true": [[1, 2]], "y_pred": [1, 2]}, "y_true"),
                        ({"y_true": [1, 2]}, "y_pred")]:
        with pytest.raises(InputError) as e:
            REG.run(inputs)
        assert e.value.key == key, inputs


def test_regression_mistakes_compute_the_misconception():
    out = REG.run(REG.example, mistake="metrics.mse-no-mean")
    assert out["mse"] == pytest.approx(20.0)
    assert REG.run(REG.example, mistake="metrics.rmse-as-mae")["rmse"] == pytest.approx(1.6)
    assert REG.run(REG.example, mistake="metrics.r2-ess")["r2"] == pytest.approx(940 / 1000)
    assert REG.run(REG.example, mistake="metrics.mape-no-percent")["mape"] == pytest.approx(0.057)


# ============================================================================ classification


def _mann_whitney_auc(y, s):
    pos = [b for a, b in zip(y, s) if a == 1]
    neg = [b for a, b in zip(y, s) if a == 0]
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def test_auc_is_the_mann_whitney_statistic_with_ties():
    rng = np.random.default_rng(2)
    for case in range(CASES):
        n = int(rng.integers(4, 30))
        y = rng.integers(0, 2, size=n)
        y[0], y[1] = 0, 1
        s = np.round(rng.normal(size=n) + 0.8 * y, 1)        # rounding makes ties
        out = CLS.run({"y_true": y.tolist(), "scores": s.tolist()})
        assert out["auc"] == pytest.approx(_mann_whitney_auc(y, s), abs=1e-12), case
        roc = out["roc"]
        assert (roc[0]["fpr"], roc[0]["tpr"]) == (0.0, 0.0) and (roc[-1]["fpr"], roc[-1]["tpr"]) == (1.0, 1.0)
        assert all(a["fpr"] <= b["fpr"] and a["tpr"] <= b["tpr"] for a, b in zip(roc, roc[1:]))
        for pt in roc[1:]:       # each point is the rates of "score ≥ threshold"
            pred = s >= pt["threshold"]
            assert pt["tpr"] == pytest.approx(np.mean(pred[y == 1]))
            assert pt["fpr"] == pytest.approx(np.mean(pred[y == 0]))


def test_classification_metrics_by_hand():
    rng = np.random.default_rng(3)
    for _ in range(CASES):
        n = int(rng.integers(5, 40))
        y, p = rng.integers(0, 2, size=n), rng.integers(0, 2, size=n)
        out = CLS.run({"y_true": y.tolist(), "y_pred": p.tolist()})
        tp = sum(1 for a, b in zip(y, p) if a == 1 and b == 1)
        fp = sum(1 for a, b in zip(y, p) if a == 0 and b == 1)
        fn = sum(1 for a, b in zip(y, p) if a == 1 and b == 0)
        tn = n - tp - fp - fn
        assert out["confusion"].tolist() == [[tn, fp], [fn, tp]]
        assert out["accuracy"] == pytest.approx((tp + tn) / n)
        if tp + fp and tp + fn and tp:
            prec, rec = tp / (tp + fp), tp / (tp + fn)
            assert out["precision"] == pytest.approx(prec)
            assert out["recall"] == pytest.approx(rec)
            assert out["f1"] == pytest.approx(2 / (1 / prec + 1 / rec))
        if tn + fp:
            assert out["specificity"] == pytest.approx(tn / (tn + fp))
        same = CLS.run({"tp": tp, "fp": fp, "fn": fn, "tn": tn})
        assert same["confusion"].tolist() == out["confusion"].tolist()


def test_classification_example_values_and_undefined():
    out = CLS.run(CLS.example)
    assert out["confusion"].tolist() == [[4, 1], [2, 3]]
    assert (out["precision"], out["recall"], out["specificity"]) == (0.75, 0.6, 0.8)
    assert out["auc"] == pytest.approx(0.86)
    none = CLS.run({"tp": 0, "fp": 0, "fn": 3, "tn": 5})
    assert math.isnan(none["precision"]) and none["notes"]


def test_classification_bad_input():
    for inputs, key in [({"y_true": [0, 2], "y_pred": [0, 1]}, "y_true"),
                        ({"y_true": [0, 1], "y_pred": [0, 1, 1]}, "y_pred"),
                        ({"y_true": [1, 1], "scores": [0.2, 0.3]}, "y_true"),
                        ({"y_true": [0, 1]}, "y_pred"),
                        ({"tp": 0, "fp": 0, "fn": 0, "tn": 0}, "tp"),
                        ({"tp": -1, "fp": 0, "fn": 0, "tn": 1}, "tp"),
                        ({"tp": 1.5, "fp": 0, "fn": 0, "tn": 1}, "tp"),
                        ({}, "y_true")]:
        with pytest.raises(InputError) as e:
            CLS.run(inputs)
        assert e.value.key == key, inputs


# ============================================================================ OLS


def test_ols_matches_lstsq():
    rng = np.random.default_rng(4)
    for case in range(CASES):
        n, p = int(rng.integers(4, 15)), int(rng.integers(1, 4))
        x = rng.normal(size=(n, p)) * rng.choice([1, 100, 1e4], size=p)
        y = x @ rng.normal(size=p) + rng.normal(size=n) + 7
        for intercept in (True, False):
            if n <= p + intercept:
                continue
            out = OLS.run({"x": x.tolist(), "y": y.tolist(), "intercept": intercept})
            X = np.column_stack([x, np.ones(n)]) if intercept else x
            beta = np.linalg.lstsq(X, y, rcond=None)[0]
            np.testing.assert_allclose(out["beta"], beta, rtol=1e-7, atol=1e-9, err_msg=f"case {case}")
            np.testing.assert_allclose(out["xtx"], X.T @ X, rtol=1e-12)
            np.testing.assert_allclose(out["xty"], X.T @ y, rtol=1e-12)
            resid = y - X @ beta
            assert out["r2"] == pytest.approx(1 - resid @ resid / np.sum((y - y.mean()) ** 2), rel=1e-7)


def test_ols_simple_line_closed_form():
    x, y = np.array([1.0, 2, 4, 5, 8]), np.array([2.0, 3, 7, 8, 13])
    out = OLS.run({"x": x.tolist(), "y": y.tolist()})
    w = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)     # seed 002's formulas
    assert out["coef"][0] == pytest.approx(w)
    assert out["intercept"] == pytest.approx(y.mean() - w * x.mean())


def test_ols_seed_002_used_car_prices():
    """Seed 002, '중고차 가격 예측': 15 Corollas (mileage, hp, cc) → price; the last slide asks for 132,151 km,
    110 hp, 1,600 cc. (Two of the slides print only 14 rows: the 9,750 km / €12,950 car is missing.)"""
    out = OLS.run(OLS.example)
    X = np.column_stack([np.array(regression_mod.CARS_X, float), np.ones(15)])
    beta = np.linalg.lstsq(X, np.array(regression_mod.CARS_Y, float), rcond=None)[0]
    np.testing.assert_allclose(out["beta"], beta, rtol=1e-8)
    np.testing.assert_allclose(out["coef"], [0.0213621549, 62.8048180, 0.123081229], rtol=1e-8)
    assert out["intercept"] == pytest.approx(8128.13330, rel=1e-8)
    assert out["r2"] == pytest.approx(0.786160472, rel=1e-8)
    assert out["prediction"][0] == pytest.approx(18056.6234, rel=1e-8)


def test_ols_seed_002_toy_tables():
    # "Y = X1 + X2" for (0,2),(1,3),(2,4),(3,5) → 2,4,6,8: exact through the origin ...
    x = [[0, 2], [1, 3], [2, 4], [3, 5]]
    out = OLS.run({"x": x, "y": [2, 4, 6, 8], "intercept": False})
    np.testing.assert_allclose(out["coef"], [1, 1], atol=1e-12)
    # ... but with an intercept X2 = X1 + 2 makes XᵀX singular (Y = 2·X1 + 2 fits as well)
    with pytest.raises(InputError) as e:
        OLS.run({"x": x, "y": [2, 4, 6, 8]})
    assert e.value.key == "x"
    # "Y = 0.5 X1 + 3 X2" gives 6, 9.5, 13, 16.5 only with X2 = 2, 3, 4, 5; the slide's table prints X2 = 0,1,2,3
    out = OLS.run({"x": x, "y": [6, 9.5, 13, 16.5], "intercept": False})
    np.testing.assert_allclose(out["coef"], [0.5, 3], atol=1e-12)
    printed = np.array([[0, 0], [1, 1], [2, 2], [3, 3]])
    assert not np.allclose(printed @ [0.5, 3], [6, 9.5, 13, 16.5])


def test_ols_bad_input():
    for inputs, key in [({"x": [1, 2, 3], "y": [1, 2]}, "y"),
                        ({"x": [1, 1, 1], "y": [1, 2, 3]}, "x"),
                        ({"x": [1, 2], "y": [1, 2], "x_new": [[1, 2]]}, "x_new"),
                        ({"x": [[1, 2], [3, 4], [5, 7]], "y": [1, 2, 3], "x_new": [1, 2, 3]}, "x_new"),
                        ({"x": [1, 2, 3], "y": [1, 2, 3], "intercept": "yes"}, "intercept"),
                        ({"x": [1, 2, float("inf")], "y": [1, 2, 3]}, "x")]:
        with pytest.raises(InputError) as e:
            OLS.run(inputs)
        assert e.value.key == key, inputs


# ============================================================================ logistic


def test_logistic_matches_torch_bce_and_autograd():
    rng = np.random.default_rng(5)
    for case in range(CASES):
        n, p = int(rng.integers(1, 8)), int(rng.integers(1, 4))
        x, y = rng.normal(size=(n, p)) * 2, rng.integers(0, 2, size=n).astype(float)
        w, b = rng.normal(size=p), float(rng.normal())
        lr, steps = float(rng.uniform(0.01, 1)), int(rng.integers(1, 4))
        out = LOGISTIC.run({"x": x.tolist(), "y": y.tolist(), "w": w.tolist(), "b": b, "lr": lr, "steps": steps})
        tw, tb = _t(w).requires_grad_(), _t(b).requires_grad_()
        for k in range(steps):
            z = _t(x) @ tw + tb
            loss = F.binary_cross_entropy(torch.sigmoid(z), _t(y))
            ref_loss = F.binary_cross_entropy_with_logits(z, _t(y))
            assert loss.item() == pytest.approx(ref_loss.item(), rel=1e-9)
            gw, gb = torch.autograd.grad(ref_loss, (tw, tb))
            st = out["steps"][k]
            assert st["loss"] == pytest.approx(ref_loss.item(), rel=1e-10), case
            np.testing.assert_allclose(st["grad_w"], gw.numpy(), rtol=1e-9, atol=1e-12)
            assert st["grad_b"] == pytest.approx(gb.item(), rel=1e-9, abs=1e-12)
            with torch.no_grad():
                tw -= lr * gw
                tb -= lr * gb
        np.testing.assert_allclose(out["w"], tw.detach().numpy(), rtol=1e-9, atol=1e-12)
        assert out["b"] == pytest.approx(tb.item(), rel=1e-9, abs=1e-12)


def test_logistic_stable_for_large_logits():
    out = LOGISTIC.run({"x": [[50.0], [-50.0]], "y": [0, 1], "w": [20.0], "b": 0})
    ref = F.binary_cross_entropy_with_logits(_t([1000.0, -1000.0]), _t([0, 1])).item()
    assert math.isfinite(out["loss"]) and out["loss"] == pytest.approx(ref)


def test_logistic_gradient_sign_mistake_increases_the_loss():
    inp = dict(LOGISTIC.example, lr=0.05, steps=1)
    right, wrong = LOGISTIC.run(inp), LOGISTIC.run(inp, mistake="logistic.grad-sign")
    assert right["loss_after"] < right["loss"] < wrong["loss_after"]


def test_logistic_bad_input():
    base = {"x": [[1, 2], [3, 4]], "y": [0, 1], "w": [0.1, 0.2]}
    for change, key in [({"y": [0, 2]}, "y"), ({"y": [0]}, "y"), ({"w": [0.1]}, "w"), ({"lr": -1}, "lr"),
                        ({"steps": 0}, "steps"), ({"x": "abc"}, "x"), ({"b": "1"}, "b")]:
        with pytest.raises(InputError) as e:
            LOGISTIC.run(base | change)
        assert e.value.key == key, change


# ============================================================================ K-means


def _kmeans_loop(points, centroids, iterations):
    """Plain-Python Lloyd iterations (lists, math.dist); returns per-iteration (assign, centroids, inertia)."""
    out = []
    cents = [list(c) for c in centroids]
    prev = None
    for _ in range(iterations):
        assign = []
        for p in points:
            ds = [math.dist(p, c) for c in cents]
            assign.append(ds.index(min(ds)))
        new = []
        for j, c in enumerate(cents):
            members = [p for p, a in zip(points, assign) if a == j]
            new.append([sum(col) / len(members) for col in zip(*members)] if members else list(c))
        inertia = sum(math.dist(p, new[a]) ** 2 for p, a in zip(points, assign))
        out.append((assign, new, inertia))
        moved = any(abs(a - b) > 1e-12 for c0, c1 in zip(cents, new) for a, b in zip(c0, c1))
        cents = new
        if not moved or assign == prev:
            break
        prev = assign
    return out


def test_kmeans_matches_plain_python_loop():
    rng = np.random.default_rng(6)
    for case in range(CASES):
        n, d, k = int(rng.integers(3, 20)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        pts = rng.normal(size=(n, d)) + rng.integers(0, 3, size=(n, 1)) * 3
        cents = pts[rng.choice(n, size=k, replace=False)] + rng.normal(scale=0.1, size=(k, d))
        out = KMEANS.run({"points": pts.tolist(), "centroids": cents.tolist(), "iterations": 20})
        ref = _kmeans_loop(pts.tolist(), cents.tolist(), 20)
        assert len(out["iterations"]) == len(ref), case
        for it, (assign, new, inertia) in zip(out["iterations"], ref):
            assert it["assign"].tolist() == assign
            np.testing.assert_allclose(it["centroids"], new, rtol=1e-12, atol=1e-12)
            assert it["inertia"] == pytest.approx(inertia, rel=1e-10)
        inertias = [it["inertia"] for it in out["iterations"]]
        assert all(b <= a + 1e-9 for a, b in zip(inertias, inertias[1:]))
        assert out["converged"] == (len(ref) < 20 or ref[-1][0] == ref[-2][0])


def test_kmeans_empty_cluster_keeps_its_centroid():
    out = KMEANS.run({"points": [[0, 0], [1, 0], [0, 1]], "centroids": [[0, 0], [100, 100]], "iterations": 3})
    first = out["iterations"][0]
    assert first["empty"] == [1]
    assert first["centroids"][1].tolist() == [100, 100]
    assert any("kept" in s for s in out["notes"])


def test_kmeans_example_and_bad_input():
    out = KMEANS.run(KMEANS.example)
    assert out["assign"].tolist() == [0, 0, 1, 1, 1, 1, 1]
    np.testing.assert_allclose(out["centroids"], [[1.25, 1.5], [3.9, 5.1]])
    assert out["converged"]
    for change, key in [({"centroids": [[1, 1, 1]]}, "centroids"), ({"points": []}, "points"),
                        ({"iterations": 0}, "iterations"), ({"points": [[1, 2], [3]]}, "points")]:
        with pytest.raises(InputError) as e:
            KMEANS.run(KMEANS.example | change)
        assert e.value.key == key, change


# ============================================================================ k-NN


def test_knn_matches_sorting_by_hand():
    rng = np.random.default_rng(7)
    for case in range(CASES):
        n, d = int(rng.integers(2, 15)), int(rng.integers(1, 4))
        pts, q = rng.normal(size=(n, d)), rng.normal(size=d)
        labels = [str(x) for x in rng.choice(["a", "b", "c"], size=n)]
        k = int(rng.integers(1, n + 1))
        out = KNN.run({"points": pts.tolist(), "labels": labels, "query": q.tolist(), "k": k})
        dist = [math.dist(p, q) for p in pts.tolist()]
        order = sorted(range(n), key=lambda i: (dist[i], i))[:k]
        assert out["neighbors"].tolist() == order, case
        votes = {}
        for i in order:
            votes[labels[i]] = votes.get(labels[i], 0) + 1
        assert out["votes"] == votes
        top = max(votes.values())
        assert out["prediction"] == next(labels[i] for i in order if votes[labels[i]] == top)


def test_knn_bad_input():
    for change, key in [({"labels": ["A"]}, "labels"), ({"k": 7}, "k"), ({"k": 0}, "k"),
                        ({"query": [1, 2, 3]}, "query"), ({"labels": [["A"]] * 6}, "labels")]:
        with pytest.raises(InputError) as e:
            KNN.run(KNN.example | change)
        assert e.value.key == key, change


# ============================================================================ GMM-EM


def _mixture_loglik(x, means, covs, weights):
    comps = [torch.distributions.MultivariateNormal(_t(m), covariance_matrix=_t(c)) for m, c in zip(means, covs)]
    dens = torch.stack([torch.log(_t(w)) + comp.log_prob(_t(x)) for comp, w in zip(comps, weights)], dim=1)
    return torch.logsumexp(dens, dim=1).sum().item()


@pytest.mark.slow
def test_gmm_log_likelihood_matches_torch_and_never_decreases():
    rng = np.random.default_rng(8)
    for case in range(30):
        d, k, n = int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(8, 25))
        x = rng.normal(size=(n, d)) + rng.integers(0, k, size=(n, 1)) * 3
        means = x[rng.choice(n, size=k, replace=False)]
        a = rng.normal(size=(k, d, d)) * 0.5                    # full (correlated) covariances too
        covs = a @ a.transpose(0, 2, 1) + np.eye(d) * rng.uniform(0.5, 2, size=(k, 1, 1))
        w = rng.dirichlet(np.ones(k) * 3)
        out = GMM.run({"x": x.tolist(), "means": means.tolist(), "covs": covs.tolist(), "weights": w.tolist(),
                       "iterations": 15})
        if out["notes"]:
            continue
        first = out["iterations"][0]
        assert first["log_likelihood"] == pytest.approx(_mixture_loglik(x, means, covs, w), rel=1e-10), case
        assert out["final_log_likelihood"] == pytest.approx(
            _mixture_loglik(x, out["means"], out["covs"], out["weights"]), rel=1e-10)
        lls = out["log_likelihoods"]
        assert all(b >= a - 1e-9 * abs(a) for a, b in zip(lls, lls[1:])), case
        np.testing.assert_allclose(first["resp"].sum(axis=1), 1.0, rtol=1e-12)


def test_gmm_one_step_by_hand_in_1d():
    x = np.array([1.0, 1.4, 2.1, 2.5, 5.8, 6.3, 7.0, 7.4])
    mu, var, pi = [2.0, 5.0], [1.0, 1.0], [0.5, 0.5]
    out = GMM.run({"x": x.tolist(), "means": mu, "vars": var, "weights": pi, "iterations": 1})
    it = out["iterations"][0]

    def pdf(v, m, s2):
        return math.exp(-(v - m) ** 2 / (2 * s2)) / math.sqrt(2 * math.pi * s2)

    resp = [[pi[j] * pdf(v, mu[j], var[j]) for j in range(2)] for v in x]
    resp = [[r / sum(row) for r in row] for row in resp]
    np.testing.assert_allclose(it["resp"], resp, rtol=1e-12)
    for j in range(2):
        nk = sum(r[j] for r in resp)
        m = sum(r[j] * v for r, v in zip(resp, x)) / nk
        s2 = sum(r[j] * (v - m) ** 2 for r, v in zip(resp, x)) / nk
        assert it["means"][j] == pytest.approx(m)
        assert it["vars"][j] == pytest.approx(s2)
        assert it["weights"][j] == pytest.approx(nk / len(x))
    old = GMM.run({"x": x.tolist(), "means": mu, "vars": var, "weights": pi, "iterations": 1},
                  mistake="gmm.var-old-mean")["iterations"][0]
    for j in range(2):
        nk = sum(r[j] for r in resp)
        assert old["vars"][j] == pytest.approx(sum(r[j] * (v - mu[j]) ** 2 for r, v in zip(resp, x)) / nk)


def test_gmm_bad_input():
    base = GMM.example
    for change, key in [({"weights": [0.7, 0.7]}, "weights"), ({"vars": [1.0, -1.0]}, "vars"),
                        ({"means": [[1, 2], [3, 4]]}, "means"), ({"vars": [1.0]}, "vars"),
                        ({"x": [[1, 2], [3, 4]], "means": [[0, 0], [1, 1]], "covs": [[[1, 2], [2, 1]]] * 2,
                          "vars": None}, "covs")]:
        with pytest.raises(InputError) as e:
            GMM.run(base | change)
        assert e.value.key == key, change


# ============================================================================ DBSCAN


def _dbscan_reference(points, eps, min_samples):
    """Brute force: core points by counting, clusters = connected components of the core graph (BFS),
    numbered by their smallest core index; a border point joins the lowest-numbered cluster near it."""
    n = len(points)
    near = [[j for j in range(n) if math.dist(points[i], points[j]) <= eps] for i in range(n)]
    core = [len(near[i]) >= min_samples for i in range(n)]
    comp = [-1] * n
    c = 0
    for s in range(n):
        if core[s] and comp[s] == -1:
            comp[s] = c
            queue = deque([s])
            while queue:
                i = queue.popleft()
                for j in near[i]:
                    if core[j] and comp[j] == -1:
                        comp[j] = c
                        queue.append(j)
            c += 1
    labels = list(comp)
    for i in range(n):
        if not core[i]:
            ids = [comp[j] for j in near[i] if core[j]]
            labels[i] = min(ids) if ids else -1
    return labels, core


def test_dbscan_matches_brute_force_reference():
    rng = np.random.default_rng(9)
    for case in range(CASES):
        n = int(rng.integers(3, 30))
        pts = np.round(rng.uniform(0, 10, size=(n, 2)), 1)
        eps, ms = float(rng.uniform(0.8, 2.5)), int(rng.integers(1, 6))
        out = DBSCAN.run({"points": pts.tolist(), "eps": eps, "min_samples": ms})
        labels, core = _dbscan_reference(pts.tolist(), eps, ms)
        assert out["labels"].tolist() == labels, case
        assert out["is_core"].tolist() == core
        assert sorted(out["core"].tolist() + out["border"].tolist() + out["noise"].tolist()) == list(range(n))


def test_expanding_from_border_points_changes_nothing_below_min_samples_4():
    # why dbscan.labels does not look for that mistake when min_samples = 3 (and can draw such variants)
    rng = np.random.default_rng(4)
    for case in range(CASES):
        pts = np.round(rng.uniform(0, 10, size=(int(rng.integers(3, 30)), int(rng.integers(1, 3)))), 1)
        eps, ms = float(rng.uniform(0.8, 2.5)), int(rng.integers(1, 4))
        inp = {"points": pts.tolist(), "eps": eps, "min_samples": ms}
        right = DBSCAN.run(inp)
        wrong = dbscan_mod.dbscan(pts, eps, ms, expand_from_border=True)
        assert wrong["labels"].tolist() == right["labels"].tolist(), case
    gen = g_dbscan.DBSCANLabels()
    for seed in range(10):
        v = gen.variant(seed, {"n": 10, "min_samples": 3})
        assert v.data["min_samples"] == 3 and list(gen.mistakes(v)) == ["dbscan.min-samples-excluding-self"]


def test_dbscan_example_and_min_samples_counts_self():
    out = DBSCAN.run(DBSCAN.example)
    assert out["labels"].tolist() == [0, 0, 0, 0, 0, -1, 1, 1, 1, 1, -1]
    assert out["border"].tolist() == [4] and out["noise"].tolist() == [5, 10]
    # a lone pair within ε: with min_samples = 2 both are core (each counts itself and the other)
    pair = DBSCAN.run({"points": [[0, 0], [0, 1]], "eps": 1, "min_samples": 2})
    assert pair["labels"].tolist() == [0, 0]
    assert DBSCAN.run({"points": [[0, 0], [0, 1]], "eps": 1, "min_samples": 2},
                      mistake="dbscan.min-samples-excluding-self")["labels"].tolist() == [-1, -1]
    assert DBSCAN.run({"points": [[0, 0], [0, 1]], "eps": 1, "min_samples": 3})["labels"].tolist() == [-1, -1]


def test_dbscan_bad_input():
    for change, key in [({"eps": 0}, "eps"), ({"eps": "1"}, "eps"), ({"min_samples": 0}, "min_samples"),
                        ({"points": [[1, 2], [3]]}, "points")]:
        with pytest.raises(InputError) as e:
            DBSCAN.run(DBSCAN.example | change)
        assert e.value.key == key, change


# ============================================================================ PCA


def test_pca_matches_eigh_and_svd():
    rng = np.random.default_rng(10)
    for _ in range(CASES):
        n, p = int(rng.integers(3, 20)), int(rng.integers(1, 5))
        x = rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) + rng.normal(size=p) * 5
        k = int(rng.integers(1, p + 1))
        out = PCA.run({"x": x.tolist(), "k": k, "whiten": n > p})
        np.testing.assert_allclose(out["cov"], np.cov(x, rowvar=False).reshape(p, p), rtol=1e-10, atol=1e-12)
        vals, vecs = np.linalg.eigh(np.cov(x, rowvar=False).reshape(p, p))
        np.testing.assert_allclose(out["eigenvalues"], vals[::-1], rtol=1e-9, atol=1e-10)
        s = np.linalg.svd(x - x.mean(axis=0), compute_uv=False)
        s = np.r_[s, np.zeros(p - s.size)]                               # n ≤ p: the missing ones are 0
        np.testing.assert_allclose(out["explained_ratio"], s ** 2 / np.sum(s ** 2), rtol=1e-9, atol=1e-12)
        comps = out["components"]
        for j in range(p):
            v = comps[j]
            # an eigenvector of S with that eigenvalue, unit length, sign rule: largest |entry| positive
            np.testing.assert_allclose(np.cov(x, rowvar=False).reshape(p, p) @ v, out["eigenvalues"][j] * v,
                                       atol=1e-8 * max(1, out["eigenvalues"][0]))
            assert np.linalg.norm(v) == pytest.approx(1)
            assert v[np.argmax(np.abs(v))] > 0 or np.isclose(np.abs(v).max(), np.sort(np.abs(v))[-2])
        np.testing.assert_allclose(out["projected"], (x - x.mean(axis=0)) @ comps[:k].T, rtol=1e-9, atol=1e-9)
        if n > p:
            np.testing.assert_allclose(np.cov(out["whitened"], rowvar=False).reshape(k, k), np.eye(k), atol=1e-8)


def test_pca_classic_example_and_covariance_input():
    # Lindsay Smith's PCA tutorial data (10 points in 2-D)
    out = PCA.run(PCA.example)
    np.testing.assert_allclose(out["eigenvalues"], [1.28402771, 0.0490833989], rtol=1e-8)
    np.testing.assert_allclose(out["components"][0], [0.677873399, 0.735178656], rtol=1e-8)
    cov = PCA.run({"cov": [[2, 1], [1, 2]]})
    np.testing.assert_allclose(cov["eigenvalues"], [3, 1])
    np.testing.assert_allclose(cov["components"], np.array([[1, 1], [1, -1]]) / math.sqrt(2))
    np.testing.assert_allclose(cov["explained_ratio"], [0.75, 0.25])


def test_pca_mistake_values():
    x = np.array(PCA.example["x"])
    unc = PCA.run(PCA.example, mistake="pca.uncentred")
    np.testing.assert_allclose(unc["eigenvalues"], np.linalg.eigvalsh(x.T @ x / 9)[::-1])
    sv = PCA.run(PCA.example, mistake="pca.singular-ratio")
    s = np.linalg.svd(x - x.mean(axis=0), compute_uv=False)
    np.testing.assert_allclose(sv["explained_ratio"], s / s.sum())


def test_pca_bad_input():
    for inputs, key in [({"x": [1, 2, 3]}, "x"), ({"x": [[1, 2]]}, "x"), ({"x": [[1, 2], [3, 4]], "k": 3}, "k"),
                        ({"x": [[1, 1], [2, 1], [3, 1]], "whiten": True}, "whiten"),
                        ({"x": [[1, 2], [3, 4]], "whiten": "yes"}, "whiten"),
                        ({"cov": [[1, 2], [3, 4]]}, "cov"), ({"cov": [[1, 2], [2, 1]]}, "cov")]:
        with pytest.raises(InputError) as e:
            PCA.run(inputs)
        assert e.value.key == key, inputs


# ============================================================================ MLE


def _torch_loglik(family, data, est, trials=1):
    d = _t(data)
    if family == "bernoulli":
        return torch.distributions.Bernoulli(probs=_t(est["p"])).log_prob(d).sum().item()
    if family == "binomial":
        return torch.distributions.Binomial(trials, probs=_t(est["p"])).log_prob(d).sum().item()
    if family == "normal":
        return torch.distributions.Normal(_t(est["mean"]), _t(math.sqrt(est["var"]))).log_prob(d).sum().item()
    if family == "exponential":
        return torch.distributions.Exponential(_t(est["rate"])).log_prob(d).sum().item()
    return torch.distributions.Poisson(_t(est["rate"])).log_prob(d).sum().item()


def test_mle_maximises_the_likelihood_on_a_grid():
    rng = np.random.default_rng(11)
    for case in range(CASES):
        fam = ["bernoulli", "binomial", "normal", "exponential", "poisson"][case % 5]
        n = int(rng.integers(3, 12))
        trials = int(rng.integers(2, 10))
        if fam == "bernoulli":
            data = rng.integers(0, 2, size=n)
        elif fam == "binomial":
            data = rng.binomial(trials, 0.4, size=n)
        elif fam == "normal":
            data = rng.normal(3, 2, size=n)
        elif fam == "exponential":
            data = rng.exponential(2, size=n)
        else:
            data = rng.poisson(3, size=n)
        data = data.astype(float)
        if fam in ("bernoulli", "binomial") and data.sum() in (0, n * (1 if fam == "bernoulli" else trials)):
            continue
        out = MLE.run({"data": data.tolist(), "family": fam, "n": trials})
        est = out["estimates"]
        assert out["log_likelihood"] == pytest.approx(_torch_loglik(fam, data, est, trials), rel=1e-9), case
        # no point of a fine grid around the estimate does better
        key = {"normal": "mean"}.get(fam, "p" if fam in ("bernoulli", "binomial") else "rate")
        grid = est[key] * np.linspace(0.8, 1.2, 81) if est[key] else np.linspace(-1, 1, 81)
        for g in grid:
            if fam in ("bernoulli", "binomial") and not 0 < g < 1:
                continue
            other = dict(est, **{key: float(g)})
            assert _torch_loglik(fam, data, other, trials) <= out["log_likelihood"] + 1e-9
        if fam == "normal":
            assert est["var"] == pytest.approx(np.var(data))                # 1/n
            assert est["var_unbiased"] == pytest.approx(np.var(data, ddof=1))
            for s2 in est["var"] * np.linspace(0.7, 1.3, 61):
                assert _torch_loglik(fam, data, dict(est, var=float(s2))) <= out["log_likelihood"] + 1e-9


def test_mle_bad_input():
    for inputs, key in [({"data": [0, 1, 2], "family": "bernoulli"}, "data"),
                        ({"data": [1, 2], "family": "binomial"}, "n"),
                        ({"data": [1, 12], "family": "binomial", "n": 10}, "data"),
                        ({"data": [1, 1, 1], "family": "normal"}, "data"),
                        ({"data": [1.5, 2], "family": "poisson"}, "data"),
                        ({"data": [-1, 2], "family": "exponential"}, "data"),
                        ({"data": [1, 2], "family": "gamma"}, "family"),
                        ({"data": [], "family": "normal"}, "data")]:
        with pytest.raises(InputError) as e:
            MLE.run(inputs)
        assert e.value.key == key, inputs


# ============================================================================ ARIMA


def _arma_reference(series, phi, theta, d, c):
    w = list(series)
    for _ in range(d):
        w = [b - a for a, b in zip(w, w[1:])]
    p, q = len(phi), len(theta)
    preds, eps = [None] * len(w), [0.0] * len(w)
    for t in range(p, len(w)):
        pred = c + sum(phi[i] * w[t - 1 - i] for i in range(p))
        pred += sum(theta[j] * eps[t - 1 - j] for j in range(q) if t - 1 - j >= 0)
        preds[t] = pred
        eps[t] = w[t] - pred
    return w, preds


def test_arima_matches_recursion_and_integrates_back():
    rng = np.random.default_rng(12)
    for case in range(CASES):
        n, d = int(rng.integers(6, 15)), int(rng.integers(0, 3))
        p, q = int(rng.integers(0, 3)), int(rng.integers(0, 3))
        y = np.cumsum(rng.normal(1, 2, size=n))
        phi, theta, c = rng.uniform(-0.8, 0.8, p), rng.uniform(-0.8, 0.8, q), float(rng.normal())
        out = ARIMA.run({"series": y.tolist(), "phi": phi.tolist(), "theta": theta.tolist(), "d": d, "c": c})
        w, preds = _arma_reference(y.tolist(), phi.tolist(), theta.tolist(), d, c)
        np.testing.assert_allclose(out["differenced"], np.diff(y, n=d) if d else y, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(out["differenced"], w, rtol=1e-12, atol=1e-12)
        for t, pr in enumerate(preds):
            if pr is None:
                assert math.isnan(out["predictions"][t])
            else:
                assert out["predictions"][t] == pytest.approx(pr, rel=1e-12, abs=1e-12), case
                # y_t − ŷ_t = w_t − ŵ_t: the residual is the same on both scales
                assert y[t + d] - out["predictions_y"][t + d] == pytest.approx(w[t] - pr, abs=1e-9)
                if d == 1:
                    assert out["predictions_y"][t + 1] == pytest.approx(y[t] + pr)


def test_arima_example_values():
    out = ARIMA.run(ARIMA.example)
    assert out["differenced"].tolist() == [2, 3, 2, 3, 4, 1, 4]
    # ŵ_2 = 1 + 0.5·2 + 0.3·0 = 2 → ŷ = 12 + 2 = 14
    assert out["predictions"][1] == pytest.approx(2.0)
    assert out["predictions_y"][2] == pytest.approx(14.0)
    no_int = ARIMA.run(ARIMA.example, mistake="arima.no-integrate")
    assert no_int["predictions_y"][2] == pytest.approx(2.0)


def test_arima_bad_input():
    for change, key in [({"series": [1, 2]}, "series"), ({"d": -1}, "d"), ({"phi": "0.5"}, "phi"),
                        ({"theta": [float("nan")]}, "theta"), ({"c": [1]}, "c")]:
        with pytest.raises(InputError) as e:
            ARIMA.run(ARIMA.example | change)
        assert e.value.key == key, change
    with pytest.raises(InputError) as e:
        ARIMA.run(ARIMA.example | {"d": 0}, mistake="arima.no-integrate")
    assert e.value.key == "mistake"


# ============================================================================ BERT


def test_mlm_masking_rules():
    toks = MLM.example["tokens"]
    for seed in range(50):
        out = MLM.run({"tokens": toks, "seed": seed})
        assert jsonable(out) == jsonable(MLM.run({"tokens": toks, "seed": seed}))       # deterministic
        pos = out["positions"]
        assert len(pos) == round(0.15 * 20) and len(set(pos)) == len(pos)
        assert all(toks[i] not in ("[CLS]", "[SEP]") for i in pos)
        assert sorted(out["masked"] + out["random"] + out["kept"]) == pos
        assert all(out["output"][i] == "[MASK]" for i in out["masked"])
        assert all(out["output"][i] == toks[i] for i in out["kept"])
        assert all(out["output"][i] in set(toks) - {"[CLS]", "[SEP]"} for i in out["random"])
        assert all(out["output"][i] == toks[i] for i in range(len(toks)) if i not in pos)


def test_mlm_split_is_80_10_10_in_the_long_run():
    counts = np.zeros(3)
    for seed in range(400):
        out = MLM.run({"n": 200, "seed": seed})
        assert out["n_selected"] == 30
        counts += [len(out["masked"]), len(out["random"]), len(out["kept"])]
    np.testing.assert_allclose(counts / counts.sum(), [0.8, 0.1, 0.1], atol=0.015)


def test_mlm_bad_input():
    for inputs, key in [({"tokens": ["a", 3]}, "tokens"), ({"tokens": []}, "tokens"), ({"n": 0}, "n"),
                        ({"n": 10, "rate": 0}, "rate"), ({"n": 10, "seed": -1}, "seed"),
                        ({"tokens": ["[CLS]", "[SEP]"]}, "tokens"), ({"n": 5, "vocab": "abc"}, "vocab")]:
        with pytest.raises(InputError) as e:
            MLM.run(inputs)
        assert e.value.key == key, inputs


def test_wordpiece_seed_example():
    """Seeds 000/004: bert-base-uncased tokenises 'Here is the sentence I want embeddings for.' as below."""
    out = WORDPIECE.run({"text": "Here is the sentence I want embeddings  \nfor.", "vocab": bert_mod.EXAMPLE_VOCAB})
    assert out["tokens"] == ['here', 'is', 'the', 'sentence', 'i', 'want', 'em', '##bed', '##ding', '##s', 'for', '.']


def _greedy_reference(word, vocab):
    """Longest-match-first written recursively (an independent formulation)."""
    def split(rest, first):
        for end in range(len(rest), 0, -1):
            piece = rest[:end] if first else "##" + rest[:end]
            if piece in vocab:
                tail = split(rest[end:], False) if end < len(rest) else []
                return None if tail is None else [piece] + tail
        return None
    return split(word, True) or ["[UNK]"]


def test_wordpiece_matches_recursive_reference_and_reconstructs_words():
    rng = np.random.default_rng(13)
    letters = "abcde"
    for _ in range(CASES):
        vocab = {"[UNK]"}
        for _ in range(25):
            piece = "".join(rng.choice(list(letters), size=int(rng.integers(1, 4))))
            vocab.add(piece if rng.random() < 0.5 else "##" + piece)
        words = ["".join(rng.choice(list(letters), size=int(rng.integers(1, 7)))) for _ in range(5)]
        out = WORDPIECE.run({"text": " ".join(words), "vocab": sorted(vocab)})
        for w, pieces in zip(words, out["pieces"]):
            ref = _greedy_reference(w, vocab)
            # the reference backtracks, greedy does not: where greedy succeeds the reference's first path is
            # the same split; where no split exists at all, greedy must give [UNK] too
            if ref == ["[UNK]"]:
                assert pieces == ["[UNK]"]
            if pieces != ["[UNK]"]:
                assert "".join(p.removeprefix("##") for p in pieces) == w
                assert all(p in vocab for p in pieces)
                assert pieces == ref
    assert WORDPIECE.run({"text": "Café, don't!", "vocab": ["cafe", ",", "don", "'", "t", "!"]})["tokens"] == \
        ["cafe", ",", "don", "'", "t", "!"]
    assert WORDPIECE.run({"text": "xyz ab", "vocab": ["ab", "x", "[UNK]"]})["tokens"] == ["[UNK]", "ab"]


def test_wordpiece_bad_input():
    for inputs, key in [({"text": "", "vocab": ["a"]}, "text"), ({"text": 3, "vocab": ["a"]}, "text"),
                        ({"text": "a", "vocab": "a"}, "vocab"), ({"text": "a", "vocab": [1]}, "vocab")]:
        with pytest.raises(InputError) as e:
            WORDPIECE.run(inputs)
        assert e.value.key == key, inputs


# ============================================================================ generators


GENERATORS = [g_metrics.RegressionMetrics(), g_metrics.ConfusionMetrics(), g_metrics.AUC(),
              g_regression.OLSFit(), g_regression.NormalEquations(), g_logistic.LogisticStep(),
              g_logistic.LogisticPredict(), g_kmeans.KMeansStep(), g_kmeans.KMeansInertia(),
              g_knn.KNNPredict(), g_knn.KNNChoiceOfK(), g_gmm.GMMEStep(), g_gmm.GMMMStep(),
              g_dbscan.DBSCANNeighbors(), g_dbscan.DBSCANLabels(), g_pca.PCA2D(), g_pca.PCACovariance(),
              g_mle.MLENormal(), g_mle.MLEBinomial(), g_arima.ARIMADifference(), g_arima.ARIMAForecast(),
              g_bert.MLMSplit(), g_bert.WordPieceCount()]


def test_there_are_at_least_two_generators_per_family():
    families = {}
    for g in GENERATORS:
        families.setdefault(g.name.split(".")[0], []).append(g.name)
    assert all(len(v) >= 2 for v in families.values()), families


def _answers(v, values):
    return {f.name: repr(float(values[f.name])) for f in v.fields}


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.name)
def test_generator_grades_right_answers_and_names_each_mistake(gen: Generator):
    from tutor.grading import grade_variant

    for seed in range(12):
        v = gen.variant(seed)
        right = gen.expected(v)
        g = grade_variant(gen, v, _answers(v, right))
        assert g.correct, (seed, g.fields)
        for mid, vals in gen.mistakes(v).items():
            answers = _answers(v, {**right, **vals})
            g = grade_variant(gen, v, answers)
            assert not g.correct, (seed, mid)
            assert g.mistake == mid, (seed, mid, g.mistake)


def test_generator_values_match_independent_references():
    for seed in range(15):
        v = g_regression.OLSFit().variant(seed)
        w, b = np.polyfit(v.data["x"], v.data["y"], 1)
        e = g_regression.OLSFit().expected(v)
        assert (e["w"], e["b"]) == (pytest.approx(w), pytest.approx(b))

        v = g_pca.PCA2D().variant(seed)
        lam = np.linalg.eigvalsh(np.array(v.data["cov"]))[::-1]
        e = g_pca.PCA2D().expected(v)
        assert e["lambda1"] == pytest.approx(lam[0]) and e["ratio1"] == pytest.approx(lam[0] / lam.sum())
        assert lam == pytest.approx(np.round(lam), abs=1e-9)                # the "nice numbers" promise

        v = g_mle.MLENormal().variant(seed)
        e = g_mle.MLENormal().expected(v)
        assert e["var"] == pytest.approx(np.var(v.data["data"]))

        v = g_metrics.AUC().variant(seed)
        y = [1] * len(v.data["pos"]) + [0] * len(v.data["neg"])
        assert g_metrics.AUC().expected(v)["auc"] == pytest.approx(_mann_whitney_auc(y, v.data["pos"] + v.data["neg"]))

        v = g_logistic.LogisticStep().variant(seed)
        d = v.data
        tw, tb = _t([d["w"]]).requires_grad_(), _t(d["b"]).requires_grad_()
        loss = F.binary_cross_entropy_with_logits(_t(d["x"])[:, None] @ tw + tb, _t(d["y"]))
        gw, gb = torch.autograd.grad(loss, (tw, tb))
        e = g_logistic.LogisticStep().expected(v)
        assert e["loss"] == pytest.approx(loss.item()) and e["grad_w"] == pytest.approx(gw.item())
        assert e["b_new"] == pytest.approx(d["b"] - d["lr"] * gb.item())

        v = g_kmeans.KMeansStep().variant(seed)
        (assign, new, _), = _kmeans_loop(v.data["points"], v.data["centroids"], 1)[:1]
        e = g_kmeans.KMeansStep().expected(v)
        assert [e[f"a[{i}]"] - 1 for i in range(len(assign))] == assign
        assert [e["c[0][0]"], e["c[0][1]"], e["c[1][0]"], e["c[1][1]"]] == pytest.approx(new[0] + new[1])

        v = g_dbscan.DBSCANLabels().variant(seed)
        labels, core = _dbscan_reference([[p] for p in v.data["points"]], v.data["eps"], v.data["min_samples"])
        e = g_dbscan.DBSCANLabels().expected(v)
        assert e["n_clusters"] == max(labels) + 1 and e["n_core"] == sum(core)
        assert e["n_noise"] == labels.count(-1)

        v = g_gmm.GMMEStep().variant(seed)
        d = v.data
        e = g_gmm.GMMEStep().expected(v)
        for i, x in enumerate(d["x"]):
            a = d["weights"][0] * math.exp(-(x - d["means"][0]) ** 2 / (2 * d["vars"][0])) / math.sqrt(d["vars"][0])
            b = d["weights"][1] * math.exp(-(x - d["means"][1]) ** 2 / (2 * d["vars"][1])) / math.sqrt(d["vars"][1])
            assert e[f"resp[{i}]"] == pytest.approx(a / (a + b))

        v = g_arima.ARIMAForecast().variant(seed)
        d = v.data
        if not d["ma"]:
            out = ARIMA.run({"series": d["series"], "phi": [d["phi"]], "d": 1, "c": d["c"]})
            e = g_arima.ARIMAForecast().expected(v)
            assert e["y_next"] == pytest.approx(out["forecast"])


def test_generator_error_carried_forward():
    gen = g_metrics.RegressionMetrics()
    v = gen.variant(3)
    right = gen.expected(v)
    ecf = gen.expected(v, {**right, "mse": right["mse"] * 5})
    assert ecf["rmse"] == pytest.approx(math.sqrt(right["mse"] * 5))
    gen = g_regression.NormalEquations()
    v = gen.variant(4)
    right = gen.expected(v)
    mine = {**right, "sxx": right["sxx"] + 10}
    e = gen.expected(v, mine)
    n = len(v.data["x"])
    beta = np.linalg.solve([[mine["sxx"], mine["sx"]], [mine["sx"], n]], [mine["sxy"], mine["sy"]])
    assert (e["w"], e["b"]) == (pytest.approx(beta[0]), pytest.approx(beta[1]))


# ============================================================================ robustness


JUNK = [[], [0], 0, -1, 1e308, 1e-320, "x", None, True, [[1, 2], [3]], {"a": 1}, [1e308, -1e308], [0, 0, 0],
        [[0, 0], [0, 0]], 2.5, [[[1]]], [-1, -2, -3], ["a", "b"], 10 ** 30]


@pytest.mark.parametrize("alg", ALL, ids=lambda a: a.name)
def test_bad_input_never_gives_a_traceback(alg):
    """Junk or rescaled values in any key: a result or an InputError, never another exception."""
    import copy
    import json

    rng = np.random.default_rng(14)
    for _ in range(60):
        inputs = copy.deepcopy(alg.example)
        key = list(inputs)[int(rng.integers(len(inputs)))]
        if rng.random() < 0.5:
            inputs[key] = JUNK[int(rng.integers(len(JUNK)))]
        else:
            try:
                a = np.array(inputs[key], dtype=float)
                scale = [0.0, -1.0, 1e300, 1e-300, 3.0][int(rng.integers(5))]
                inputs[key] = (a * scale).tolist()
            except (TypeError, ValueError):
                inputs[key] = None
        for mistake in [None] + [m.id for m in alg.mistakes]:
            try:
                with np.errstate(all="ignore"):
                    out = alg.run(inputs, mistake=mistake) if mistake else alg.run(inputs)
                json.dumps(jsonable(out))
            except InputError:
                pass
