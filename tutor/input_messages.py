"""The engine's and the lab's input problems in the learner's language.

The engine speaks English to every caller (``InputError(key, "must be < 1")``); the lab screen and
``tutor solve`` speak the learner's language. Every message the engine's input checks can raise has
a Korean form here (``tests/test_labs_robust.py`` reads every raise site of ``engine/`` and fails on
a message without one); a message not listed stays as the engine wrote it.

A template's ``{name}`` matches any text and is put back in the Korean; ``{name/이}`` puts it back
with the particle its last sound takes (``θ_A가``, ``3이``: :func:`tutor.korean.josa`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_OPS_KO = {"<": "{v}보다 작아야 합니다", "≤": "{v} 이하여야 합니다", ">": "{v}보다 커야 합니다", "≥": "{v} 이상이어야 합니다"}
_SLOT = re.compile(r"\{([a-z_][a-z0-9_]*)(?:/([^}]+))?\}")

# English fragments inside a filled-in value (a matrix's description, a dimension's name)
_WORDS_KO = ((" with ", ", "), (", applied as x @ W", ", x @ W로 곱함"), ("rows ", "행 "), ("scalar", "스칼라"),
             ("height", "높이"), ("width", "너비"), (" or ", " 또는 "), ("the batch variance", "배치 분산"),
             ("the covariance", "공분산"), ("the points", "점"))

# (English template, Korean template), most specific first; the engine's raise sites and the labs'
_TEMPLATES: tuple[tuple[str, str], ...] = (
    # engine.core, engine.limits: the shared checks
    ("missing", "값이 없습니다"),
    ("empty", "비어 있습니다"),
    ("expected a number", "숫자를 쓰세요"),
    ("expected a number, got {t}", "숫자를 쓰세요"),
    ("expected an integer", "정수를 쓰세요"),
    ("expected a whole number", "정수를 쓰세요"),
    ("expected a whole number, got {t}", "정수를 쓰세요"),
    ("expected true or false", "true 또는 false를 쓰세요"),
    ("expected an object", "`키: 값` 목록을 쓰세요"),
    ("expected a number or a (nested) list of numbers", "숫자나 숫자의 (중첩) 리스트를 쓰세요"),
    ("expected a number or a rectangular (nested) list of numbers",
     "숫자나 직사각형 모양의 (중첩) 리스트를 쓰세요(행마다 길이가 같아야 합니다)"),
    ("expected {want}, got {n}-D", "{want} 배열이어야 하는데 {n}-D입니다"),
    ("expected shape {want} ({what}), got {got}", "모양이 {want}({what})여야 하는데 {got}입니다"),
    ("expected shape {want}, got {got}", "모양이 {want}여야 하는데 {got}입니다"),
    ("must be finite", "유한한 수여야 합니다"),
    ("must be finite numbers", "유한한 수여야 합니다"),
    ("must be between {lo} and {hi}, got {v}", "{lo} 이상 {hi} 이하여야 합니다(입력: {v})"),
    ("must be one of {x}", "다음 중 하나여야 합니다: {x}"),
    ("expected a list of names from {x}", "다음 이름들의 리스트를 쓰세요: {x}"),
    ("at most {n} names", "이름은 {n}개까지입니다"),
    ("unknown name {x}; use {y}", "알 수 없는 이름 {x}입니다. 다음 중에서 쓰세요: {y}"),
    ("more than {n} values in all", "모든 입력을 합쳐 값이 {n}개를 넘습니다"),
    ("more than {n} values in a lab", "실험실에서는 값이 {n}개를 넘을 수 없습니다"),
    ("more than {n} values", "값이 {n}개를 넘습니다"),
    ("stopped: this computation takes too long (over its time limit)", "계산이 너무 오래 걸려 멈췄습니다(시간 제한 초과)"),
    ("unknown mistake {m}; known: {known}", "알 수 없는 실수 유형 {m}입니다(있는 유형: {known})"),
    # the labs (tutor.labs)
    ("more than {n} characters", "{n}자를 넘습니다"),
    ("nested too deeply", "너무 깊게 중첩되어 있습니다"),
    ("write the inputs as `key: value` lines (YAML)", "입력을 `키: 값` 줄(YAML)로 쓰세요"),
    ("unknown input (did you mean {k}?)", "알 수 없는 입력입니다({k}의 오타인가요?)"),
    ("cannot be computed with these inputs ({detail})", "이 입력으로는 계산할 수 없습니다"),
    # shapes and counts
    ("expected {n} values, got {g}", "값이 {n}개여야 하는데 {g}개입니다"),
    ("expected {n} values (one per feature), got {g}", "값이 {n}개(특성마다 하나)여야 하는데 {g}개입니다"),
    ("expected {n} values (one per row of x), got {g}", "값이 {n}개(x의 행마다 하나)여야 하는데 {g}개입니다"),
    ("expected {n} values (as many as {like}), got {g}", "값이 {n}개({like/와} 같은 개수)여야 하는데 {g}개입니다"),
    ("expected {n} values per step ({what}), got {g}", "단계마다 값이 {n}개({what})여야 하는데 {g}개입니다"),
    ("expected {n} values (diagonal) or an {a}×{b} matrix", "값 {n}개(대각선)나 {a}×{b} 행렬을 쓰세요"),
    ("expected {n} value(s), one per output channel", "값이 {n}개(출력 채널마다 하나)여야 합니다"),
    ("expected {n} columns, got {g}", "열이 {n}개여야 하는데 {g}개입니다"),
    ("expected {n} columns{what}, got {g}", "열이 {n}개{what}여야 하는데 {g}개입니다"),
    ("expected {n} rows (one value per key), got {g}", "행이 {n}개(키마다 값 하나)여야 하는데 {g}개입니다"),
    ("expected {n} rows (one per step of xs), got {g}", "행이 {n}개(xs의 단계마다 하나)여야 하는데 {g}개입니다"),
    ("expected {n} features per row, got {g}", "행마다 특성이 {n}개여야 하는데 {g}개입니다"),
    ("expected {n} labels (one per row of x), got {g}", "라벨이 {n}개(x의 행마다 하나)여야 하는데 {g}개입니다"),
    ("expected {n} weights (one per column of x), got {g}", "가중치가 {n}개(x의 열마다 하나)여야 하는데 {g}개입니다"),
    ("expected {n} probabilities (as many as p), got {g}", "확률이 {n}개(p와 같은 개수)여야 하는데 {g}개입니다"),
    ("expected {n} coordinates (like the points), got {g}", "좌표가 {n}개(점과 같게)여야 하는데 {g}개입니다"),
    ("expected {n} target value(s), got {g}", "목표값이 {n}개여야 하는데 {g}개입니다"),
    ("expected {n} variances (1-D) or a {a}×{b}×{c} array", "분산 {n}개(1-D)나 {a}×{b}×{c} 배열을 쓰세요"),
    ("expected T rows of {n} values ({what})", "값이 {n}개({what})인 행 T개를 쓰세요"),
    ("expected a {what} matrix", "{what} 행렬을 쓰세요"),
    ("expected a square H×H matrix, got {got}", "정사각 H×H 행렬이어야 하는데 {got}입니다"),
    ("expected k rows of {n} coordinates (like x)", "좌표가 {n}개인 행 k개를 쓰세요(x와 같게)"),
    ("expected a list of {n} labels (one per point)", "라벨 {n}개(점마다 하나)의 리스트를 쓰세요"),
    ("expected the shape of x, {n}×{d} (∂L/∂y for every entry), got {got}",
     "x와 같은 모양 {n}×{d}(원소마다 ∂L/∂y)여야 하는데 {got}입니다"),
    ("expected p×{d} (one row of {e} weights per hidden node), got {got}",
     "모양이 p×{d}(은닉 노드마다 가중치 {e}개인 행 하나)여야 하는데 {got}입니다"),
    ("expected m×{p} (one row of {e} weights per output node), got {got}",
     "모양이 m×{p}(출력 노드마다 가중치 {e}개인 행 하나)여야 하는데 {got}입니다"),
    ("expected out×{c}×k_h×k_w (one slice per input channel), got {got}",
     "모양이 out×{c}×k_h×k_w(입력 채널마다 한 장)여야 하는데 {got}입니다"),
    ("the input has {c} channels: give the kernel as {shape}", "입력의 채널이 {c}개입니다: 커널을 {shape} 모양으로 쓰세요"),
    ("kernel {dim} {k} is larger than the padded input {dim2} {p}", "커널의 {dim} {k/이} 패딩한 입력의 {dim2} {p}보다 큽니다"),
    ("each centroid needs {n} coordinates (like the points), got {g}", "중심마다 좌표가 {n}개(점과 같게) 필요한데 {g}개입니다"),
    ("too short: after differencing {d} times it needs more than p = {p} values",
     "너무 짧습니다: {d}번 차분한 뒤에도 값이 p = {p}개보다 많아야 합니다"),
    ("too many values: keep positions × d_model ≤ {n}", "값이 너무 많습니다: 위치 수 × d_model ≤ {n}이어야 합니다"),
    ("too long (at most {n} characters)", "너무 깁니다(최대 {n}자)"),
    ("at most {n} gradients", "기울기는 최대 {n}개입니다"),
    ("at most {n} steps", "단계는 최대 {n}개입니다"),
    ("give 1 … {n} optimizers", "옵티마이저를 1 … {n}개 쓰세요"),
    ("one learning rate, or one per optimizer ({n})", "학습률을 하나, 또는 옵티마이저마다 하나씩({n}개) 쓰세요"),
    ("has {s} values but {other} has {n}: give one value per unit",
     "값이 {s}개인데 {other/은} {n}개입니다: 유닛마다 값을 하나씩 쓰세요"),
    # values
    ("must be > 0 (a bowl with one minimum)", "0보다 커야 합니다(최솟값이 하나인 그릇 모양)"),
    ("must be {op} {v} in a lab", "실험실에서는 {op}"),
    ("must be {op} {v}", "{op}"),
    ("must be 2, e or 10", "2, e, 10 중 하나여야 합니다"),
    ("must divide d_model = {d} (got {h})", "d_model = {d/을} 나누어떨어지게 해야 합니다(입력: {h})"),
    ("must be none, causal, or a matrix of 1 (attend) / 0 (masked)", "none, causal 또는 1(주목)/0(가림)으로 된 행렬이어야 합니다"),
    ("expected an {a}×{b} matrix of 1 (attend) / 0 (masked)", "1(주목)/0(가림)으로 된 {a}×{b} 행렬이어야 합니다"),
    ("row {r} masks every key: that query has nothing to attend to", "{r}번 행이 모든 키를 가립니다: 그 쿼리는 주목할 곳이 없습니다"),
    ("queries have {a} columns but keys have {b}: a dot product needs the same dimension "
     "(use score general or additive otherwise)",
     "쿼리는 열이 {a}개, 키는 {b}개입니다: 내적에는 같은 차원이 필요합니다(아니면 score를 general이나 additive로 쓰세요)"),
    ("a variance must be ≥ 0", "분산은 0 이상이어야 합니다"),
    ("variances must be > 0", "분산은 0보다 커야 합니다"),
    ("mixing weights must be > 0 and sum to 1", "혼합 가중치는 0보다 크고 합이 1이어야 합니다"),
    ("covariance {j} must be symmetric positive definite", "공분산 {j/은} 대칭 양의 정부호 행렬이어야 합니다"),
    ("vars is for 1-D data; give covs (k×d×d) for d-dimensional x", "vars는 1-D 데이터용입니다. d차원 x에는 covs(k×d×d)를 쓰세요"),
    ("probabilities must be ≥ 0", "확률은 0 이상이어야 합니다"),
    ("probabilities must sum to 1 (they sum to {t})", "확률의 합이 1이어야 합니다(지금 합: {t})"),
    ("labels must be 0 or 1 (probabilities in [0, 1] are accepted)", "라벨은 0이나 1이어야 합니다([0, 1] 사이의 확률도 됩니다)"),
    ("labels must be 0 or 1 (index {i} is {v})", "라벨은 0이나 1이어야 합니다({i}번이 {v}입니다)"),
    ("label {i} must be a number or a string", "{i}번 라벨은 숫자나 문자열이어야 합니다"),
    ("item {i} must be a non-empty string", "{i}번 항목은 비어 있지 않은 문자열이어야 합니다"),
    ("y_true[{i}] is 0: MAPE divides by y_true, so it is undefined", "y_true[{i}]가 0입니다: MAPE는 y_true로 나누므로 정의되지 않습니다"),
    ("all four counts are 0", "네 개수가 모두 0입니다"),
    ("values too large: {what} overflows (rescale the data)", "값이 너무 큽니다: {what/이} 오버플로됩니다(데이터의 크기를 줄이세요)"),
    ("values too small or too large: the estimate under- or overflows", "값이 너무 작거나 큽니다: 추정값이 언더플로나 오버플로됩니다"),
    # what an input must hold
    ("expected a non-empty list of strings", "비어 있지 않은 문자열 리스트를 쓰세요"),
    ("expected a non-empty string", "비어 있지 않은 문자열을 쓰세요"),
    ("expected a non-empty list of strings of H and T, e.g. {ex}", "H와 T로 된 문자열의 리스트를 쓰세요(비어 있으면 안 됩니다). 예: {ex}"),
    ("expected a string of H and T", "H와 T로 된 문자열을 쓰세요"),
    ("empty round", "빈 라운드입니다"),
    ("unknown character {c} (use H and T)", "알 수 없는 문자 {c}입니다(H와 T만 쓰세요)"),
    ('expected a list of {n} coin labels "A"/"B"', '동전 라벨 "A"/"B"를 {n}개 쓰세요'),
    ('each label must be "A" or "B"', '라벨은 모두 "A"나 "B"여야 합니다'),
    ("expected a point [x, y]", "점 [x, y]를 쓰세요"),
    ("each optimizer at most once", "옵티마이저마다 한 번만 쓰세요"),
    ("expected one integer or a pair [vertical, horizontal]", "정수 하나나 [세로, 가로] 쌍을 쓰세요"),
    ('expected {"type": "max" or "avg", "size": k, "stride": s}', '{"type": "max" 또는 "avg", "size": k, "stride": s} 형태로 쓰세요'),
    ("expected an object with any of the keys i, f, o", "i, f, o 가운데 필요한 것을 키로 하는 `키: 값` 목록을 쓰세요"),
    ("unknown gate {g} (use i, f, o)", "알 수 없는 게이트 {g}입니다(i, f, o만 쓰세요)"),
    ("expected a pair [beta1, beta2]", "[β₁, β₂] 쌍을 쓰세요"),
    ("expected a symmetric p×p covariance matrix", "대칭인 p×p 공분산 행렬을 쓰세요"),
    ("a covariance matrix cannot have negative eigenvalues", "공분산 행렬에는 음의 고윳값이 있을 수 없습니다"),
    ("need at least 2 rows to estimate a covariance", "공분산을 추정하려면 행이 2개 이상 필요합니다"),
    ("need at least 2 values to estimate a variance", "분산을 추정하려면 값이 2개 이상 필요합니다"),
    ("need at least 2 samples (rows) in train mode: the batch variance of one sample is 0",
     "train 모드에는 샘플(행)이 2개 이상 필요합니다: 샘플 하나의 배치 분산은 0입니다"),
    ("a kept component has variance 0; it cannot be scaled to variance 1 (lower k)",
     "남긴 성분 가운데 분산이 0인 것이 있어 분산 1로 맞출 수 없습니다(k를 줄이세요)"),
    ("whitening needs the data x, not only cov", "백색화에는 cov만이 아니라 데이터 x가 필요합니다"),
    ("the columns of the design matrix are linearly dependent, so XᵀX is singular and β is not unique "
     "(a constant or duplicated column, a column that is a sum of others, or fewer points than parameters)",
     "설계 행렬의 열이 선형 종속이라 XᵀX가 특이 행렬이고 β가 하나로 정해지지 않습니다"
     "(상수 열이나 중복된 열, 다른 열의 합인 열, 또는 모수보다 적은 점)"),
    ("bernoulli data must be 0 or 1", "베르누이 데이터는 0이나 1이어야 합니다"),
    ("all values are equal: the variance MLE is 0 and the likelihood is unbounded",
     "값이 모두 같습니다: 분산의 MLE가 0이 되어 가능도가 한없이 커집니다"),
    ("exponential data must be ≥ 0 and not all 0", "지수분포 데이터는 0 이상이고 모두 0이면 안 됩니다"),
    ("poisson data are counts 0, 1, 2, …", "포아송 데이터는 개수 0, 1, 2, …여야 합니다"),
    ("binomial data are success counts 0…{t} (n = {n} trials each)", "이항 데이터는 성공 횟수 0…{t}여야 합니다(각각 n = {n}번 시행)"),
    ("only special tokens: nothing can be selected", "특수 토큰뿐이라 고를 수 있는 토큰이 없습니다"),
    ("no ordinary tokens to mask", "가릴 수 있는 일반 토큰이 없습니다"),
    ("missing (an expression in w, e.g. 4*w^3)", "값이 없습니다(w에 대한 식을 쓰세요. 예: 4*w^3)"),
    ("expected an expression in w, e.g. 4*w^3", "w에 대한 식을 쓰세요(예: 4*w^3)"),
    ("give either a derivative expression in w or a list of grads (not both)",
     "w에 대한 도함수 식(derivative)이나 기울기 리스트(grads) 중 하나만 쓰세요"),
    ("missing (b was given without w)", "값이 없습니다(b만 있고 w가 없습니다)"),
    ("give a gate (and, or, nand, nor, xor, xnor) or weights w and b", "게이트(and, or, nand, nor, xor, xnor)나 가중치 w와 b를 쓰세요"),
    ("training needs a gate to learn", "학습에는 배울 게이트가 필요합니다"),
    ("a learning rate needs targets t", "학습률을 쓰려면 목표값 t가 필요합니다"),
    ("missing (give y_true and y_pred, or the counts tp, fp, fn, tn)", "값이 없습니다(y_true와 y_pred, 또는 개수 tp, fp, fn, tn을 쓰세요)"),
    ("missing (give y_pred, or scores and a threshold)", "값이 없습니다(y_pred, 또는 scores와 threshold를 쓰세요)"),
    ("ROC needs both classes 0 and 1 among y_true", "ROC에는 y_true에 0과 1 두 클래스가 모두 있어야 합니다"),
    ("ROC needs y_true with the scores, not counts", "ROC에는 개수가 아니라 scores와 함께 y_true가 필요합니다"),
    ("x / T is too large: use a larger temperature T or smaller logits x",
     "x / T가 너무 큽니다: 온도 T를 키우거나 로짓 x를 줄이세요"),
    ("only leaky_relu and elu take alpha", "α는 leaky_relu와 elu에만 씁니다"),
    # a mistake (tutor solve --mistake) that does not fit the inputs
    ("{m} is about differencing; it needs d ≥ 1", "{m/은} 차분에 관한 실수라서 d ≥ 1이 필요합니다"),
    ("{m} is about family {f}", "{m/은} family {f}에 관한 실수입니다"),
    ("{m} only applies to score = scaled", "{m/은} score = scaled일 때만 해당합니다"),
    ("{m} only applies with a mask", "{m/은} mask가 있을 때만 해당합니다"),
    ("{m} only applies with dy (the backward pass)", "{m/은} dy(역전파)가 있을 때만 해당합니다"),
    ("{m} only applies with mode = eval", "{m/은} mode = eval일 때만 해당합니다"),
    ("{m} only applies with mode = train (eval uses the running statistics)", "{m/은} mode = train일 때만 해당합니다(eval은 이동 통계를 씁니다)"),
    ("{m} only applies when the gates are computed from weights (w_ih, w_hh)", "{m/은} 게이트를 가중치(w_ih, w_hh)로 계산할 때만 해당합니다"),
    ("{m} needs num_heads > 1", "{m}에는 num_heads > 1이 필요합니다"),
    ("{m} needs the data x, not only cov", "{m}에는 cov만이 아니라 데이터 x가 필요합니다"),
    # the engine's expression parser (a derivative L′(w)); engine.expr.KO_MESSAGES has the fixed ones
    ("unexpected {c}", "예상하지 못한 {c}"),
    ("unknown name {n}", "알 수 없는 이름 {n}"),
    ("{f} needs parentheses, e.g. {g}(2)", "{f}에는 괄호가 필요합니다(예: {g}(2))"),
    ("too long (more than {n} characters)", "너무 깁니다({n}자 초과)"),
    # the notes and warnings of a trace (``notes``, ``warnings``)
    ("a cluster got no points in some iteration; it kept its previous centroid",
     "어떤 반복에서 점을 하나도 받지 못한 군집이 있어, 그 군집은 이전 중심을 그대로 두었습니다"),
    ("some point was equally far from two centroids; it went to the lower cluster index",
     "두 중심에서 거리가 같은 점이 있어, 번호가 작은 군집에 넣었습니다"),
    ("the vote is tied between {x}; the label of the nearest tied neighbour wins",
     "투표가 {x} 사이에서 동점입니다: 동점인 라벨 가운데 가장 가까운 이웃의 라벨을 고릅니다"),
    ("the k-th and (k+1)-th neighbours are equally far; the lower index was taken",
     "k번째와 (k+1)번째 이웃의 거리가 같아, 번호가 작은 점을 골랐습니다"),
    ("a component received no responsibility; EM stopped", "책임값을 전혀 받지 못한 성분이 있어 EM을 멈췄습니다"),
    ("a covariance collapsed to (near) zero: the likelihood is unbounded there; EM stopped",
     "공분산이 (거의) 0으로 줄었습니다: 그곳에서는 가능도가 한없이 커지므로 EM을 멈췄습니다"),
    ("all y_true are equal, so TSS = 0 and R² is undefined", "y_true가 모두 같아 TSS = 0이고, R²는 정의되지 않습니다"),
    ("R² < 0: these predictions are worse than always predicting the mean ȳ",
     "R² < 0: 이 예측은 늘 평균 ȳ로 예측하는 것보다 나쁩니다"),
    ("{metric} is undefined (0/0)", "{metric/은} 정의되지 않습니다(0/0)"),
    ("p̂ = total successes / total trials = {s} / ({t})", "p̂ = 전체 성공 수 / 전체 시행 수 = {s} / ({t})"),
    ("the MLE of the variance σ̂² divides by n; s² (divides by n − 1) is the unbiased sample variance, which is not the MLE",
     "분산의 MLE σ̂²는 n으로 나눕니다. n − 1로 나누는 s²는 불편 표본분산이며 MLE가 아닙니다"),
    ("two eigenvalues are equal: the directions in that eigenspace are not unique",
     "두 고윳값이 같습니다: 그 고유공간의 방향은 하나로 정해지지 않습니다"),
    ("the covariance divides by n − {d} = {m} (the sample covariance, as np.cov)",
     "공분산은 n − {d} = {m/으로} 나눕니다(np.cov와 같은 표본공분산)"),
    ("the covariance divides by n − {d} = {m}", "공분산은 n − {d} = {m/으로} 나눕니다"),
    ("{listed} is outside {bound}: {what} cannot take that value", "{listed/은} {bound} 범위 밖입니다: {what}에서는 나올 수 없는 값입니다"),
    ("{listed} are outside {bound}: {what} cannot take those values", "{listed/은} {bound} 범위 밖입니다: {what}에서는 나올 수 없는 값입니다"),
    # why a run stopped early (the trace's ``reason``)
    ("L′(w) cannot be evaluated at w = {w}: {why}", "w = {w}에서 L′(w)를 계산할 수 없습니다: {why}"),
    ("the gradient cannot be evaluated at w = {w}: {why}", "w = {w}에서 기울기를 계산할 수 없습니다: {why}"),
    ("|w| exceeded {b} after {n} steps", "{n}단계 만에 |w|가 {b/을} 넘었습니다"),
    ("|x| or |y| exceeded {b} after {n} steps", "{n}단계 만에 |x| 또는 |y|가 {b/을} 넘었습니다"),
)


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str]]:
    out = []
    for en, ko in _TEMPLATES:
        parts, pos = [], 0
        for m in _SLOT.finditer(en):
            parts += [re.escape(en[pos:m.start()]), f"(?P<{m.group(1)}>.+?)"]
            pos = m.end()
        out.append((re.compile("".join(parts) + re.escape(en[pos:]), re.S), ko))
    return out


# the words filled into a note: a metric's name, what a value must be
_SLOT_KO = {"metric": {"precision": "정밀도", "recall": "재현율", "specificity": "특이도", "f1": "F₁"},
            "what": {"a sigmoid gate": "시그모이드 게이트"}}


def _value_ko(name: str, value: str) -> str:
    if name == "op":      # "must be ≤ 5": the comparison as a Korean sentence ending
        return value
    if value in _SLOT_KO.get(name, {}):
        return _SLOT_KO[name][value]
    if name == "why":     # an expression's error inside a reason
        return message_in(value, "ko")
    for en, ko in _WORDS_KO:
        value = value.replace(en, ko)
    return value


def _fill(ko: str, m: re.Match) -> str:
    from tutor.korean import josa

    groups = {k: _value_ko(k, v) for k, v in m.groupdict().items()}
    if "op" in groups and "v" in groups:
        groups["op"] = _OPS_KO[groups["op"]].format(v=groups["v"]) if groups["op"] in _OPS_KO else None
    return _SLOT.sub(lambda s: josa(groups[s.group(1)], s.group(2)) if s.group(2) else groups[s.group(1)], ko)


def _expr_ko(message: str) -> str | None:
    """An error of the engine's expression parser, with its position (``(at character 3)``)."""
    from engine.expr import KO_MESSAGES

    m = re.fullmatch(r"(.+?)(?: \(at character (\d+)\))?", message, re.S)
    if not m:            # "" (no reason): nothing to translate
        return None
    text, pos = m.group(1), m.group(2)
    ko = KO_MESSAGES.get(text)
    if ko is None:
        return None
    return ko + (f" ({pos}번째 글자)" if pos else "")


def message_in(message: str, lang: str) -> str:
    """An input message in ``lang``: English as written; Korean for every message of the engine's
    input checks and of the labs (:data:`_TEMPLATES`, the expression parser's own table)."""
    if lang != "ko":
        return message
    found = _expr_ko(message)
    if found is not None:
        return found
    base, pos = message, None
    m = re.fullmatch(r"(.+) \(at character (\d+)\)", message, re.S)
    if m:
        base, pos = m.group(1), m.group(2)
    for pattern, ko in _compiled():
        hit = pattern.fullmatch(base)
        if hit and ("op" not in hit.groupdict() or hit.group("op") in _OPS_KO):
            return _fill(ko, hit) + (f" ({pos}번째 글자)" if pos else "")
    return message


def key_in(key: str, lang: str) -> str:
    """How an input's key is shown before its message: the key the learner wrote (``theta_a``,
    ``rounds[0]``); none for the whole input or the time limit (``inputs``, ``time``)."""
    if key in ("inputs", "time"):
        return ""
    return key
