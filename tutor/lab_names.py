"""The names a learner sees for an algorithm's outputs, in the labs and in ``tutor solve``: math
names of trace keys (θ_A, μ (centroids)), words per language where a key is a word, the names one
algorithm gives a key of its own (μ̂ of the MLE, the heads of multi-head attention), the words of
enumerated values (family normal → 정규), and the engine's notes and warnings in the learner's
language (:func:`localised`). Split out of :mod:`tutor.labs`, which re-exports these names;
:mod:`tutor.tables` falls back on :data:`MATH` for a key it has no name for."""

from __future__ import annotations


def _t(en: str, ko: str) -> dict:
    return {"en": en, "ko": ko}


MATH = {
    "theta_a": "θ_A", "theta_b": "θ_B", "theta_a_before": _t("θ_A (before)", "이전 θ_A"), "theta_b_before": _t("θ_B (before)", "이전 θ_B"),
    "log_likelihood": "log L", "final_log_likelihood": "log L", "log_likelihoods": "log L",
    "lik_a": "L_A", "lik_b": "L_B", "resp_a": "P(A|i)", "resp_b": "P(B|i)", "resp": _t("γ (resp.)", "γ (책임값)"),
    "centroids": _t("μ (centroids)", "μ (중심)"), "centroids_before": _t("μ (before)", "이전 μ"), "inertia": "SSE", "assign": _t("cluster", "군집"),
    "means": "μ", "vars": "σ²", "covs": "Σ", "weights": _t("π / weights", "π / 가중치"), "nk": "N_k",
    "lr": "η", "grad": "∂L/∂w", "g": "g", "m_hat": "m̂", "v_hat": "v̂", "w0": "w₀", "w_final": _t("w (final)", "최종 w"),
    "beta1": "β₁", "beta2": "β₂", "eps": "ε", "rho": "ρ", "momentum": "μ", "update": "Δw",
    "mean": "μ", "cov": "Σ", "eigenvalues": "λ", "components": _t("v (axes)", "v (축)"), "explained_ratio": "λ / Σλ",
    "cumulative_ratio": _t("Σλ (cum.)", "Σλ (누적)"), "projected": "z", "whitened": _t("z (white)", "z (백색화)"),
    "delta_out": "δ_out", "delta_hidden": "δ_hidden", "net_hidden": "net_h", "net_out": "net_o",
    "grad_w_out": "∂E/∂W_out", "grad_b_out": "∂E/∂b_out", "grad_w_hidden": "∂E/∂W_h", "grad_b_hidden": "∂E/∂b_h",
    "w_hidden_new": _t("W_h (new)", "새 W_h"), "b_hidden_new": _t("b_h (new)", "새 b_h"),
    "w_out_new": _t("W_out (new)", "새 W_out"), "b_out_new": _t("b_out (new)", "새 b_out"),
    "gates_pre": _t("gate pre-activations (i, f, g, o)", "게이트 활성화 전 값 (i, f, g, o)"),
    "c_tilde": "c̃", "c_prev": "cₜ₋₁", "f_c": "f⊙cₜ₋₁", "i_c": "i⊙c̃", "tanh_c": "tanh(c)",
    "h_prev": "hₜ₋₁", "h_n": "hₙ",
    "scores": _t("scores", "점수"), "raw_scores": "q·k", "scale": "1/√d_k", "d_k": "d_k", "d_head": "d_head",
    "pe": "PE", "angles": "pos·ω", "inv_freq": "ω", "phi": "φ", "theta": "θ (MA)",
    "grad_w": "∂L/∂w", "grad_b": "∂L/∂b", "w_new": _t("w (new)", "새 w"), "b_new": _t("b (new)", "새 b"), "p": "p", "z": "z",
    "jacobian_norms": "‖∂hₜ/∂hₜ₋₁‖", "jacobian_norm_product": "Π‖J‖", "grad_w_hh": "∂L/∂W_hh",
    "grad_w_xh": "∂L/∂W_xh", "grad_w_hy": "∂L/∂W_hy", "y_hat": "ŷ", "losses": "L_t",
    "kl_pq": "KL(P‖Q)", "kl_qp": "KL(Q‖P)", "cross_entropy": "H(P,Q)", "entropy": "H(P)",
    "entropy_q": "H(Q)", "temperature": "T", "r2": "R²", "coef": "β", "intercept": "b", "fitted": "ŷ",
    "residuals": "e", "auc": "AUC", "fpr": "FPR", "tpr": "TPR", "f1": "F₁", "min_samples": "minPts",
    "derivative": "L′(w)", "predictions_y": "ŷ", "forecast": "ŷ_(N+1)",
    "optimizers": _t("optimizer", "옵티마이저"), "lrs": "η", "f_final": _t("f (final)", "최종 f"), "final": _t("(x, y) (final)", "최종 (x, y)"), "f_min": "f_min",
    "start": "(x₀, y₀)", "minimum": "(x*, y*)", "formula": _t("formula", "식"),
    # the rest of the outputs of every algorithm (tutor solve shows them all)
    "ape": "APE (%)", "b_hidden": "b_h", "b_out": "b_out", "w_hidden": "W_h", "w_out": "W_out", "beta": "β",
    "base": _t("log base", "로그의 밑"), "batch_size": _t("batch size B", "배치 크기 B"),
    "candidates": _t("candidate tokens", "후보 토큰 수"), "centered": "X − μ", "reconstructed": "X̂",
    "computes": _t("gate computed", "계산한 게이트"), "realises_gate": _t("realises the gate", "게이트를 구현함"),
    "gate": _t("gate", "게이트"), "inputs": "(x₁, x₂)",
    "da": "∂L/∂a", "dh": "∂L/∂h", "dx": "∂L/∂x", "dx_hat": "∂L/∂x̂", "dbeta": "∂L/∂β", "dgamma": "∂L/∂γ",
    "derivative_formula": _t("derivative", "도함수 식"), "design": _t("X (design matrix)", "X (설계 행렬)"),
    "distances": _t("distances d", "거리 d"), "drop_last": _t("drop the last batch", "마지막 배치 버림"),
    "epochs": _t("epochs", "에포크 수"), "epochs_run": _t("epochs run", "실행한 에포크 수"),
    "ess": "ESS", "ess_over_tss": "ESS/TSS", "exp_naive": "exp(z)",
    "expected": _t("expected counts", "기대 개수"), "selected": _t("selected", "선택"),
    "family": _t("family", "분포족"), "forecast_differenced": "ŷ′_(N+1)", "form": _t("input form", "입력 형태"),
    "fpr_curve": "FPR (ROC)", "tpr_curve": "TPR (ROC)", "thresholds": _t("thresholds", "임계값"), "roc": "ROC",
    "g_x": "∂f/∂x", "g_y": "∂f/∂y", "gi": "W_ih·x + b_ih", "gh": "W_hh·h + b_hh",
    "gradient_source": _t("gradient L′(w)", "기울기 L′(w)"), "hyperparameters": _t("hyperparameters", "하이퍼파라미터"),
    "ids": _t("token ids", "토큰 번호"), "is_core": _t("core point", "핵심점"), "n_neighbors": "|N_ε|",
    "jacobian_norm_products": "Π‖J‖", "jacobian_product": "Π Jₜ", "jacobian_product_norm": "‖Π Jₜ‖", "jacobians": "Jₜ",
    "q_proj": "Q = XW_Q", "k_proj": "K = XW_K", "v_proj": "V = XW_V",
    "levels": _t("series y (levels)", "계열 y (수준)"), "loss_after": _t("loss L (after the step)", "갱신 후 손실 L"),
    "mask": _t("mask", "마스크"), "mode": _t("mode", "모드"), "monotone": _t("log L never falls", "log L 단조 증가"),
    "n_iterations": _t("iterations run", "반복 횟수"), "n_selected": _t("tokens selected", "선택한 토큰 수"),
    "n_unk": _t("[UNK] count", "[UNK] 개수"), "name": _t("function", "함수"),
    "neighbor_distances": _t("neighbour distances", "이웃까지 거리"), "neighbor_labels": _t("neighbour labels", "이웃의 라벨"),
    "notes": _t("notes", "참고"), "warnings": _t("warnings", "경고"), "order": _t("by distance", "거리 순서"),
    "overflow": _t("exp(z) overflows", "exp(z) 오버플로"), "padded_input": _t("padded input", "패딩한 입력"),
    "padding": _t("padding P", "패딩 P"), "stride": _t("stride S", "스트라이드 S"), "size": _t("size", "크기"),
    "type": _t("kind", "종류"), "pool": _t("pooling", "풀링"), "pooled_shape": _t("pooled shape", "풀링 결과 크기"),
    "pair_index": "i", "samples_per_epoch": _t("samples per epoch", "에포크당 샘플 수"),
    "singular_values": _t("singular values", "특잇값"), "trace": _t("steps", "단계별 기록"),
    "unit": _t("unit", "단위"), "whitened_cov": "Cov(z)", "words": _t("words", "단어"),
}

# the names an algorithm gives a key of its own (the MLE's estimates wear hats; attention weights are α)
BY_ALG: dict[str, dict] = {
    "mle": {"mean": "μ̂", "var": "σ̂²", "std": "σ̂", "var_unbiased": "s²", "p": "p̂", "rate": "λ̂", "sum": "Σxᵢ"},
    "attention": {"weights": _t("weights α", "가중치 α")},
    "multihead-attention": {"weights": _t("weights α", "가중치 α"), "heads": _t("head outputs", "헤드 출력"),
                            "q": "Q", "k": "K", "v": "V"},
    "perceptron": {"reason": _t("why", "이유")},
    "gru-cell": {"n": _t("n (candidate)", "n (후보)")},
}

# the words of an input's enumerated values (the family of a distribution, a mode)
VALUES: dict[str, dict[str, dict]] = {
    "family": {"bernoulli": _t("Bernoulli", "베르누이"), "binomial": _t("binomial", "이항"), "normal": _t("normal", "정규"),
               "exponential": _t("exponential", "지수"), "poisson": _t("Poisson", "포아송")},
    "mode": {"train": _t("train", "학습"), "eval": _t("eval", "평가")},
    "unit": {"bits": _t("bits", "비트"), "nats": _t("nats", "내트"), "bans": _t("bans", "밴")},
    "form": {"gates": _t("gate values", "게이트 값"), "weights": _t("weights", "가중치")},
    "type": {"max": _t("max", "최댓값"), "avg": _t("average", "평균")},
    "surface": {"quadratic": _t("quadratic", "이차식"), "rosenbrock": _t("Rosenbrock", "로젠브록")},
}

# engine sentences (translated by tutor.input_messages); dicts whose keys are data, not names
SENTENCES = ("notes", "warnings", "reason")
DATA_DICTS = ("votes",)


def math_name(key: str, own: dict | None = None) -> str | dict:
    """The name a learner sees for a trace key: a math name (one for both languages) or a word
    per language ({"en", "ko"}); ``own`` (an algorithm's names, :func:`names_for`) first, then the
    lab's names, then the shared trace labels."""
    from tutor.tables import KEY_LABELS

    return (own or {}).get(key) or MATH.get(key) or KEY_LABELS.get(key) or key


def shown_name(name: str | dict, lang: str) -> str:
    """A row label of :func:`frames` in ``lang``."""
    return name if isinstance(name, str) else name.get(lang) or name["en"]


# each activation's own name, so its derivative reads σ′(x), not the L′(w) of gradient descent
ACTIVATIONS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "LeakyReLU", "elu": "ELU",
               "gelu": "GELU", "softplus": "softplus", "swish": "swish", "silu": "SiLU", "step": "step",
               "linear": "linear"}


def activation_names(out: dict) -> tuple[str, str]:
    """The math names of an activation run's value and derivative: ("σ(x)", "σ′(x)")."""
    f = ACTIVATIONS.get(str(out.get("name")), "f")
    return f"{f}(x)", f"{f}′(x)"


def lab_math_names(name: str, out: dict) -> dict[str, str]:
    """Math names of a lab's output keys that depend on the run (an activation's own name)."""
    if name == "activation":
        value, deriv = activation_names(out)
        return {"value": value, "derivative": deriv}
    return {}


def names_for(alg: str, out: dict) -> dict:
    """The names algorithm ``alg`` gives its own keys (fixed and from the run), before the shared ones."""
    return {**BY_ALG.get(alg, {}), **lab_math_names(alg, out)}


def _sentences(v, lang: str):
    from tutor.input_messages import message_in

    if isinstance(v, str):
        return message_in(v, lang)
    if isinstance(v, list):
        return [message_in(x, lang) if isinstance(x, str) else x for x in v]
    return v


def _value(key: str, v, lang: str, own: dict):
    """One value as shown: a dict with named keys, an enumerated value in words."""
    if isinstance(v, dict) and key not in DATA_DICTS:
        return {shown_name(math_name(k, own), lang): _value(k, x, lang, own) for k, x in v.items()}
    if isinstance(v, str) and v in VALUES.get(key, {}):
        return shown_name(VALUES[key][v], lang)
    return v


def localised(alg: str, out: dict, lang: str) -> dict:
    """``out`` as a learner reads it in ``lang`` (a copy; the trace itself is left as it is): the
    engine's notes, warnings and reasons in ``lang`` (a key's ``*_ko`` twin is its Korean form and
    is not shown itself), the keys inside a dict value named, enumerated values in words."""
    own = names_for(alg, out)
    shown = {}
    for k, v in out.items():
        if k.endswith("_ko") and k[:-3] in out:
            continue
        if lang == "ko" and isinstance(out.get(k + "_ko"), str):
            v = out[k + "_ko"]
        elif k in SENTENCES:
            v = _sentences(v, lang)
        shown[k] = _value(k, v, lang, own)
    return shown


def shown_trace(alg: str, out: dict, lang: str) -> tuple[dict, dict]:
    """(the output as a trace table shows it, the algorithm's names of its keys): :func:`localised`,
    its notes and warnings one per line, and no row for none. `tutor solve` and the lessons' tables."""
    names = names_for(alg, out)
    shown = localised(alg, out, lang)
    return ({k: "\n".join(v) if k in ("notes", "warnings") and isinstance(v, list) else v
             for k, v in shown.items() if not (k in ("notes", "warnings") and not v)}, names)


def sentences(out: dict) -> list[tuple[str, str]]:
    """The warnings (⚠) and notes (※) of a (localised) output, warnings first: the lines under a lab's
    numbers, each with its mark."""
    return [(mark, s) for k, mark in (("warnings", "⚠"), ("notes", "※")) for s in (out.get(k) or [])
            if isinstance(s, str) and s]
