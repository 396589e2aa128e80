"""Engine traces as tables: what they hold (:func:`trace_tables`) and how they read as plain text
(:func:`plain_text`), without Rich.

One description of a trace's tables serves every output: :mod:`tutor.render` turns a
:class:`TableSpec` into a Rich table for the app, :mod:`tutor.anki` into HTML, and
:func:`plain_text` draws it with box characters for ``tutor solve`` and line mode. The plain
drawing is here, not Rich's, because the CLI's start-up budget (≤ 1.5× ``import numpy``) has no
room for importing and measuring with Rich (≈ 20 ms + 35 ms for the EM trace); it measures text
by display cells (Hangul two, combining marks none), so Korean headers line up.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from engine.core import fmt

# Math names of the engine's trace keys (θ_A, not theta_a): a key not listed is shown as it is.
# One name for both languages unless it is a word (a dict per language).
KEY_LABELS: dict[str, str | dict[str, str]] = {
    "theta_a": "θ_A", "theta_b": "θ_B",
    "theta_a_before": {"en": "θ_A before", "ko": "이전 θ_A"},
    "theta_b_before": {"en": "θ_B before", "ko": "이전 θ_B"},
    "heads_a": "H_A", "tails_a": "T_A", "heads_b": "H_B", "tails_b": "T_B",
    "heads": {"en": "heads", "ko": "앞면"}, "tails": {"en": "tails", "ko": "뒷면"},
    "lik_a": "L_A", "lik_b": "L_B", "resp": "γ", "resp_a": "γ_A", "resp_b": "γ_B",
    "log_likelihood": "log L", "log_likelihoods": "log L",
    "final_log_likelihood": {"en": "final log L", "ko": "최종 log L"}, "log_p": "log p",
    "c_prev": "cₜ₋₁", "c_tilde": "c̃ₜ", "h_n": "hₙ", "y_hat": "ŷ", "y_mean": "ȳ", "m_hat": "m̂", "v_hat": "v̂",
    "beta1": "β₁", "beta2": "β₂", "lr": "η", "eps": "ε", "b0": "b₀", "w0": "w₀",
    "kl_pq": "KL(p‖q)", "kl_qp": "KL(q‖p)", "kl_pq_terms": "KL(p‖q) terms", "kl_qp_terms": "KL(q‖p) terms",
    "entropy": "H(p)", "entropy_q": "H(q)", "cross_entropy": "H(p, q)",
    "r2": "R²", "mse": "MSE", "mae": "MAE", "rmse": "RMSE", "mape": "MAPE", "sse": "SSE", "tss": "TSS", "rss": "RSS",
    "tp": "TP", "fp": "FP", "fn": "FN", "tn": "TN", "tpr": "TPR", "fpr": "FPR", "auc": "AUC", "f1": "F₁",
    "grad_w": "∂L/∂w", "grad_b": "∂L/∂b", "grad_w_hh": "∂L/∂W_hh", "grad_w_xh": "∂L/∂W_xh", "grad_w_hy": "∂L/∂W_hy",
    "grad_b_h": "∂L/∂b_h", "grad_b_y": "∂L/∂b_y", "grad_h0": "∂L/∂h₀",
    "grad_w_hidden": "∂L/∂W_hidden", "grad_w_out": "∂L/∂W_out", "grad_b_hidden": "∂L/∂b_hidden",
    "grad_b_out": "∂L/∂b_out", "delta_out": "δ_out", "delta_hidden": "δ_hidden",
    "sum_exp": "Σ exp", "std": "σ", "var": "σ²", "var_unbiased": "s²", "means": "μ", "covs": "Σ", "nk": "N_k",
    "d_k": "d_k", "net_hidden": "net_h", "z": "z",
    "iterations": {"en": "iterations", "ko": "반복"}, "steps": {"en": "steps", "ko": "단계"},
    "key": {"en": "key", "ko": "항목"}, "value": {"en": "value", "ko": "값"}, "labels": {"en": "labels", "ko": "라벨"},
    # words of the traces (labs and tutor solve show them in the learner's language)
    "abs_errors": {"en": "|errors|", "ko": "|오차|"}, "errors": {"en": "errors", "ko": "오차"},
    "sq_errors": {"en": "squared errors", "ko": "제곱 오차"}, "error": {"en": "error", "ko": "오차"},
    "accuracy": {"en": "accuracy", "ko": "정확도"}, "precision": {"en": "precision", "ko": "정밀도"},
    "recall": {"en": "recall", "ko": "재현율"}, "specificity": {"en": "specificity", "ko": "특이도"},
    "threshold": {"en": "threshold", "ko": "임계값"}, "confusion": {"en": "confusion matrix", "ko": "혼동 행렬"},
    "batches_per_epoch": {"en": "batches per epoch", "ko": "에포크당 배치 수"},
    "full_batches": {"en": "full batches", "ko": "꽉 찬 배치 수"}, "last_batch": {"en": "last batch", "ko": "마지막 배치"},
    "remainder": {"en": "remainder", "ko": "나머지"}, "dropped": {"en": "dropped", "ko": "버린 샘플"},
    "core": {"en": "core points", "ko": "핵심점"}, "border": {"en": "border points", "ko": "경계점"},
    "noise": {"en": "noise", "ko": "잡음"}, "n_clusters": {"en": "clusters", "ko": "군집 수"},
    "converged": {"en": "converged", "ko": "수렴"}, "diverged": {"en": "diverged", "ko": "발산"},
    "reason": {"en": "why it stopped", "ko": "멈춘 이유"},
    "counts": {"en": "points per cluster", "ko": "군집별 점 개수"}, "empty": {"en": "empty clusters", "ko": "빈 군집"},
    "concat": {"en": "heads concatenated", "ko": "헤드 이어 붙이기"}, "output": {"en": "output", "ko": "출력"},
    "output_shape": {"en": "output shape", "ko": "출력 크기"}, "pooled": {"en": "pooled", "ko": "풀링 결과"},
    "entropy_terms": {"en": "H(p) terms", "ko": "H(p) 항"}, "cross_entropy_terms": {"en": "H(p, q) terms", "ko": "H(p, q) 항"},
    "differenced": {"en": "differenced series", "ko": "차분한 계열"}, "predictions": {"en": "ŷ (fitted)", "ko": "ŷ (적합)"},
    "prediction": {"en": "ŷ (prediction)", "ko": "ŷ (예측)"}, "estimates": {"en": "estimates", "ko": "추정값"},
    "epoch": {"en": "epoch", "ko": "에포크"}, "net": {"en": "net input", "ko": "순입력"},
    "separable": {"en": "linearly separable", "ko": "선형 분리 가능"}, "table": {"en": "truth table", "ko": "진리표"},
    "target": {"en": "target", "ko": "목표"}, "exp_shifted": {"en": "exp(z − max z)", "ko": "exp(z − max z)"},
    "shifted": {"en": "z − max z", "ko": "z − max z"}, "naive": {"en": "exp(z) directly", "ko": "exp(z) 그대로"},
    "exponent": {"en": "exponent 2i/d", "ko": "지수 2i/d"}, "kept": {"en": "kept", "ko": "그대로 둠"},
    "masked": {"en": "[MASK]", "ko": "[MASK]"}, "random": {"en": "random token", "ko": "무작위 토큰"},
    "positions": {"en": "positions", "ko": "위치"}, "n_tokens": {"en": "tokens", "ko": "토큰 수"},
    "pieces": {"en": "pieces", "ko": "조각"}, "tokens": {"en": "tokens", "ko": "토큰"}, "word": {"en": "word", "ko": "단어"},
    "neighbors": {"en": "neighbours", "ko": "이웃"}, "votes": {"en": "votes", "ko": "투표"},
    "loss": {"en": "loss L", "ko": "손실 L"}, "mu": "μ_B", "x_hat": "x̂", "running_mean": {"en": "running μ", "ko": "이동 평균 μ"},
    "running_var": {"en": "running σ²", "ko": "이동 분산 σ²"}, "steps_run": {"en": "steps run", "ko": "실행한 단계"},
    "sum": "Σ", "xtx": "XᵀX", "xty": "Xᵀy", "optimizer": {"en": "optimizer", "ko": "옵티마이저"},
    "surface": {"en": "surface", "ko": "손실 곡면"}, "paths": {"en": "paths", "ko": "경로"},
    "a_r": {"en": "a_r (before σ)", "ko": "a_r (σ 전)"}, "a_z": {"en": "a_z (before σ)", "ko": "a_z (σ 전)"},
    "a_n": {"en": "a_n (before tanh)", "ko": "a_n (tanh 전)"},
}


def label(key: str, lang: str = "en", names: Mapping[str, Any] | None = None) -> str:
    """The name a learner sees for an engine trace key (θ_A for theta_a): ``names`` (an
    algorithm's own, :func:`tutor.lab_names.names_for`) first, then these, then the labs' names."""
    from tutor.lab_names import MATH

    v = (names or {}).get(key) or KEY_LABELS.get(key) or MATH.get(key)
    if v is None:
        return key
    return v if isinstance(v, str) else v.get(lang) or v["en"]


def fmt_value(v: Any, digits: int = 4) -> str:
    if v is None:
        return "nan"
    if isinstance(v, bool):
        return "✓" if v else "✗"
    if isinstance(v, (int, float)):
        return fmt(v, digits)
    if isinstance(v, str):
        return {"inf": "∞", "-inf": "−∞"}.get(v, v)
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {fmt_value(x, digits)}" for k, x in v.items()) or "—"
    if isinstance(v, list):
        if v and all(isinstance(r, list) and all(not isinstance(x, (list, dict)) for x in r) for r in v):
            return "\n".join("[" + ", ".join(fmt_value(x, digits) for x in row) + "]" for row in v)
        if all(not isinstance(x, (list, dict)) for x in v):
            return "[" + ", ".join(fmt_value(x, digits) for x in v) + "]"
    return str(v)


@dataclass
class TableSpec:
    """One table: a title (may be empty), column headers with their alignment, rows of text."""
    title: str
    headers: list[str]
    justify: list[str]                      # "left" | "right", one per column
    rows: list[list[str]] = field(default_factory=list)
    show_header: bool = True

    def add_row(self, *cells: str) -> None:
        self.rows.append(list(cells))


def _is_records(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)


def _is_matrix(v: Any) -> bool:
    return (isinstance(v, list) and len(v) > 1 and all(isinstance(r, list) for r in v)
            and all(not isinstance(x, (list, dict)) for r in v for x in r)
            and len({len(r) for r in v}) == 1 and len(v[0]) > 1)


def _is_vector(v: Any) -> bool:
    return isinstance(v, list) and all(not isinstance(x, (list, dict)) for x in v)


def matrix_spec(title: str, m: Sequence[Sequence[Any]], rows: Sequence[str] | None = None,
                cols: Sequence[str] | None = None, digits: int = 4, lang: str = "en",
                names: Mapping[str, Any] | None = None) -> TableSpec:
    ncol = len(m[0]) if m else 0
    tab = TableSpec(label(title, lang, names), [""] + [cols[j] if cols else str(j + 1) for j in range(ncol)],
                    ["left"] + ["right"] * ncol)
    for i, row in enumerate(m):
        tab.add_row(rows[i] if rows else str(i + 1), *(fmt_value(x, digits) for x in row))
    return tab


def records_spec(title: str, records: Sequence[Mapping[str, Any]], index_label: str = "#",
                 keys: Iterable[str] | None = None, digits: int = 4, lang: str = "en",
                 names: Mapping[str, Any] | None = None) -> TableSpec:
    keys = list(keys) if keys is not None else [
        k for k in records[0] if all(not _is_matrix(r.get(k)) and not _is_records(r.get(k)) for r in records)]
    tab = TableSpec(label(title, lang, names), [index_label] + [label(k, lang, names) for k in keys],
                    ["right"] * (len(keys) + 1))
    for i, r in enumerate(records):
        tab.add_row(str(i + 1), *(fmt_value(r.get(k), digits) for k in keys))
    return tab


def records_specs(title: str, records: Sequence[Mapping[str, Any]], digits: int = 4,
                  lang: str = "en", names: Mapping[str, Any] | None = None) -> list[TableSpec]:
    """A list of records (iterations, steps): one table of the scalar values, row per record,
    then one table per vector-valued key (row per record, column per element)."""
    first = records[0]
    scalars = [k for k in first if all(not isinstance(r.get(k), (list, dict)) for r in records)]
    vectors = [k for k in first if all(_is_vector(r.get(k)) for r in records) and k not in scalars
               and any(r.get(k) for r in records)]   # an always-empty list is no table
    out = [records_spec(title, records, keys=scalars, digits=digits, lang=lang, names=names)] if scalars else []
    for k in vectors:
        width = max(len(r[k]) for r in records)
        m = [list(r[k]) + [""] * (width - len(r[k])) for r in records]
        out.append(matrix_spec(f"{label(title, lang, names)}: {label(k, lang, names)}", m,
                               rows=[str(i + 1) for i in range(len(records))],
                               cols=[str(j + 1) for j in range(width)], digits=digits))
    return out


def trace_tables(out: Mapping[str, Any], *, keys: Iterable[str] | None = None,
                 summary: Sequence[str] = (), digits: int = 4, lang: str = "en",
                 names: Mapping[str, Any] | None = None) -> list[TableSpec]:
    """The tables of an engine output dict: scalars/vectors in one key–value table, vectors of one
    length side by side, matrices and lists of records (iterations, steps) each in their own table.
    ``names``: the algorithm's own names of its keys (:func:`tutor.lab_names.names_for`)."""
    order = list(keys) if keys is not None else list(summary) + [k for k in out if k not in summary]
    kv = TableSpec("", [label("key", lang), label("value", lang)], ["left", "right"])
    parts: list[TableSpec] = [kv]
    # vectors of one length (one value per round, per sample …) side by side: one row per index
    by_len: dict[int, list[str]] = {}
    for k in order:
        v = out.get(k)
        if isinstance(v, list) and len(v) >= 2 and all(not isinstance(x, (list, dict)) for x in v):
            by_len.setdefault(len(v), []).append(k)
    side = {k for ks in by_len.values() if len(ks) >= 2 for k in ks}
    for n, ks in by_len.items():
        if len(ks) >= 2:
            t = TableSpec("", ["#"] + [label(k, lang, names) for k in ks], ["right"] * (len(ks) + 1))
            for i in range(n):
                t.add_row(str(i + 1), *(fmt_value(out[k][i], digits) for k in ks))
            parts.append(t)
    for k in order:
        if k not in out or k in side:
            continue
        v = out[k]
        if _is_records(v):
            parts.extend(records_specs(k, v, digits=digits, lang=lang, names=names))
        elif isinstance(v, list) and v and all(_is_matrix(m) for m in v):
            # a stack of matrices (one per head, per step ...): one table each
            parts.extend(matrix_spec(f"{label(k, lang, names)} [{i + 1}]", m, digits=digits) for i, m in enumerate(v))
        elif _is_matrix(v):
            parts.append(matrix_spec(k, v, digits=digits, lang=lang, names=names))
        else:
            kv.add_row(label(k, lang, names), fmt_value(v, digits))
    if not kv.rows:
        parts.pop(0)
    return parts


# ----------------------------------------------------------------------------- plain text


def cells(s: str) -> int:
    """Display width in terminal cells: wide (Hangul, CJK) 2, combining marks 0, else 1."""
    if s.isascii():
        return len(s)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int, justify: str) -> str:
    gap = " " * (width - cells(s))
    return gap + s if justify == "right" else s + gap


def _column_widths(spec: TableSpec) -> list[int]:
    """Each column's width in cells: its widest header or cell line."""
    return [max(cells(x) for text in [spec.headers[j], *(r[j] for r in spec.rows)] for x in text.split("\n"))
            for j in range(len(spec.headers))]


def _box(spec: TableSpec, cols: list[int], title: str, col_widths: list[int]) -> list[str]:
    """One table drawn as Rich's default box (heavy head), every cell whole."""
    widths = [col_widths[j] for j in cols]
    out = [title] if title else []

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row(values: list[str], bar: str) -> list[str]:
        split = [values[j].split("\n") for j in cols]
        height = max(len(s) for s in split)
        return [bar + bar.join(" " + _pad(s[k] if k < len(s) else "", w, spec.justify[j]) + " "
                               for s, w, j in zip(split, widths, cols)) + bar for k in range(height)]

    if spec.show_header:
        out.append(rule("┏", "┳", "┓", "━"))
        out.extend(row(spec.headers, "┃"))
        out.append(rule("┡", "╇", "┩", "━"))
    else:
        out.append(rule("┌", "┬", "┐", "─"))
    for r in spec.rows:
        out.extend(row(r, "│"))
    out.append(rule("└", "┴", "┘", "─"))
    return out


def _width_of(col_widths: list[int], cols: list[int]) -> int:
    return 1 + sum(3 + col_widths[j] for j in cols)


def columns_label(first: int, last: int, total: int, lang: str = "en") -> str:
    """The title of one column group of a split table: which of the columns it shows ("◂ 1–6 / 9 ▸"
    did not say that it counts columns, nor that more are beside it)."""
    shown = f"{first}" if first == last else f"{first}–{last}"
    if lang == "ko":
        return f"◂ 열 {shown} / {total} ▸"
    return f"◂ {'column' if first == last else 'columns'} {shown} of {total} ▸"


def plain_lines(spec: TableSpec, width: int | None = None, keep: int = 1, lang: str = "en") -> list[str]:
    """A table as lines of text. Wider than ``width``: split into column groups (the first
    ``keep`` columns repeated in each) titled ``◂ columns 1–4 of 9 ▸`` — nothing is cut."""
    all_cols = list(range(len(spec.headers)))
    col_widths = _column_widths(spec)   # measured once for every group tried
    if width is None or _width_of(col_widths, all_cols) <= width or len(all_cols) <= keep + 1:
        return _box(spec, all_cols, spec.title, col_widths)
    groups, idx = [], list(range(keep))
    for j in range(keep, len(all_cols)):
        if len(idx) > keep and _width_of(col_widths, idx + [j]) > width:
            groups.append(idx)
            idx = list(range(keep))
        idx.append(j)
    groups.append(idx)
    total = len(all_cols) - keep
    out = []
    for g in groups:
        title = f"{spec.title}  {columns_label(g[keep] + 1 - keep, g[-1] + 1 - keep, total, lang)}".strip()
        out.extend(_box(spec, g, title, col_widths))
    return out


def plain_text(tables: Iterable[TableSpec], width: int | None = None, lang: str = "en") -> str:
    """Tables one after another, as text (``width`` None: as wide as they are)."""
    return "\n".join(line for t in tables for line in plain_lines(t, width, lang=lang))


def print_trace(alg, out: Mapping[str, Any], *, lang: str = "en", file=None) -> None:
    """``tutor solve``: the title and the trace's tables. On a terminal they fit its width (wide
    tables split into column groups); to a pipe or a file nothing is split or cut."""
    import os
    import shutil
    import sys

    file = file or sys.stdout
    tty = file.isatty()
    title = f"{alg.name} — {alg.title[lang]}"
    if tty and "NO_COLOR" not in os.environ:
        title = f"\x1b[1m{title}\x1b[0m"
    width = shutil.get_terminal_size().columns if tty else None
    from tutor.lab_names import shown_trace

    out, names = shown_trace(alg.name, out, lang)   # notes and warnings in ``lang``, a dict's keys named
    file.write(title + "\n" + plain_text(trace_tables(out, summary=alg.summary, lang=lang, names=names), width, lang) + "\n")
