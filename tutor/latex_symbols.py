"""The LaTeX names :mod:`tutor.latex` knows: Greek letters, operators, relations, accents, fonts,
sub/superscript characters and environments."""

from __future__ import annotations

import re

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
