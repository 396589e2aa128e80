"""The names a learner sees in a lab: math names of trace keys (θ_A, μ (centroids)), words per
language where a key is a word, and an activation's own name for its derivative (σ′(x)).
Split out of :mod:`tutor.labs`, which re-exports these names."""

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
    "c_tilde": "c̃", "c_prev": "c_{t−1}", "f_c": "f⊙c_{t−1}", "i_c": "i⊙c̃", "tanh_c": "tanh(c)",
    "h_prev": "h_{t−1}", "h_n": "h_n",
    "scores": _t("scores", "점수"), "raw_scores": "q·k", "scale": "1/√d_k", "d_k": "d_k", "d_head": "d_head",
    "pe": "PE", "angles": "pos·ω", "inv_freq": "ω", "phi": "φ", "theta": "θ (MA)",
    "grad_w": "∂L/∂w", "grad_b": "∂L/∂b", "w_new": _t("w (new)", "새 w"), "b_new": _t("b (new)", "새 b"), "p": "p", "z": "z",
    "jacobian_norms": "‖∂h_t/∂h_{t−1}‖", "jacobian_norm_product": "Π‖J‖", "grad_w_hh": "∂L/∂W_hh",
    "grad_w_xh": "∂L/∂W_xh", "grad_w_hy": "∂L/∂W_hy", "y_hat": "ŷ", "losses": "L_t",
    "kl_pq": "KL(P‖Q)", "kl_qp": "KL(Q‖P)", "cross_entropy": "H(P,Q)", "entropy": "H(P)",
    "entropy_q": "H(Q)", "temperature": "T", "r2": "R²", "coef": "β", "intercept": "b", "fitted": "ŷ",
    "residuals": "e", "auc": "AUC", "fpr": "FPR", "tpr": "TPR", "f1": "F₁", "min_samples": "minPts",
    "derivative": "L′(w)", "predictions_y": "ŷ", "forecast": "ŷ_{N+1}",
    "optimizers": _t("optimizer", "옵티마이저"), "lrs": "η", "f_final": _t("f (final)", "최종 f"), "final": _t("(x, y) (final)", "최종 (x, y)"), "f_min": "f_min",
    "start": "(x₀, y₀)", "minimum": "(x*, y*)", "formula": "f",
}


def math_name(key: str) -> str | dict:
    """The name a learner sees for a trace key: a math name (one for both languages) or a word
    per language ({"en", "ko"}); the lab's own names first, then the shared trace labels."""
    from tutor.tables import KEY_LABELS

    return MATH.get(key) or KEY_LABELS.get(key) or key


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
