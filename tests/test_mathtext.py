"""LaTeX → Unicode for the terminal: the formulas of the lessons and the seed notes."""

from __future__ import annotations

import random

import pytest

from tutor.mathtext import latex_to_unicode as L
from tutor.mathtext import render_markdown_math as R


@pytest.mark.parametrize("tex, want", [
    # fractions: parentheses only where the linear form would be ambiguous
    (r"\frac{24}{24+6}", "24/(24+6)"),
    (r"\hat{\theta}_A = \frac{24}{24 + 6} = 0.80", "θ̂_A = 24/(24 + 6) = 0.80"),
    (r"\frac{a+b}{c}", "(a+b)/c"),
    (r"\frac{2a}{b}", "2a/b"),
    (r"\frac{-b \pm \sqrt{b^2 - 4ac}}{2a}", "(−b ± √(b² − 4ac))/(2a)"),
    (r"\frac{1}{2}", "½"),
    (r"\tfrac12", "½"),
    (r"\frac{3}{7}", "3/7"),
    (r"\frac{\partial E_n}{\partial w_{ji}}", "∂Eₙ/∂wⱼᵢ"),
    (r"\frac{\partial \text{Loss}}{\partial W_{xh}}", "∂Loss/∂Wₓₕ"),
    (r"\frac{P(i)}{Q(i)}", "P(i)/Q(i)"),
    (r"\frac{s_t^T h_i}{\sqrt{n}}", "(sₜᵀ hᵢ)/√n"),
    (r"\frac{e^{x_i}}{\sum_j e^{x_j}}", "e^(xᵢ)/(Σⱼ e^(xⱼ))"),
    (r"\frac{1}{1 + \exp(-net_k)}", "1/(1 + exp(−netₖ))"),
    (r"\frac{\exp(-x)}{(1 + \exp(-x))^2}", "exp(−x)/(1 + exp(−x))²"),
    (r"\frac{dy}{dx}", "dy/dx"),
    # roots
    (r"\sqrt{d_k}", "√dₖ"),
    (r"\sqrt{2\pi}", "√(2π)"),
    (r"\sqrt{x + 1}", "√(x + 1)"),
    (r"\sqrt[3]{8}", "³√8"),
    (r"\sqrt[n]{x}", "ⁿ√x"),
    (r"\frac{QK^T}{\sqrt{d_k}}", "QKᵀ/√dₖ"),
    # sub- and superscripts
    (r"c_{t-1}", "cₜ₋₁"),
    (r"h_{t-1}", "hₜ₋₁"),
    (r"x_1 + x_{10}", "x₁ + x₁₀"),
    (r"\theta_A", "θ_A"),
    (r"W_{xh}", "Wₓₕ"),
    (r"K^T", "Kᵀ"),
    (r"x^{\top}", "xᵀ"),
    (r"x^2", "x²"),
    (r"x^23", "x²3"),
    (r"(X^TX)^{-1}X^TY", "(XᵀX)⁻¹XᵀY"),
    (r"x^{(i)}", "x⁽ⁱ⁾"),
    (r"d_{model}", "d_model"),
    (r"seq_{len}", "seq_len"),
    (r"W^{new}", "W^new"),
    (r"y_{o,c}", "y_(o,c)"),
    (r"e^{-x_i}", "e^(−xᵢ)"),
    (r"PE_{(pos, 2i)}", "PE_(pos, 2i)"),
    (r"10000^{2i/d_{model}}", "10000^(2i/d_model)"),
    (r"\sum_{i=1}^{n} x_i", "Σᵢ₌₁ⁿ xᵢ"),
    (r"\sum_{j=1}^{q}\theta_j \varepsilon_{t-j}", "Σⱼ₌₁^q θⱼ εₜ₋ⱼ"),
    (r"x_{abc}y", "x_(abc)y"),
    (r"\prod_i p_i", "Πᵢ pᵢ"),
    (r"\mathbf{h}_i^T \mathbf{W}_a \mathbf{s}_j", "hᵢᵀ Wₐ sⱼ"),
    (r"\hat{w}_0", "ŵ₀"),
    # Greek and symbols
    (r"\theta, \alpha, \sigma, \mu, \Sigma", "θ, α, σ, μ, Σ"),
    (r"\alpha \beta", "αβ"),                      # a product, as LaTeX typesets it
    (r"\partial L / \partial W", "∂L / ∂W"),
    (r"\nabla_\theta J", "∇_θ J"),
    (r"f_t \odot c_{t-1} + i_t \odot \tilde{c}_t", "fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ"),
    (r"f_t \otimes c_{t-1} \oplus i_t \otimes \tilde{c}_t", "fₜ ⊗ cₜ₋₁ ⊕ iₜ ⊗ c̃ₜ"),
    (r"a \cdot b", "a · b"),
    (r"a\cdot b", "a·b"),
    (r"Q \times K^T", "Q × Kᵀ"),
    (r"x \le y \ge z \ne w \approx v", "x ≤ y ≥ z ≠ w ≈ v"),
    (r"x\leq y", "x ≤ y"),
    (r"n \to \infty", "n → ∞"),
    (r"s_t \rightarrow", "sₜ →"),
    (r"z_i \in \{A, B\}", "zᵢ ∈ {A, B}"),
    (r"p(x \mid \theta)", "p(x | θ)"),
    (r"D_{KL}(P \parallel Q)", "D_KL(P ‖ Q)"),
    (r"\|x\|", "‖x‖"),
    (r"\log p + \exp(x) + \tanh(c_t)", "log p + exp(x) + tanh(cₜ)"),
    (r"\log x", "log x"),
    (r"\log\sigma(x)", "log σ(x)"),
    (r"\bar{x}", "x̄"),
    (r"\hat{y}", "ŷ"),
    (r"\tilde{c}", "c̃"),
    (r"\mathcal{L}(\theta)", "ℒ(θ)"),
    (r"\mathbb{R}^{n \times d}", "ℝ^(n × d)"),
    (r"\operatorname{argmax}_y p(y \mid x)", "argmax_y p(y | x)"),
    (r"\alpha(e^x - 1)", "α(eˣ − 1)"),
    (r"1, 2, \dots, N", "1, 2, …, N"),
    # delimiters, text, spacing
    (r"\left( \frac{a}{b} \right)", "(a/b)"),
    (r"\left[ x \right]", "[x]"),
    (r"\left. f \right|_{x=0}", "f |ₓ₌₀"),
    (r"\text{softmax}(x)", "softmax(x)"),
    (r"\text{Cross Entropy} = -\sum_c y_c \log p_c", "Cross Entropy = −Σ_c y_c log p_c"),
    (r"W_{xh} \text{의 기여도}", "Wₓₕ 의 기여도"),
    (r"f(x) = w_0 + w_1 X_1 \quad \text{다중선형회귀 모델}", "f(x) = w₀ + w₁ X₁  다중선형회귀 모델"),
    (r"\theta_A = 0.8, \quad \theta_B = 0.45", "θ_A = 0.8,  θ_B = 0.45"),
    (r"a\,b\;c\!d", "a b cd"),
    (r"50\%", "50%"),
    # environments
    (r"\begin{cases} x & x \geq 0 \\ \alpha(e^x - 1) & x < 0 \end{cases}", "{ x, x ≥ 0; α(eˣ − 1), x < 0 }"),
    (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "(1, 2; 3, 4)"),
    (r"\begin{bmatrix} 1 & 0 \end{bmatrix}", "[1, 0]"),
    (r"\left[ \begin{array}{c} w \\ b \end{array} \right]", "[w; b]"),
    (r"\begin{aligned} L &= -\sum_i t_i \log p_i \\ &= 2.85 \end{aligned}", "L = −Σᵢ tᵢ log pᵢ\n= 2.85"),
    # the em.yaml lesson
    (r"\prod_i \left[\tfrac12 \theta_A^{h_i}(1-\theta_A)^{t_i} + \tfrac12 \theta_B^{h_i}(1-\theta_B)^{t_i}\right]",
     "Πᵢ [½ θ_A^(hᵢ)(1−θ_A)^(tᵢ) + ½ θ_B^(hᵢ)(1−θ_B)^(tᵢ)]"),
    (r"\hat\theta_A = \frac{ 24 }{ 24 + 6 } = 0.80", "θ̂_A = 24/(24 + 6) = 0.80"),
    (r"L_A = 0.6^5 \cdot 0.4^5 = 0.000796", "L_A = 0.6⁵ · 0.4⁵ = 0.000796"),
])
def test_latex_to_unicode(tex, want):
    assert L(tex) == want


@pytest.mark.parametrize("bad", [
    r"\frac{a", r"\frac{a}{b", r"x^{2", r"}{", r"a}", r"\frac", r"\frac{a}", r"x^", r"\sqrt",
    r"\begin{pmatrix} 1 & 2", r"\end{pmatrix}", r"\left(", r"\text{a", r"{{}", "",
])
def test_malformed_latex_is_left_as_it_is(bad):
    got = L(bad)
    assert isinstance(got, str)
    if bad.count("{") != bad.count("}") or bad in (r"\frac", r"\frac{a}", r"x^", r"\sqrt", r"\end{pmatrix}",
                                                   r"\begin{pmatrix} 1 & 2"):
        assert got == bad


def test_never_crashes_on_random_input():
    rng = random.Random(7)
    alphabet = list("{}^_\\&$ ()[]|-+=abcxyz0123") + ["\\frac", "\\sqrt", "\\left", "\\right", "\\begin{cases}",
                                                     "\\end{cases}", "\\text", "\\hat", "\\sum", "\\\\", "가"]
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        assert isinstance(L(s), str)
        assert isinstance(R(f"텍스트 ${s}$ 끝 $${s}$$"), str)


def test_deep_nesting_does_not_crash():
    s = "{" * 5000 + "x" + "}" * 5000
    assert isinstance(L(s), str)
    s = r"\frac{" * 3000 + "1" + "}{2}" * 3000
    assert isinstance(L(s), str)


# --------------------------------------------------------------------------- markdown


@pytest.mark.parametrize("md, want", [
    ("확률 $\\theta_A$ 는 $\\frac{24}{24+6} = 0.8$ 입니다.", "확률 θ_A 는 24/(24+6) = 0.8 입니다."),
    ("스케일 $\\sqrt{d_k}$ 로 나눕니다", "스케일 √dₖ 로 나눕니다"),
    ("게이트 $c_t = f_t \\odot c_{t-1}$이고", "게이트 cₜ = fₜ ⊙ cₜ₋₁이고"),
    ("$$\\hat{\\theta}_B = \\frac{9}{9 + 11} = 0.45$$", "θ̂_B = 9/(9 + 11) = 0.45"),
    ("앞\n\n$$\n\\theta_A = 0.8\n$$\n\n뒤", "앞\n\nθ_A = 0.8\n\n뒤"),
    ("inline \\(x^2\\) and display \\[y_1\\]", "inline x² and display y₁"),
    ("코드 `$x$` 는 그대로", "코드 `$x$` 는 그대로"),
    ("코드 ``a ` $x$`` 도", "코드 ``a ` $x$`` 도"),
    ("```\n$\\theta$\n```\n밖 $\\theta$", "```\n$\\theta$\n```\n밖 θ"),
    ("~~~python\nx = '$a$'\n~~~", "~~~python\nx = '$a$'\n~~~"),
    ("It costs $5 and $6.", "It costs $5 and $6."),
    ("escaped \\$ and $x$", "escaped \\$ and x"),
    ("a $ b $ c", "a $ b $ c"),
    ("unclosed $\\frac{a$ here", "unclosed $\\frac{a$ here"),
    ("no math at all", "no math at all"),
    ("$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$", "a = b  \n= c"),
    ("inline $\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$.", "inline a = b; = c."),
    ("- **굵게** $x_1$ 와 *기울임*", "- **굵게** x₁ 와 *기울임*"),
])
def test_render_markdown_math(md, want):
    # inline formulas are joined by no-break spaces (tests/test_korean2.py checks them); here the text
    assert R(md).replace("\u00a0", " ") == want


def test_render_markdown_math_can_escape_markdown():
    assert R("$x^*$ and $b_{f}$", escape=True) == "x\\* and b\\_f"
    assert R("$x^*$ and $b_{f}$") == "x* and b_f"


def test_placeholders_then_math():
    from tutor.content import render

    runs = {"mle": {"heads_a": 24.0, "tails_a": 6.0, "theta_a": 0.8}}
    md = "동전 A: $$\\hat\\theta_A = \\frac{ {{mle.heads_a:d}} }{ {{mle.heads_a:d}} + {{mle.tails_a:d}} } = {{mle.theta_a:.2f}}$$ 입니다."
    assert R(render(md, runs)) == "동전 A: θ̂_A = 24/(24 + 6) = 0.80 입니다."


@pytest.mark.parametrize("tex,want", [
    (r"\frac{p - y}{p(1 - p)}", "(p − y)/(p(1 − p))"),   # a product in a denominator is bracketed
    (r"\frac{1}{n}\sum_i x_i", "(1/n)Σᵢ xᵢ"),             # a fraction times what follows
    (r"\frac{a}{\sigma(x)}", "a/σ(x)"),                   # a function call is one factor
])
def test_fractions_are_never_ambiguous(tex, want):
    assert L(tex) == want
