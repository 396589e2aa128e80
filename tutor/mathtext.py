"""LaTeX in lessons → readable Unicode for a terminal.

:func:`latex_to_unicode` turns the LaTeX the lessons use into plain Unicode text:
``\\frac{24}{24+6}`` → ``24/(24+6)``, ``\\sqrt{d_k}`` → ``√dₖ``, ``c_{t-1}`` → ``cₜ₋₁``,
``\\hat{\\theta}_A`` → ``θ̂_A``, ``\\sum_{i=1}^n`` → ``Σᵢ₌₁ⁿ``, ``K^T`` → ``Kᵀ``.

Choices made for readability:

* sub/superscripts become Unicode sub/superscript characters when every character has one
  (``h_{t-1}`` → ``hₜ₋₁``, ``x^{(i)}`` → ``x⁽ⁱ⁾``); a single character without one stays as
  ``θ_A``; a word without one stays a word (``d_{model}`` → ``d_model``, ``W^{new}`` → ``W^new``);
  anything else gets parentheses (``y_{o,c}`` → ``y_(o,c)``, ``e^{-x_i}`` → ``e^(−xᵢ)``).
  Words of three or more letters are never shrunk (``seq_{len}`` → ``seq_len``, not ``seqₗₑₙ``);
* a fraction adds parentheses only where the linear form would be ambiguous: the numerator
  when it is a sum or relation, the denominator unless it is a single factor;
* relations (``=`` written as ``\\le``, ``\\in``, ``\\to`` …) get one space on each side;
  ``\\cdot``/``\\times`` keep the spacing the author wrote;
* minus signs become ``−``; ``\\left``/``\\right``/``\\big`` sizes are dropped;
  ``\\text{…}`` is kept as written (Korean included);
* matrices become ``[a, b; c, d]`` (with their own brackets), ``cases`` ``{ a, if …; b, … }``,
  and ``aligned`` rows one per line.

Malformed LaTeX (unbalanced braces, a ``\\frac`` without arguments …) is returned unchanged:
this never raises.

:func:`render_markdown_math` replaces ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` in a
Markdown text with their Unicode rendering, leaving code spans and fenced code alone. Render
content placeholders (``tutor.content.render``) first, then the math.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["display_lines", "latex_to_unicode", "render_markdown_math"]

# --------------------------------------------------------------------------- tables

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
LETTERLIKE = {"partial": "∂", "nabla": "∇", "infty": "∞", "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ",
              "aleph": "ℵ", "emptyset": "∅", "varnothing": "∅", "prime": "′", "dagger": "†", "degree": "°",
              "sum": "Σ", "prod": "Π", "int": "∫", "oint": "∮", "iint": "∬", "coprod": "∐",
              "bigcup": "⋃", "bigcap": "⋂", "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬",
              "cdots": "⋯", "ldots": "…", "dots": "…", "dotsc": "…", "dotsb": "⋯", "vdots": "⋮", "ddots": "⋱",
              "top": "⊤", "bot": "⊥", "angle": "∠", "triangle": "△", "square": "□", "checkmark": "✓",
              "star": "⋆", "ast": "∗", "bullet": "•", "circ": "∘", "surd": "√", "backslash": "\\",
              "langle": "⟨", "rangle": "⟩", "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|",
              "vert": "|", "Vert": "‖", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
              "lbrace": "{", "rbrace": "}", "lbrack": "[", "rbrack": "]", "uparrow": "↑", "downarrow": "↓",
              "quad": "\x1d", "qquad": "\x1d", "colon": ":", "cdotp": "·", "ldotp": "."}
BINOPS = {"cdot": "·", "times": "×", "div": "÷", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "ominus": "⊖",
          "pm": "±", "mp": "∓", "setminus": "∖", "cup": "∪", "cap": "∩", "wedge": "∧", "vee": "∨",
          "land": "∧", "lor": "∨", "bmod": "mod", "ast": "∗"}
RELATIONS = {"le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼",
             "simeq": "≃", "equiv": "≡", "cong": "≅", "propto": "∝", "to": "→", "rightarrow": "→",
             "longrightarrow": "⟶", "leftarrow": "←", "longleftarrow": "⟵", "gets": "←",
             "Rightarrow": "⇒", "Longrightarrow": "⟹", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
             "leftrightarrow": "↔", "iff": "⇔", "implies": "⟹", "mapsto": "↦", "in": "∈", "notin": "∉",
             "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "mid": "|",
             "parallel": "‖", "ll": "≪", "gg": "≫", "coloneqq": "≔", "triangleq": "≜", "doteq": "≐",
             "perp": "⊥", "leadsto": "⇝", "lesssim": "≲", "gtrsim": "≳", "prec": "≺", "succ": "≻"}
FUNCTIONS = {"log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh",
             "coth", "arcsin", "arccos", "arctan", "max", "min", "sup", "inf", "arg", "argmax", "argmin",
             "lim", "limsup", "liminf", "det", "dim", "ker", "Pr", "gcd", "deg", "hom", "softmax", "sgn",
             "sign", "diag", "tr", "trace", "rank", "Var", "Cov", "KL", "ReLU", "relu", "sigmoid", "mod"}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
           "overline": "\u0305", "vec": "\u20d7", "overrightarrow": "\u20d7", "dot": "\u0307",
           "ddot": "\u0308", "check": "\u030c", "breve": "\u0306", "acute": "\u0301", "grave": "\u0300",
           "underline": "\u0332", "mathring": "\u030a"}
FONTS = {"mathbf", "boldsymbol", "bm", "mathit", "mathrm", "mathsf", "mathtt", "mathnormal", "pmb",
         "mathfrak", "displaystyle", "textstyle", "scriptstyle"}
TEXTS = {"text", "textrm", "textbf", "textit", "textsf", "texttt", "textnormal", "mbox", "hbox", "emph",
         "textup", "mathrm*"}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
           "Biggl", "Biggr", "middle", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle",
           "limits", "nolimits", "nonumber", "notag", "mathstrut", "strut", "hfill", "centering",
           "allowbreak", "nobreak", "relax", "normalsize", "small", "large", "Large"}
DROP_ARG = {"label", "tag", "vspace", "phantom", "hphantom", "vphantom", "color", "textcolor*", "ref", "eqref"}
SPACES = {",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "!": ""}
ESCAPED = {"{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "|": "‖"}

SUP = dict(zip("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾"))
SUP.update(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
SUP.update(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ"))
SUP.update({"α": "ᵅ", "β": "ᵝ", "γ": "ᵞ", "δ": "ᵟ", "ε": "ᵋ", "θ": "ᶿ", "φ": "ᵠ", "χ": "ᵡ", "⊤": "ᵀ",
            "′": "′", "'": "′", "*": "*", "∗": "*"})
SUB = dict(zip("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"))
SUB.update(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
SUB.update({"β": "ᵦ", "γ": "ᵧ", "ρ": "ᵨ", "φ": "ᵩ", "χ": "ᵪ"})
SCRIPT_CHARS = set(SUP.values()) | set(SUB.values())

CAL = {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"}
BB = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "H": "ℍ", "E": "𝔼", "1": "𝟙"}
VULGAR = {("1", "2"): "½", ("1", "3"): "⅓", ("2", "3"): "⅔", ("1", "4"): "¼", ("3", "4"): "¾",
          ("1", "5"): "⅕", ("1", "8"): "⅛"}

CELL, ROW = "\x1f", "\x1e"   # & and \\ while parsing; resolved by the environment (or at the top)
MATRIX_ENVS = {"matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"),
               "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "smallmatrix": ("", ""), "array": ("", ""),
               "tabular": ("", "")}

_NOT_WORDS = {"quad", "qquad", "end", "colon", "ldots", "cdots", "dots", "vdots", "ddots", "right", "rangle",
              "rVert", "rvert", "rfloor", "rceil", "rbrace", "rbrack"}
_TOKEN_RE = re.compile(r"\\([A-Za-z]+)|\\(.)|(\s+)|(.)", re.S)


class _Bad(Exception):
    """Malformed input: the caller returns the text unchanged."""


# --------------------------------------------------------------------------- helpers


def _is_word(s: str) -> bool:
    return bool(s) and all(c.isalnum() and c not in SCRIPT_CHARS for c in s)


def _script(arg: str, sup: bool, tight_after: bool) -> str:
    arg = arg.strip()
    if not arg:
        return ""
    table = SUP if sup else SUB
    mark = "^" if sup else "_"
    long_word = len(arg) >= 3 and arg.isalpha()
    if not long_word and all(c in table for c in arg):
        return "".join(table[c] for c in arg)
    if len(arg) == 1:
        return mark + arg + (" " if tight_after else "")     # Σⱼ₌₁^q θⱼ, not Σⱼ₌₁^qθⱼ
    if _is_word(arg) and not tight_after:
        return mark + arg
    if _wrapped(arg):
        return mark + arg
    return f"{mark}({arg})"


def _wrapped(s: str) -> bool:
    """``(…)`` or ``[…]`` around the whole string."""
    pairs = {"(": ")", "[": "]"}
    if len(s) < 2 or s[0] not in pairs or s[-1] != pairs[s[0]]:
        return False
    depth = 0
    for i, c in enumerate(s):
        if c in "([{⟨":
            depth += 1
        elif c in ")]}⟩":
            depth -= 1
            if depth == 0 and i != len(s) - 1:
                return False
    return depth == 0


_OPEN, _CLOSE = "([{⟨", ")]}⟩"


def _match_bracket(s: str, i: int) -> int:
    """Index after the bracket group opening at ``s[i]`` (or -1)."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] in _OPEN:
            depth += 1
        elif s[j] in _CLOSE:
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _is_factor(s: str) -> bool:
    """One factor: ``2``, ``0.5``, ``dₖ``, ``√n``, ``∂W``, ``(a + b)²``, ``d_model``, ``x̄``."""
    s = s.strip()
    if not s:
        return True
    i = 0
    while i < len(s) and s[i] in "√∂∇":
        i += 1
    if i >= len(s):
        return i > 0
    m = re.compile(r"\d+(?:\.\d+)?").match(s, i)
    called = False                         # letters may be applied once: Q(i), σ(x)
    if m:
        i = m.end()
    elif s[i].isalpha() and s[i] not in SCRIPT_CHARS:
        while i < len(s) and s[i].isalpha() and s[i] not in SCRIPT_CHARS:
            i += 1
        called = True
    elif s[i] in _OPEN or s[i] in "|‖":
        if s[i] in "|‖":
            j = s.find(s[i], i + 1)
            i = j + 1 if j > 0 else -1
        else:
            i = _match_bracket(s, i)
        if i < 0:
            return False
    else:
        return False
    while i < len(s):                      # suffixes: scripts, accents, primes, _x, ^(...)
        c = s[i]
        if c in SCRIPT_CHARS or unicodedata.combining(c) or c in "′'":
            i += 1
        elif c == "(" and called:
            i = _match_bracket(s, i)
            called = False
            if i < 0:
                return False
        elif c in "_^" and i + 1 < len(s):
            if s[i + 1] == "(":
                j = _match_bracket(s, i + 1)
                if j < 0:
                    return False
                i = j
            else:
                i += 1
                while i < len(s) and (s[i].isalnum() and s[i] not in SCRIPT_CHARS):
                    i += 1
        else:
            return False
    return True


def _top_level_has(s: str, chars: str) -> bool:
    depth = 0
    for k, c in enumerate(s):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
        elif depth == 0 and c in chars and not (k == 0 and c in "−-+"):
            return True
    return False


def _frac(num: str, den: str) -> str:
    num, den = num.strip(), den.strip()
    if (num, den) in VULGAR:
        return VULGAR[(num, den)]
    if _top_level_has(num, " +−-=<>≤≥≠≈±∓,/;→"):
        num = f"({num})"
    if not _is_factor(den) or _is_product(den):
        den = f"({den})"
    return f"{num}/{den}"


_FUNCS = ("sin", "cos", "tan", "tanh", "log", "ln", "exp", "sqrt", "σ", "softmax", "max", "min", "P", "p", "Q")


def _is_product(den: str) -> bool:
    """``p(1 − p)`` is a product, not a call: in a denominator it needs parentheses."""
    m = re.match(r"^([^\W\d_]+)\(", den)
    if not m or not den.endswith(")"):
        return False
    name = m.group(1)
    inner = den[len(name) + 1:-1]
    # a known function of one argument is a factor: σ(x), log(n); anything else with an
    # operator inside, or a single-letter name before a sum, is a product
    return name not in _FUNCS[:-3] and (len(name) == 1 and _top_level_has(inner, " +−-"))


# --------------------------------------------------------------------------- the parser


class _Parser:
    def __init__(self, s: str):
        self.toks: list[tuple[str, str]] = []
        for m in _TOKEN_RE.finditer(s):
            if m.group(1) is not None:
                self.toks.append(("cmd", m.group(1)))
            elif m.group(2) is not None:
                self.toks.append(("sym", m.group(2)))
            elif m.group(3) is not None:
                self.toks.append(("sp", " "))
            else:
                self.toks.append(("ch", m.group(4)))
        self.i = 0

    # -- token access
    def peek(self, skip_space: bool = False) -> tuple[str, str] | None:
        j = self.i
        while skip_space and j < len(self.toks) and self.toks[j][0] == "sp":
            j += 1
        return self.toks[j] if j < len(self.toks) else None

    def next(self) -> tuple[str, str]:
        if self.i >= len(self.toks):
            raise _Bad("unexpected end")
        t = self.toks[self.i]
        self.i += 1
        return t

    def skip_spaces(self) -> None:
        while self.i < len(self.toks) and self.toks[self.i][0] == "sp":
            self.i += 1

    def _next_is_alnum(self, skip_space: bool = False) -> bool:
        """The next token starts a letter, digit or symbol that would run into a script."""
        t = self.peek(skip_space)
        if t is None:
            return False
        if t[0] == "ch":
            return t[1].isalnum()
        return t[0] == "cmd" and t[1] not in RELATIONS and t[1] not in BINOPS and t[1] not in IGNORED and \
            t[1] not in _NOT_WORDS

    # -- structure
    def parse(self, stop: str | None = None, env: str | None = None) -> str:
        """Convert tokens until ``stop`` (a closing ``}`` or ``]``) or ``\\end{env}``."""
        out: list[str] = []
        while True:
            if self.i >= len(self.toks):
                if stop is not None or env is not None:
                    raise _Bad("unclosed group")
                return "".join(out)
            kind, v = self.next()
            if kind == "ch":
                if stop is not None and v == stop:
                    return "".join(out)
                if v == "{":
                    out.append(self.parse("}"))
                elif v == "}":
                    raise _Bad("unbalanced }")
                elif v in "^_":
                    arg = self.arg()
                    out.append(_script(arg, v == "^", self._next_is_alnum()))
                elif v == "&":
                    out.append(CELL)
                elif v == "-":
                    out.append("−")
                elif v == "~":
                    out.append(" ")
                else:
                    out.append(v)
            elif kind == "sp":
                if not out or not out[-1].endswith(" "):
                    out.append(" ")
            elif kind == "sym":
                if v == "\\":
                    self.opt()                      # \\[2pt]
                    out.append(ROW)
                elif v in SPACES:
                    out.append(SPACES[v])
                else:
                    out.append(ESCAPED.get(v, v))
            else:
                if v == "end":
                    name = self.raw_group()
                    if env is None or name != env:
                        raise _Bad(f"\\end{{{name}}} without its \\begin")
                    return "".join(out)
                self.command(v, out)

    def arg(self) -> str:
        """One argument: a {group}, a command, or one character."""
        self.skip_spaces()
        kind, v = self.next()
        if kind == "ch":
            if v == "{":
                return self.parse("}")
            if v in "}^_&":
                raise _Bad("missing argument")
            return "−" if v == "-" else v
        if kind == "sym":
            return ESCAPED.get(v, SPACES.get(v, v))
        out: list[str] = []
        self.command(v, out, as_arg=True)
        return "".join(out)

    def opt(self) -> str | None:
        t = self.peek(skip_space=True)
        if t == ("ch", "["):
            self.skip_spaces()
            self.next()
            return self.parse("]")
        return None

    def raw_group(self) -> str:
        """The literal text of a {group} (for \\text, \\begin names)."""
        self.skip_spaces()
        kind, v = self.next()
        if (kind, v) != ("ch", "{"):
            if kind == "ch" and v not in "}":
                return v
            raise _Bad("expected {")
        depth, out = 1, []
        while True:
            kind, v = self.next()
            if kind == "ch" and v == "{":
                depth += 1
            elif kind == "ch" and v == "}":
                depth -= 1
                if depth == 0:
                    return "".join(out)
            if kind == "cmd":
                out.append(GREEK.get(v, LETTERLIKE.get(v, v)))
            elif kind == "sym":
                out.append(ESCAPED.get(v, SPACES.get(v, v)) if v != "\\" else " ")
            elif not (kind == "ch" and v in "{}"):
                out.append(v)

    # -- commands
    def command(self, name: str, out: list[str], as_arg: bool = False) -> None:
        if name in GREEK or name in ("partial", "nabla"):
            out.append(GREEK.get(name) or LETTERLIKE[name])
            t = self.peek()
            if t and t[0] == "sp" and not as_arg:     # x_\theta J keeps its space
                n = self.peek(skip_space=True)
                if n and ((n[0] == "ch" and (n[1].isalnum() or n[1] == "(")) or (
                        n[0] == "cmd" and n[1] not in RELATIONS and n[1] not in BINOPS and n[1] not in IGNORED)):
                    self.skip_spaces()           # \partial L → ∂L, \alpha x → αx, \partial \text{Loss} → ∂Loss
            return
        if name in RELATIONS:
            if out and not out[-1].endswith((" ", "(", "[", "{", "\n")):
                out.append(" ")
            out.append(RELATIONS[name])
            self.skip_spaces()
            if self.peek() is not None and self.peek() != ("ch", "}"):
                out.append(" ")
            return
        if name in BINOPS:
            spaced = bool(out) and out[-1].endswith(" ")
            out.append(BINOPS[name] if name != "bmod" else ("mod" if spaced else " mod"))
            self.skip_spaces()
            if spaced or name == "bmod":
                out.append(" ")
            return
        if name in LETTERLIKE:
            out.append(LETTERLIKE[name])
            return
        if name in FUNCTIONS:
            out.append(name)
            self._function_space(out)
            return
        if name == "operatorname":
            if self.peek() == ("ch", "*"):
                self.next()
            out.append(self.raw_group())
            self._function_space(out)
            return
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            num = self.arg()
            den = self.arg()
            frac = _frac(num, den)
            nxt = self.peek()
            # 1/n followed by Σ or a letter multiplies the whole fraction: (1/n)Σ, not 1/nΣ
            if "/" in frac and nxt is not None and (
                    (nxt[0] == "ch" and (nxt[1].isalnum() or nxt[1] in "(√Σ")) or
                    (nxt[0] == "cmd" and nxt[1] in ("sum", "prod", "int", "sqrt", "log", "ln", "exp", "frac",
                                                    "left", "sigma", "theta", "mathbf", "hat", "bar"))):
                frac = f"({frac})"
            out.append(frac)
            return
        if name in ("binom", "dbinom", "tbinom", "choose"):
            n, k = self.arg(), self.arg()
            out.append(f"C({n.strip()}, {k.strip()})")
            return
        if name == "sqrt":
            index = self.opt()
            body = self.arg().strip()
            root = "√" + body if _is_factor(body) else f"√({body})"
            if index:
                index = index.strip()
                root = ("".join(SUP[c] for c in index) if all(c in SUP for c in index) else f"({index})") + root
            out.append(root)
            return
        if name in ACCENTS:
            body = self.arg()
            mark = ACCENTS[name]
            out.append("".join(c + mark if c.isalnum() and c not in SCRIPT_CHARS else c for c in body))
            return
        if name in ("mathcal", "mathscr"):
            out.append("".join(CAL.get(c, c) for c in self.arg()))
            return
        if name == "mathbb":
            out.append("".join(BB.get(c, c) for c in self.arg()))
            return
        if name in TEXTS or name in ("textcolor",):
            if name == "textcolor":
                self.raw_group()
            out.append(self.raw_group())
            return
        if name in FONTS:
            if name in ("displaystyle", "textstyle", "scriptstyle"):
                return
            out.append(self.arg())
            return
        if name in IGNORED:
            if name in ("left", "right", "middle") or name.startswith(("big", "Big")):
                t = self.peek(skip_space=True)
                if t == ("ch", "."):
                    self.skip_spaces()
                    self.next()
            return
        if name in DROP_ARG or name == "textcolor":
            self.raw_group()
            return
        if name in ("hspace", "hskip", "kern"):
            self.raw_group()
            out.append(" ")
            return
        if name in ("overset", "stackrel", "underset"):
            top, base = self.arg(), self.arg()
            out.append(base + _script(top, name != "underset", self._next_is_alnum()))
            return
        if name in ("overbrace", "underbrace"):
            out.append(self.arg())
            return
        if name in ("xrightarrow", "xleftarrow"):
            self.opt()
            label = self.arg().strip()
            arrow = "→" if name == "xrightarrow" else "←"
            out.append(f" {arrow}({label}) " if label else f" {arrow} ")
            return
        if name == "pmod":
            out.append(f" (mod {self.arg().strip()})")
            return
        if name == "not":
            nxt = self.arg()
            out.append({"=": "≠", "∈": "∉", "⊂": "⊄", "≡": "≢", "|": "∤"}.get(nxt.strip(), nxt + "\u0338"))
            return
        if name == "substack":
            out.append(self.arg().replace(ROW, ", "))
            return
        if name == "begin":
            out.append(self.environment(self.raw_group()))
            return
        if name == "end":  # pragma: no cover - handled in parse()
            raise _Bad("stray \\end")
        # unknown command: keep its name as a word (\softmax → softmax)
        out.append(name)
        self._function_space(out)

    def _function_space(self, out: list[str]) -> None:
        """``\\log x`` → ``log x`` (LaTeX eats the space after a command name; keep one)."""
        t = self.peek()
        n = self.peek(skip_space=True)
        if n is None:
            return
        if n[0] == "ch" and (n[1].isalnum()) or (n[0] == "cmd" and n[1] not in IGNORED and n[1] not in RELATIONS
                                                 and n[1] not in BINOPS):
            if t is not None and t[0] == "sp":
                self.skip_spaces()
            out.append(" ")

    def environment(self, name: str) -> str:
        base = name.rstrip("*")
        if base in ("array", "tabular"):
            self.raw_group()                                   # column spec {c|c}
        body = self.parse(env=name)
        rows = [r for r in body.split(ROW)]
        while rows and not rows[-1].replace(CELL, "").strip():
            rows.pop()
        cells = [[c.strip() for c in r.split(CELL)] for r in rows]
        if base in MATRIX_ENVS:
            left, right = MATRIX_ENVS[base]
            return left + "; ".join(", ".join(c for c in row) for row in cells) + right
        if base in ("cases", "dcases", "rcases"):
            return "{ " + "; ".join(", ".join(c for c in row if c) for row in cells) + " }"
        # aligned, align, gathered, split, eqnarray, equation …: & is an alignment point
        return "\n".join(" ".join(" ".join(row).split()) for row in cells)


# --------------------------------------------------------------------------- public


def _balanced(s: str) -> bool:
    depth = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


def latex_to_unicode(s: str) -> str:
    """Readable Unicode for a LaTeX formula; the input unchanged when it is malformed."""
    if not isinstance(s, str):
        return s
    if not s.strip() or not _balanced(s):
        return s
    try:
        out = _Parser(s).parse()
    except (_Bad, IndexError, KeyError, ValueError, RecursionError):
        return s
    out = out.replace(CELL, " ").replace(ROW, "\n")
    lines = [_tidy(re.sub(r"[ \t]+", " ", ln)).strip(" ") for ln in out.split("\n")]
    lines = [re.sub(r" ?\x1d+ ?", "  ", ln).strip() for ln in lines]
    return unicodedata.normalize("NFC", "\n".join(ln for ln in lines if ln))


def _tidy(s: str) -> str:
    s = re.sub(r"([(\[])\s+", r"\1", s)
    s = re.sub(r"\s+([)\]])", r"\1", s)
    s = re.sub(r"\s+([,;])", r"\1", s)
    return s


# --------------------------------------------------------------------------- markdown

_FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_MD_ESCAPE = str.maketrans({c: "\\" + c for c in "\\`*_[]<"})


def _convert(tex: str, display: bool, escape: bool) -> str:
    out = latex_to_unicode(tex.strip())
    if out == tex.strip() and not _balanced(tex):
        return None  # malformed: keep the original span
    if escape:
        out = out.translate(_MD_ESCAPE)
    lines = out.split("\n")
    if len(lines) > 1:
        return "  \n".join(lines) if display else "; ".join(lines)
    return out


DISPLAY_INDENT = "  "
_DISPLAY_LINE_RE = re.compile(r"^([ ]*)\$\$(.+?)\$\$[ \t]*$")


def display_lines(md: str) -> list[str]:
    """The rendered display equations of ``md`` (``$$…$$`` on lines of their own), in order."""
    out: list[str] = []
    in_fence = None
    for line in md.split("\n"):
        f = _FENCE_RE.match(line)
        if f and (in_fence is None or line.strip().startswith(in_fence)):
            in_fence = None if in_fence else f.group(1)
            continue
        m = None if in_fence else _DISPLAY_LINE_RE.match(line)
        if m and m.group(2).strip():
            out.extend(ln for ln in latex_to_unicode(m.group(2).strip()).split("\n") if ln.strip())
    return out


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _align_labels(eqs: list[str]) -> list[str]:
    """``f = …  망각 게이트`` (a ``\\quad`` before the name): the names start in one column."""
    parts = [eq.rsplit("  ", 1) if "  " in eq else [eq] for eq in eqs]
    width = max((_width(p[0]) for p in parts if len(p) == 2), default=0)
    return [p[0] + " " * (width - _width(p[0]) + 3) + p[1] if len(p) == 2 else p[0] for p in parts]


def _display_fences(md: str) -> str:
    """Runs of ``$$…$$`` lines → one fenced block of rendered equations, one per line."""
    lines = md.split("\n")
    out: list[str] = []
    in_fence = None
    i = 0
    while i < len(lines):
        line = lines[i]
        f = _FENCE_RE.match(line)
        if f and (in_fence is None or line.strip().startswith(in_fence)):
            in_fence = None if in_fence else f.group(1)
            out.append(line)
            i += 1
            continue
        m = None if in_fence else _DISPLAY_LINE_RE.match(line)
        if not m or not m.group(2).strip() or not _balanced(m.group(2)):
            out.append(line)
            i += 1
            continue
        indent = m.group(1)
        eqs: list[str] = []
        while i < len(lines):
            m = _DISPLAY_LINE_RE.match(lines[i])
            if not m or not m.group(2).strip() or not _balanced(m.group(2)):
                break
            eqs.extend(ln for ln in latex_to_unicode(m.group(2).strip()).split("\n") if ln.strip())
            i += 1
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}```text")
        out.extend(f"{indent}{DISPLAY_INDENT}{eq}" for eq in _align_labels(eqs))
        out.append(f"{indent}```")
        if i < len(lines) and lines[i].strip():
            out.append("")
    return "\n".join(out)


def render_markdown_math(md: str, *, escape: bool = False, display_blocks: bool = False) -> str:
    """Replace ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` with Unicode, outside code.

    Inline ``$`` follows Pandoc's rule (no space just inside the dollars, no digit right after
    the closing one), so prices such as "$5 and $6" stay as they are. ``escape=True``
    backslash-escapes Markdown characters (``* _ [ ] ` < \\``) in the converted math.

    ``display_blocks=True`` (lesson cards, the formula sheet): a ``$$…$$`` block standing on
    its own line(s) becomes a display — consecutive display lines one fenced ``text`` block,
    one equation per line, indented, so Markdown neither joins them into a paragraph nor
    wraps an equation mid-expression (a fence keeps its lines whole).
    """
    if not isinstance(md, str) or not any(c in md for c in "$\\"):
        return md
    if display_blocks:
        md = _display_fences(md)
    out: list[str] = []
    i, n = 0, len(md)
    at_line_start = True
    while i < n:
        c = md[i]
        if at_line_start:
            m = _FENCE_RE.match(md, i)
            if m:
                fence = m.group(1)
                end = md.find("\n", i)
                j = end + 1 if end >= 0 else n
                while j < n:                                   # find the closing fence line
                    k = md.find("\n", j)
                    line_end = k if k >= 0 else n
                    line = md[j:line_end].strip()
                    if line.startswith(fence[0] * len(fence)) and set(line) <= {fence[0]}:
                        j = line_end
                        break
                    j = line_end + 1
                out.append(md[i:j])
                i = j
                at_line_start = False
                continue
        if c == "\n":
            out.append(c)
            i += 1
            at_line_start = True
            continue
        at_line_start = False
        if c == "`":
            run = len(md) - len(md[i:].lstrip("`"))
            ticks = md[i:run]
            j = run
            while True:
                k = md.find(ticks, j)
                if k < 0:
                    break
                if (k + len(ticks) < n and md[k + len(ticks)] == "`") or md[k - 1] == "`":
                    j = k + len(ticks)
                    while j < n and md[j] == "`":
                        j += 1
                    continue
                break
            if k < 0:
                out.append(ticks)
                i = run
            else:
                out.append(md[i:k + len(ticks)])
                i = k + len(ticks)
            continue
        if c == "\\" and i + 1 < n:
            nxt = md[i + 1]
            if nxt in "[(":
                close = "\\]" if nxt == "[" else "\\)"
                k = md.find(close, i + 2)
                if k >= 0:
                    conv = _convert(md[i + 2:k], nxt == "[", escape)
                    if conv is not None:
                        out.append(conv)
                        i = k + 2
                        continue
            out.append(md[i:i + 2])
            i += 2
            continue
        if c == "$":
            if md.startswith("$$", i):
                k = i + 2
                while True:
                    k = md.find("$$", k)
                    if k < 0 or md[k - 1] != "\\":
                        break
                    k += 2
                if k >= 0 and md[i + 2:k].strip():
                    conv = _convert(md[i + 2:k], True, escape)
                    if conv is not None:
                        out.append(conv)
                        i = k + 2
                        continue
                out.append("$$")
                i += 2
                continue
            if i + 1 < n and not md[i + 1].isspace():
                k = i + 1
                found = -1
                while True:
                    k = md.find("$", k)
                    if k < 0:
                        break
                    if md[k - 1] == "\\":
                        k += 1
                        continue
                    if md[k - 1].isspace() or (k + 1 < n and md[k + 1].isdigit()):
                        k += 1
                        continue
                    found = k
                    break
                if found > i + 1 and "\n\n" not in md[i + 1:found]:
                    conv = _convert(md[i + 1:found], False, escape)
                    if conv is not None:
                        out.append(conv)
                        i = found + 1
                        continue
            out.append("$")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)
