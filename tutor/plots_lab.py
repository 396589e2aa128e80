r"""What each lab's picture shows: :func:`charts` picks the numbers out of the engine's trace (and
the lab's extra engine runs) as :class:`~tutor.plots.Series` of :class:`~tutor.plots.Chart`\ s, one
function per algorithm; :mod:`tutor.plots` draws them. Only drawing geometry is done here (an
ε-circle around a point, a covariance ellipse, a line w·x + b = 0), never the algorithm.
"""

from __future__ import annotations

import math

from tutor.plots import COLORS, PATH_MARKERS, Chart, Series, _circle, _ellipse, _xy
from tutor.plots_rich import _num, _t
from tutor.tables import fmt_value


def charts(name: str, inputs: dict, out: dict, index: int, extras: dict, lang: str = "en") -> list[Chart]:
    """The charts of a lab at step ``index``: every plotted number is from ``out`` / ``extras``
    (or the inputs themselves: the data points)."""
    f = _CHARTS.get(name)
    if f is None:
        return []
    try:
        return f(inputs, out, index, extras, lang)
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return []   # an input shape the picture does not cover: the numbers still show


def _kmeans(inputs, out, i, ex, lang):
    its = out["iterations"]
    i = min(i, len(its) - 1)
    it = its[i]
    xs, ys = _xy(inputs["points"])
    ch = Chart(_t(lang, f"K-means: iteration {i + 1}/{len(its)}", f"K-means: 반복 {i + 1}/{len(its)}"), equal=True)
    for c in range(len(it["centroids"])):
        idx = [j for j, a in enumerate(it["assign"]) if a == c]
        ch.series.append(Series("scatter", [xs[j] for j in idx], [ys[j] for j in idx], f"{c + 1}",
                                COLORS[c % len(COLORS)], "dot"))
        path = [its[s]["centroids_before"][c] for s in range(i + 1)] + [it["centroids"][c]]
        px, py = _xy(path)
        ch.series.append(Series("line", px, py, "", COLORS[c % len(COLORS)]))
    cx, cy = _xy(it["centroids"])
    ch.series.append(Series("scatter", cx, cy, "μ", "white", "x"))
    return [ch]


def _gmm(inputs, out, i, ex, lang):
    its = out["iterations"]
    i = min(i, len(its) - 1)
    it = its[i]
    x = inputs["x"]
    k = len(it["means"])
    ttl = _t(lang, f"GMM: EM step {i + 1}/{len(its)}", f"GMM: EM 단계 {i + 1}/{len(its)}")
    if not isinstance(x[0], list):     # 1-D: each point at the height of its responsibility γ₁
        ch = Chart(ttl, xlabel="x", ylabel="γ")
        for c in range(k):
            ch.series.append(Series("scatter", list(x), [r[c] for r in it["resp"]], f"γ_{c + 1}",
                                    COLORS[c % len(COLORS)], "dot"))
            ch.series.append(Series("vline", [it["means"][c]], [], "", COLORS[c % len(COLORS)]))
            sd = math.sqrt(it["covs"][c]) if "covs" in it else math.sqrt(it["vars"][c])
            ch.series.append(Series("line", [it["means"][c] - sd, it["means"][c] + sd], [1.05, 1.05], f"μ±σ {c + 1}",
                                    COLORS[c % len(COLORS)]))
        ll = Chart("log L", xlabel=_t(lang, "iteration", "반복"))
        lls = out["log_likelihoods"]
        ll.series.append(Series("line", list(range(len(lls))), lls, "log L", "cyan"))
        ll.series.append(Series("scatter", [i + 1], [lls[i + 1]], "", "red", "o"))
        return [ch, ll]
    xs, ys = _xy(x)
    ch = Chart(ttl, equal=True)
    for c in range(k):
        col = COLORS[c % len(COLORS)]
        idx = [j for j, r in enumerate(it["resp"]) if r[c] == max(r)]
        ch.series.append(Series("scatter", [xs[j] for j in idx], [ys[j] for j in idx], f"{c + 1}", col, "dot"))
        for s in (1, 2):
            e = _ellipse(it["means"][c], it["covs"][c], s)
            if e:
                ch.series.append(Series("line", e[0], e[1], f"{s}σ" if c == 0 else "", col))
    mx, my = _xy(it["means"])
    ch.series.append(Series("scatter", mx, my, "μ", "white", "x"))
    return [ch]


def _em(inputs, out, i, ex, lang):
    its = out["iterations"]
    i = min(i, len(its) - 1)
    steps = list(range(len(its) + 1))
    ta = [its[0]["theta_a_before"]] + [r["theta_a"] for r in its]
    tb = [its[0]["theta_b_before"]] + [r["theta_b"] for r in its]
    th = Chart(_t(lang, "θ_A, θ_B per iteration", "반복별 θ_A, θ_B"), xlabel=_t(lang, "iteration", "반복"))
    th.series += [Series("line", steps, ta, "θ_A", "red"), Series("line", steps, tb, "θ_B", "blue"),
                  Series("scatter", [i + 1, i + 1], [ta[i + 1], tb[i + 1]], "", "white", "o")]
    ll = Chart(_t(lang, "log L (never falls)", "log L (줄지 않음)"), xlabel=_t(lang, "iteration", "반복"))
    lls = [r["log_likelihood"] for r in its]
    ll.series += [Series("line", steps[:-1], lls, "log L", "cyan"), Series("scatter", [i], [lls[i]], "", "red", "o")]
    return [th, ll]


def _gd(inputs, out, i, ex, lang):
    ws = [_num(w) for w in out["w"]]
    gs = [_num(g) for g in out["grad"]]
    path = Chart(_t(lang, "w per step", "단계별 w") + (_t(lang, " (diverges)", " (발산)") if out.get("diverged") else ""),
                 xlabel="t")
    path.series += [Series("line", list(range(len(ws))), ws, "w_t", "cyan"),
                    Series("scatter", [i], [ws[min(i, len(ws) - 1)]], "", "red", "o")]
    grad = Chart("L′(w_t)", xlabel="t")
    grad.series += [Series("line", list(range(len(gs))), gs, "L′(w_t)", "orange")]
    return [path, grad]


def _opt(inputs, out, i, ex, lang):
    """The lab's optimizer, then momentum and Adam, each in its own panel (side by side when wide)."""
    me = str(out.get("optimizer"))
    paths = {me: [_num(w) for w in out["w"]]}
    for o, path in (ex.get("compare") or {}).items():
        if o in ("momentum", "adam") and o not in paths:
            paths[o] = [_num(w) for w in path]
    panels = []
    bad = {me: bool(out.get("diverged")), **(ex.get("compare_diverged") or {})}
    for j, (o, ws) in enumerate(paths.items()):
        ch = Chart(_t(lang, f"{o}: w per step", f"{o}: 단계별 w") + (_t(lang, " (diverges)", " (발산)") if bad.get(o) else ""),
                   xlabel="t", group="optimizers")
        ch.series.append(Series("line", list(range(len(ws))), ws, "w_t", COLORS[j % 8]))
        if o == me:
            ch.series.append(Series("scatter", [i + 1], [ws[min(i + 1, len(ws) - 1)]], f"t = {i + 1}", "white", "o"))
        panels.append(ch)
    g = Chart(_t(lang, "gradient g_t and step Δw_t", "기울기 g_t와 이동 Δw_t"), xlabel="t")
    tr = out["trace"]
    g.series += [Series("line", [r["t"] for r in tr], [_num(r["g"]) for r in tr], "g_t", "orange"),
                 Series("line", [r["t"] for r in tr], [_num(r["update"]) for r in tr], "Δw_t", "cyan")]
    return panels + [g]


def paths_2d(out: dict) -> dict[str, list[dict]]:
    """The trace rows of each optimizer of a ``descent-2d`` run, in the order they ran."""
    runs: dict[str, list[dict]] = {o: [] for o in out["optimizers"]}
    for r in out["trace"]:
        runs[r["optimizer"]].append(r)
    return runs


def _descent2d(inputs, out, i, ex, lang):
    """One panel per optimizer: the contour lines of f (from the engine's grid) and the path of
    iterates p_0 … p_i; then f(p_t) per step for all of them (log scale)."""
    con = ex.get("contour") or {}
    runs = paths_2d(out)
    xm, ym = out["minimum"]["x"], out["minimum"]["y"]
    panels = []
    loss = Chart(_t(lang, "f(x_t, y_t) per step (log scale)", "단계별 f(x_t, y_t) (로그 눈금)"), xlabel="t", ylog=True)
    for k, (o, rows) in enumerate(runs.items()):
        col, mk = COLORS[k % 8], PATH_MARKERS[k % len(PATH_MARKERS)]
        n = len(rows) - 1
        j = min(i, n)
        xs, ys = [r["x"] for r in rows[: j + 1]], [r["y"] for r in rows[: j + 1]]
        bad = out["diverged"][k]
        ttl = f"{o}, η = {out['lrs'][k]:g}: t = {j}/{n}" + (_t(lang, " (diverges)", " (발산)") if bad else "")
        # no legend: it would cover the start, in the corner; the x label names the markers
        ch = Chart(ttl, xlabel=f"x     {mk} (x_t, y_t)   * (x*, y*)", group="paths", min_height=14,
                   xlim=tuple(con["xlim"]) if con else None, ylim=tuple(con["ylim"]) if con else None)
        if con:
            ch.series.append(Series("scatter", con["x"], con["y"], "", "gray", "braille"))
        ch.series += [Series("line", xs, ys, "", col, "braille"),
                      Series("scatter", xs, ys, "", col, mk),
                      Series("scatter", [xm], [ym], "", "green", "*")]
        panels.append(ch)
        ts = [r["t"] for r in rows]
        fs = [max(r["f"], 1e-300) if _num(r["f"]) is not None else None for r in rows]
        loss.series += [Series("line", ts, fs, o, col, mk), Series("scatter", [j], [fs[j]], "", col, "@")]
    return panels + [loss]


def _act(inputs, out, i, ex, lang):
    from tutor.labs import activation_names

    cur = ex["curve"]
    value, deriv = activation_names(out)
    formula = str(out.get("formula") or "")
    ch = Chart(formula if "=" in formula else f"{value} = {formula}", xlabel="x")
    ch.series += [Series("line", cur["x"], cur["value"], value, "cyan"),
                  Series("line", cur["x"], cur["derivative"], deriv, "orange")]
    x, v, d = out["x"], out["value"], out["derivative"]
    if not isinstance(x, list):
        x, v, d = [x], [v], [d]
    if x and not isinstance(x[0], list):
        ch.series += [Series("scatter", x, v, "x", "red", "o"), Series("scatter", x, d, "", "red", "o")]
    return [ch]


def _softmax(inputs, out, i, ex, lang):
    p = out["p"]
    if p and isinstance(p[0], list):
        p = p[0]
    labels = [str(j + 1) for j in range(len(p))]
    ch = Chart(f"softmax, T = {out['temperature']:g}", xlabel="i")
    ch.series.append(Series("bar", labels, p, "p", "cyan"))
    temps = Chart(_t(lang, "p_i for several temperatures T", "온도 T별 p_i"), xlabel="i")
    for j, (t, q) in enumerate((ex.get("temperatures") or {}).items()):
        if q and isinstance(q[0], list):
            q = q[0]
        temps.series.append(Series("line", list(range(1, len(q) + 1)), q, f"T={t:g}", COLORS[j % 8]))
    return [ch, temps] if temps.series else [ch]


def _info(inputs, out, i, ex, lang):
    labels = [str(j + 1) for j in range(len(out["p"]))]
    ch = Chart(_t(lang, "P and Q", "P와 Q"), xlabel="i")
    ch.series.append(Series("bar", labels, out["p"], "P", "cyan"))
    if "q" in out:
        ch.series.append(Series("bar", labels, out["q"], "Q", "orange"))
    terms = Chart(_t(lang, "terms of H(P), H(P,Q), KL(P‖Q)", "H(P), H(P,Q), KL(P‖Q)의 항"), xlabel="i")
    for key, lab, col in (("entropy_terms", "H", "cyan"), ("cross_entropy_terms", "H(P,Q)", "orange"),
                          ("kl_pq_terms", "KL", "magenta")):
        if key in out:
            terms.series.append(Series("bar", labels, [_num(v) or 0.0 for v in out[key]], lab, col))
    return [ch, terms]


def _pca(inputs, out, i, ex, lang):
    if "x" not in inputs or len(out["mean"]) < 2:
        return [Chart("λ", [Series("bar", [str(j + 1) for j in range(len(out["eigenvalues"]))],
                                   out["eigenvalues"], "λ", "cyan")])]
    xs, ys = _xy(inputs["x"])
    ch = Chart(_t(lang, "PCA: data, principal axes (±√λ), projection", "PCA: 데이터, 주축(±√λ), 사영"), equal=True)
    ch.series.append(Series("scatter", xs, ys, "x", "cyan", "dot"))
    m = out["mean"]
    for j, (lam, vec) in enumerate(zip(out["eigenvalues"], out["components"])):
        r = math.sqrt(max(lam, 0.0))
        # components are stored as rows or columns; the engine's are rows (one per component)
        ch.series.append(Series("line", [m[0] - r * vec[0], m[0] + r * vec[0]], [m[1] - r * vec[1], m[1] + r * vec[1]],
                                f"v_{j + 1}", COLORS[j % 8]))
    if i >= 3 and "reconstructed" in out:
        rx, ry = _xy(out["reconstructed"])
        ch.series.append(Series("scatter", rx, ry, _t(lang, "projection", "사영"), "orange", "x"))
    ch.series.append(Series("scatter", [m[0]], [m[1]], "μ", "white", "o"))
    return [ch]


def _dbscan(inputs, out, i, ex, lang):
    xs, ys = _xy(inputs["points"])
    ch = Chart(_t(lang, f"DBSCAN: core, border, noise (ε = {inputs['eps']:g})",
                  f"DBSCAN: 핵심점, 경계점, 잡음 (ε = {inputs['eps']:g})"), equal=True)
    for key, lab, col, mk in (("core", _t(lang, "core", "핵심"), "green", "dot"),
                              ("border", _t(lang, "border", "경계"), "orange", "dot"),
                              ("noise", _t(lang, "noise", "잡음"), "red", "x")):
        idx = out[key]
        ch.series.append(Series("scatter", [xs[j] for j in idx], [ys[j] for j in idx], lab, col, mk))
    i = min(i, len(xs) - 1)
    cx, cy = _circle(xs[i], ys[i], float(inputs["eps"]))
    ch.series.append(Series("line", cx, cy, f"ε ({i + 1})", "cyan"))
    return [ch]


def _knn(inputs, out, i, ex, lang):
    xs, ys = _xy(inputs["points"])
    labels = [str(v) for v in inputs["labels"]]
    ch = Chart(_t(lang, f"k-NN: query and its k = {len(out['neighbors'])} neighbours",
                  f"k-NN: 쿼리와 k = {len(out['neighbors'])}개 이웃"), equal=True)
    for c, lab in enumerate(dict.fromkeys(labels)):
        idx = [j for j, v in enumerate(labels) if v == lab]
        ch.series.append(Series("scatter", [xs[j] for j in idx], [ys[j] for j in idx], lab, COLORS[c % 8], "dot"))
    near = out["order"][: min(i + 1, len(out["order"]))]
    ch.series.append(Series("scatter", [xs[j] for j in near], [ys[j] for j in near], _t(lang, "nearest", "이웃"),
                            "white", "o"))
    q = inputs["query"]
    qx, qy = (q[0], q[1] if len(q) > 1 else 0.0) if isinstance(q, list) else (q, 0.0)
    cx, cy = _circle(qx, qy, out["distances"][near[-1]])
    ch.series += [Series("line", cx, cy, "", "cyan"), Series("scatter", [qx], [qy], _t(lang, "query", "쿼리"), "yellow", "x")]
    return [ch]


def _ols(inputs, out, i, ex, lang):
    x, y, fit = inputs["x"], inputs["y"], out["fitted"]
    if isinstance(x[0], list) and len(x[0]) > 1:
        ch = Chart(_t(lang, f"y against ŷ (R² = {out['r2']:.3f})", f"y 대 ŷ (R² = {out['r2']:.3f})"),
                   xlabel="ŷ", ylabel="y")
        ch.series += [Series("scatter", fit, list(y), "(ŷ, y)", "cyan", "dot"),
                      Series("line", [min(fit), max(fit)], [min(fit), max(fit)], "y = ŷ", "orange")]
        return [ch]
    xs = [v[0] if isinstance(v, list) else v for v in x]
    order = sorted(range(len(xs)), key=lambda j: xs[j])
    ch = Chart(_t(lang, f"OLS fit and residuals (R² = {out['r2']:.3f})", f"OLS 적합과 잔차 (R² = {out['r2']:.3f})"),
               xlabel="x", ylabel="y")
    ch.series += [Series("scatter", xs, list(y), "y", "cyan", "dot"),
                  Series("line", [xs[j] for j in order], [fit[j] for j in order], "ŷ", "orange")]
    if i >= 2:
        for j in range(len(xs)):
            ch.series.append(Series("line", [xs[j], xs[j]], [y[j], fit[j]], "e" if j == 0 else "", "red"))
    return [ch]


def _logistic(inputs, out, i, ex, lang):
    steps = out["steps"]
    i = min(i, len(steps) - 1)
    st = steps[i]
    x, y = inputs["x"], inputs["y"]
    loss = Chart(_t(lang, "loss per step", "단계별 손실"), xlabel="t")
    loss.series += [Series("line", list(range(1, len(steps) + 1)), [s["loss"] for s in steps], "L", "cyan"),
                    Series("scatter", [i + 1], [st["loss"]], "", "red", "o")]
    if isinstance(x[0], list) and len(x[0]) >= 2:
        xs, ys = _xy(x)
        ch = Chart(_t(lang, f"decision boundary, step {i + 1}", f"결정 경계, {i + 1}단계"), xlabel="x₁", equal=True)
        for c in (0, 1):
            idx = [j for j, v in enumerate(y) if v == c]
            ch.series.append(Series("scatter", [xs[j] for j in idx], [ys[j] for j in idx], f"y={c}",
                                    ("blue", "red")[c], "dot"))
        (w1, w2), b = st["w_new"][:2], st["b_new"]
        lo, hi = min(xs) - 0.5, max(xs) + 0.5
        if abs(w2) > 1e-12:
            ch.series.append(Series("line", [lo, hi], [-(w1 * lo + b) / w2, -(w1 * hi + b) / w2], "w·x + b = 0",
                                    "green"))
        elif abs(w1) > 1e-12:
            ch.series.append(Series("vline", [-b / w1], [], "", "green"))
        return [ch, loss]
    xs = [v[0] if isinstance(v, list) else v for v in x]
    ch = Chart(_t(lang, f"p(y=1|x) at step {i + 1}", f"{i + 1}단계의 p(y=1|x)"), xlabel="x")
    ch.series += [Series("scatter", xs, list(y), "y", "cyan", "dot"), Series("scatter", xs, st["p"], "p", "orange", "o")]
    return [ch, loss]


def _roc(inputs, out, i, ex, lang):
    if "fpr_curve" not in out:
        return [Chart(_t(lang, "confusion matrix", "혼동 행렬"),
                      [Series("bar", ["TP", "FP", "FN", "TN"], [out["tp"], out["fp"], out["fn"], out["tn"]], "", "cyan")])]
    ch = Chart(f"ROC (AUC = {out['auc']:.3f})", xlabel="FPR", ylabel="TPR")
    ch.series += [Series("line", out["fpr_curve"], out["tpr_curve"], "ROC", "cyan"),
                  Series("line", [0, 1], [0, 1], "", "white")]
    r = out["roc"][min(i, len(out["roc"]) - 1)]
    ch.series.append(Series("scatter", [r["fpr"]], [r["tpr"]], f"≥ {fmt_value(r['threshold'])}", "red", "o"))   # ≥ ∞, as in the table
    return [ch]


def _rnn(inputs, out, i, ex, lang):
    norms = out["jacobian_norms"]
    ts = list(range(1, len(norms) + 1))
    ch = Chart(_t(lang, "‖∂hₜ/∂hₜ₋₁‖ and their product (log scale)", "‖∂hₜ/∂hₜ₋₁‖와 그 곱 (로그 눈금)"),
               xlabel="t", ylog=True)
    ch.series.append(Series("line", ts, [max(v, 1e-300) for v in norms], "‖J_t‖", "orange"))
    if "jacobian_norm_products" in out:
        ch.series.append(Series("line", ts, [max(v, 1e-300) for v in out["jacobian_norm_products"]], "Π‖J‖", "cyan"))
    loss = Chart("L_t", xlabel="t")
    loss.series += [Series("bar", [str(t) for t in ts], out["losses"], "L_t", "magenta")]
    return [ch, loss]


def _gates(keys):
    def f(inputs, out, i, ex, lang):
        ch = Chart(_t(lang, "values per unit", "유닛별 값"), xlabel=_t(lang, "unit", "유닛"))
        for j, k in enumerate(keys):
            v = out.get(k)
            if isinstance(v, list) and v and not isinstance(v[0], list):
                ch.series.append(Series("line", list(range(1, len(v) + 1)), v, math_label(k, lang), COLORS[j % 8]))
        return [ch]
    return f


def math_label(key: str, lang: str = "en") -> str:
    from tutor.labs import math_name, shown_name

    return shown_name(math_name(key), lang)


def _perceptron(inputs, out, i, ex, lang):
    tr = out["trace"]
    st = tr[min(i, len(tr) - 1)] if tr else {"w": out["w"], "b": out["b"]}
    table = out["table"]
    gate = str(out.get("gate") or "").upper()
    ch = Chart(_t(lang, f"truth table and w·x + b = 0 ({gate})", f"진리표와 w·x + b = 0 ({gate})"), equal=True)
    for c in (0, 1):
        rows = [r for r in table if r.get("target", r["output"]) == c]
        ch.series.append(Series("scatter", [r["inputs"][0] for r in rows], [r["inputs"][1] for r in rows],
                                f"t={c}", ("blue", "red")[c], "o"))
    (w1, w2), b = st["w"], st["b"]
    if abs(w2) > 1e-12:
        ch.series.append(Series("line", [-0.5, 1.5], [-(w1 * -0.5 + b) / w2, -(w1 * 1.5 + b) / w2], "w·x + b = 0",
                                "green"))
    elif abs(w1) > 1e-12:
        ch.series.append(Series("vline", [-b / w1], [], "", "green"))
    return [ch]


def _arima(inputs, out, i, ex, lang):
    y = inputs["series"]
    n = len(y)
    ch = Chart(_t(lang, "series, one-step predictions, forecast", "시계열, 한 단계 예측, 예측값"), xlabel="t")
    ch.series += [Series("line", list(range(1, n + 1)), list(y), "y", "cyan"),
                  Series("scatter", list(range(1, n + 1)), [_num(v) for v in out["predictions_y"]], "ŷ", "orange", "o"),
                  Series("scatter", [n + 1], [out["forecast"]], "ŷ_(N+1)", "red", "x")]
    d = Chart(_t(lang, f"differenced series (d = {out['d']})", f"차분한 시계열 (d = {out['d']})"), xlabel="t")
    diff = out["differenced"]
    d.series.append(Series("line", list(range(1, len(diff) + 1)), diff, "y′", "magenta"))
    return [ch, d]


def _regm(inputs, out, i, ex, lang):
    yt, yp = inputs["y_true"], inputs["y_pred"]
    ch = Chart(_t(lang, f"y against ŷ (R² = {out['r2']:.3f})", f"y 대 ŷ (R² = {out['r2']:.3f})"), xlabel="y", ylabel="ŷ")
    ch.series += [Series("scatter", list(yt), list(yp), "(y, ŷ)", "cyan", "dot"),
                  Series("line", [min(yt), max(yt)], [min(yt), max(yt)], "ŷ = y", "orange")]
    e = Chart(_t(lang, "errors ŷ − y", "오차 ŷ − y"), xlabel="i")
    e.series.append(Series("bar", [str(j + 1) for j in range(len(out["errors"]))], out["errors"], "e", "red"))
    return [ch, e]


_ESTIMATES = {"mean": "μ̂", "p": "p̂", "lambda": "λ̂", "mu": "μ̂", "rate": "λ̂"}


def _mle(inputs, out, i, ex, lang):
    data = inputs["data"]
    est = out["estimates"]
    ch = Chart(_t(lang, "data and the estimate", "데이터와 추정값"), xlabel="x")
    ch.series.append(Series("scatter", list(data), [0.0] * len(data), "x_i", "cyan", "o"))
    for j, (k, v) in enumerate(est.items()):
        if k in ("mean", "p", "lambda", "mu", "rate") and _num(v) is not None:
            ch.series.append(Series("vline", [v], [], "", COLORS[(j + 1) % 8]))
            ch.series.append(Series("scatter", [v], [0.0], f"{_ESTIMATES.get(k, k)} = {v:.4g}", COLORS[(j + 1) % 8],
                                    "x"))
    return [ch]


_CHARTS = {
    "kmeans": _kmeans, "gmm-em": _gmm, "em-coins": _em, "gradient-descent": _gd, "optimizer": _opt,
    "descent-2d": _descent2d,
    "activation": _act, "softmax": _softmax, "information": _info, "pca": _pca, "dbscan": _dbscan, "knn": _knn,
    "ols": _ols, "logistic": _logistic, "classification-metrics": _roc, "rnn-bptt": _rnn,
    "lstm-cell": _gates(("f", "i", "o", "c", "h")), "gru-cell": _gates(("r", "z", "n", "h")),
    "perceptron": _perceptron, "arima": _arima, "regression-metrics": _regm, "mle": _mle,
}


