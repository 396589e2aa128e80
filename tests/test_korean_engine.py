"""Korean first (issue #22): particles attached to their word in every Korean text the engine writes.

The engine's Korean is generated: prompts, worked solutions, hints and field labels of every
exercise variant, the mistakes' diagnoses, the algorithms' titles, the answer parser's messages.
:func:`detached` is the rule, the tests below run it over

* every text the generators produce for a few seeds and every value of each parameter, and
* every Korean string literal in ``engine/`` (read from the source, so that a branch no seed
  reaches is checked too; a ``{placeholder}`` counts as a word, since it is filled with a number
  or a math name).

The rule. Korean writes a particle against the word before it — a Hangul word, an English term, a
number, a math name or symbol, a closing parenthesis or quote (한글 맞춤법 제41항): ``연쇄 법칙(chain
rule)은``, ``softmax가``, ``−1과 1``, ``d_k로``, ``'*'로``. Reported: one or more spaces after such a
character, then a particle as a separate token (followed by a space, punctuation or the end):
은 는 이 가 을 를 과 와 로 으로 의 에 에서 도 만, the same particles combined (에는, 으로는, 와의, 에서도 …)
and the copula written against a number or formula (이다, 입니다, 이고, 이며, 이므로, 이면, 인, 일 때 ...).

Exceptions, each because the syllable is then a word of its own:

* ``이`` after a Hangul word and followed by a space: the determiner "this" (``따라서 이 값은``).
* Anything after a sentence end or other punctuation that is not a closer (``. 이 식``, ``: 가중치``,
  ``, 이``): the character before the space must be a letter, digit, mark, math symbol or a closer
  ``) ] } ' " ’ ” ` $ % ‖ |``.
* Syllables that only start a longer word (``가중치``, ``이전``, ``도함수``, ``만큼``, ``로그``): the token
  must end at a space, punctuation or the end of the text.
* ``일`` and ``인`` only after a digit or a Latin/Greek letter (``1 일 때`` is the copula; ``한 일``
  and ``두 사람 인`` are not checked), and ``일`` only before ``때``.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pytest

from engine.registry import algorithms, generators

ENGINE = Path(__file__).resolve().parent.parent / "engine"

_BASE = ("으로", "은", "는", "이", "가", "을", "를", "과", "와", "로", "의", "에서", "에", "도", "만")
_COMBINED = ("에는", "에서는", "에서도", "에도", "에만", "으로는", "으로도", "으로만", "로는", "로도", "로만", "와는",
             "과는", "와의", "과의", "에서의", "으로의", "로의", "까지의", "에게", "와도", "과도", "만으로", "만으로는", "만으로도", "만이", "만을", "만의", "은요", "는요",
             "까지", "부터", "보다", "처럼", "마다", "이나", "나", "이라", "이라고", "라고", "이라는", "라는")
_COPULA = ("이다", "입니다", "이고", "이며", "이므로", "이면", "이지만", "이어야", "여야", "이어서", "이었습니다",
           "입니까", "이라면", "이니", "였습니다", "이지", "인지", "이라서", "이어도", "이기", "이니까", "이죠", "이에요", "예요")
PARTICLES = tuple(sorted({*_BASE, *_COMBINED, *_COPULA}, key=len, reverse=True))
_TOKEN_RE = re.compile(r"(?P<sp> +)(?P<p>[\uac00-\ud7a3]+)(?=[\s.,;:!?()\[\]'\"’”…·]|$)")
_CLOSERS = set(")]}'\"’”`$%‖|*⁾₎")


def _attachable(c: str) -> bool:
    """Can a particle be written against this character? Letters, digits, marks, math symbols, closers."""
    cat = unicodedata.category(c)
    return cat[0] in "LMN" or cat in ("Sm", "Pe", "Pf") or c in _CLOSERS


def detached(text: str) -> list[str]:
    """The detached particles of a Korean text, each shown with the word before it (``'d_k 로'``)."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        s, p = m.start(), m.group("p")
        if s == 0 or not _attachable(text[s - 1]):
            continue
        prev = text[s - 1]
        after = text[m.end():m.end() + 2]
        if p in PARTICLES:
            if p == "이" and "\uac00" <= prev <= "\ud7a3" and after[:1] == " ":
                continue                      # the determiner: 이 값은
            if p in _COPULA and p not in _BASE and "\uac00" <= prev <= "\ud7a3":
                continue                      # after a Korean word it is a verb of its own: 시험을 이어서
        elif p in ("인", "일") and (prev.isdigit() or prev.isascii() and prev.isalpha()
                                   or unicodedata.category(prev) == "Ll" and not prev.isascii()):
            if p == "일" and not text[m.end():].startswith(" 때"):
                continue
        else:
            continue
        word = text[:s].split()[-1] if text[:s].split() else ""
        out.append(f"{word[-16:]}{m.group('sp')}{p}")
    return out


# --------------------------------------------------------------------------- the rule itself

FLAGGED = [
    "연쇄 법칙(chain rule) 은 곱입니다.", "게이트(gate) 가 없으면", "덧셈 으로 더합니다.", "softmax 가 확률을 냅니다.",
    "값은 −1 과 1 사이입니다.", "√2 로 나눕니다", "d_k 는 길이입니다", "곱셈은 * 로 쓰세요", "')' 가 빠졌습니다",
    "θ̂ 를 구합니다", "합은 1 입니다.", "1/λ 이므로", "x = 1 일 때", "y 에서 뺍니다", "h_t 만 씁니다", "p̂ 의 값",
    "Σ 에는", "90% 는", "cos 을 씁니다", "ReLU 인 경우", "이전 상태 h 와의 차이",
]
FINE = [
    "따라서 이 값은 1입니다.", "끝났습니다. 이 식은 틀립니다.", "가중치 α, 키 1", "1, 2, 3 과정", "이전 상태 h와의 차이",
    "도함수: 이 식", "로그 우도", "x 만큼", "세 번째 일은", "값 하나만 골랐습니다", "q·k_j/√d_k와 softmax 가중치",
    "연쇄 법칙(chain rule)은 곱입니다.", "홈 화면에서 시험을 이어서 하세요",
]


@pytest.mark.parametrize("text", FLAGGED)
def test_the_rule_finds_detached_particles(text):
    assert detached(text), text


@pytest.mark.parametrize("text", FINE)
def test_the_rule_leaves_words_that_look_like_particles(text):
    assert detached(text) == [], text


# --------------------------------------------------------------------------- what the engine writes


def _param_sets(gen) -> list[dict]:
    """The defaults, then each parameter at each of its values (one at a time)."""
    out: list[dict] = [{}]
    for key, lim in gen.limits.items():
        if lim.kind == "choice":
            out += [{key: c} for c in lim.choices]
        elif lim.kind == "flag":
            out += [{key: True}, {key: False}]
        elif lim.kind == "int":
            out += [{key: int(lim.lo)}, {key: int(lim.hi)}]
    return out


def _ko(t) -> str | None:
    return t.get("ko") if isinstance(t, dict) else None


def generated_texts() -> dict[str, set[str]]:
    """Every Korean text the generators and algorithms produce: where → texts."""
    texts: dict[str, set[str]] = {}

    def add(where: str, t) -> None:
        s = _ko(t)
        if s:
            texts.setdefault(where, set()).add(s)

    for name, gen in generators().items():
        add(f"{name}.title", gen.title)
        for m in gen.mistakes_catalog:
            add(f"{name}.mistake", m.explain)
        for params in _param_sets(gen):
            for seed in range(3):
                try:
                    v = gen.variant(seed, params)
                except (ValueError, RuntimeError):
                    continue        # a combination the generator does not offer
                add(f"{name}.prompt", v.prompt)
                for f in v.fields:
                    add(f"{name}.label", f.label)
                for h in v.hints:
                    add(f"{name}.hint", h)
                for tb in v.tables:
                    add(f"{name}.table", tb.title)
                    for c in tb.cols:
                        add(f"{name}.table", c)
                for st in gen.solution(v):
                    add(f"{name}.solution", st.text)
    for name, alg in algorithms().items():
        add(f"{name}.title", alg.title)
        for m in alg.mistakes:
            add(f"{name}.mistake", m.explain)
    return texts


def test_generated_korean_has_no_detached_particle():
    texts = generated_texts()
    assert sum(len(v) for v in texts.values()) > 500          # the collection reaches the texts
    hits = sorted({(where, h) for where, ts in texts.items() for t in ts for h in detached(t)})
    assert hits == [], f"{len(hits)} detached particles: {hits[:40]}"


def _literal_texts(tree: ast.AST):
    """String literals of a module but its docstrings; an f-string's fields read as a word (``X``)."""
    parts_of_fstrings = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue                      # for the programmer, not the learner
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "X" for v in node.values]
            yield node.lineno, "".join(str(p) for p in parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts_of_fstrings:
            yield node.lineno, node.value


def source_hits() -> list[str]:
    out = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _literal_texts(tree):
            if not re.search(r"[\uac00-\ud7a3]", text):
                continue
            for h in detached(text):
                out.append(f"{path.relative_to(ENGINE.parent)}:{line}: {h!r}")
    return out


def test_korean_literals_in_the_engine_have_no_detached_particle():
    hits = source_hits()
    assert hits == [], f"{len(hits)} detached particles:\n" + "\n".join(hits[:60])


# --------------------------------------------------------------------------- particles after numbers and names

JOSA = [
    # numbers as Korean reads them: the last digit, or the unit the trailing zeros make
    ("0", "은", "0은"), ("1", "은", "1은"), ("2", "은", "2는"), ("3", "이", "3이"), ("4", "가", "4가"),
    ("5", "를", "5를"), ("6", "을", "6을"), ("7", "로", "7로"), ("8", "으로", "8로"), ("9", "과", "9와"),
    ("10", "는", "10은"), ("20", "를", "20을"), ("100", "가", "100이"), ("1000", "은", "1000은"),
    ("10000", "이", "10000이"), ("300000000", "는", "300000000은"), ("12", "와", "12와"), ("3", "로", "3으로"),
    ("0.5", "은", "0.5는"), ("0.25", "을", "0.25를"), ("1.0", "은", "1.0은"), ("-1.5", "과", "-1.5와"),
    ("−1", "과", "−1과"), ("2.7", "로", "2.7로"), ("1.5e-05", "은", "1.5e-05는"), ("90%", "는", "90%는"),
    # Latin letters by their Korean names; terms by how they are said
    ("A", "는", "A는"), ("B", "가", "B가"), ("L", "은", "L은"), ("M", "를", "M을"), ("N", "이", "N이"),
    ("R", "로", "R로"), ("f", "는", "f는"), ("x", "와", "x와"), ("LSTM", "은", "LSTM은"), ("ReLU", "는", "ReLU는"),
    ("softmax", "가", "softmax가"), ("GRU", "이", "GRU가"), ("RNN", "을", "RNN을"), ("sin", "과", "sin과"),
    ("cos", "을", "cos을"), ("tanh", "를", "tanh를"), ("layer", "은", "layer는"), ("pooling", "이", "pooling이"),
    ("model", "로", "model로"), ("dropout", "은", "dropout은"),
    # Greek letters by their Korean names
    ("θ", "은", "θ는"), ("σ", "이", "σ가"), ("β", "를", "β를"), ("μ", "와", "μ와"), ("λ", "로", "λ로"),
    ("ε", "은", "ε은"), ("α", "을", "α를"),
    # math names: by the subscript, the power, the argument, the numerator
    ("θ_A", "은", "θ_A는"), ("θ_B", "이", "θ_B가"), ("θ_L", "은", "θ_L은"), ("h_t", "를", "h_t를"),
    ("h_{t−1}", "을", "h_{t−1}을"), ("hₜ", "는", "hₜ는"), ("W_hh", "를", "W_hh를"), ("d_model", "로", "d_model로"),
    ("x₁", "은", "x₁은"), ("x²", "은", "x²은"), ("θ̂", "는", "θ̂는"), ("σ(z)", "는", "σ(z)는"), ("PE(0)", "은", "PE(0)은"),
    ("1/λ", "은", "1/λ은"), ("√2", "로", "√2로"), ("√d_k", "로", "√d_k로"), ("[1, 2]", "은", "[1, 2]는"),
    # glosses, quotes, characters named on their own
    ("망각 게이트(forget gate)", "을", "망각 게이트(forget gate)를"), ("연쇄 법칙(chain rule)", "은", "연쇄 법칙(chain rule)은"),
    ("'*'", "로", "'*'로"), ("')'", "가", "')'가"), ("'12a'", "를", "'12a'를"), ("**역전파**", "는", "**역전파**는"),
    # invariant particles are just attached; the unknown keeps both forms
    ("θ_A", "의", "θ_A의"), ("2", "에서", "2에서"), ("…", "는", "…은(는)"),
]


@pytest.mark.parametrize("word,particle,out", JOSA)
def test_josa_reads_numbers_letters_and_math_names(word, particle, out):
    from engine.korean import josa
    from tutor.korean import josa as app_josa

    assert josa(word, particle) == out
    assert app_josa is josa                 # one rule for the engine and the app


def test_josa_takes_any_text_a_learner_types():
    """Messages quote what was typed: josa never fails, it falls back to both forms."""
    import random

    from engine.korean import josa

    rnd = random.Random(7)
    alphabet = "٥५５½²ₜ_{}()[]|'\"‖$%*/.−-eE09azAZθσ한글ㄱ\u0301 \t\n…⁄"
    for _ in range(3000):
        word = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        for p in ("은", "이", "을", "과", "로", "의"):
            assert josa(word, p).startswith(word)
    assert josa("'٥'", "은") == "'٥'은(는)"


def test_every_korean_ui_text_keeps_its_particles_attached():
    """The message templates (tutor.i18n) and the help text: `p 키를 눌러`, `Enter 키로`, never `p 를`."""
    from tutor.i18n import all_strings
    from tutor.screens.help import _INTRO as INTRO

    STRINGS = all_strings()

    texts = {k: v["ko"] for k, v in STRINGS.items() if isinstance(v, dict) and v.get("ko")}
    texts["help intro"] = INTRO["ko"]
    found = {k: d for k, t in texts.items() if (d := detached(t))}
    assert not found, found


def test_every_korean_lesson_text_keeps_particles_and_copula_attached():
    """Content: `$θ̂_B = 0.45$입니다`, `(잔차)이고`, never `… $ 입니다`. One exception: after a closing
    `**`/`*` the space stays, since CommonMark would not close `**굵게)**입니다` (the emphasis would
    show as raw asterisks)."""
    from tutor.content import load_catalog

    def korean(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "ko" and isinstance(v, str):
                    yield v
                else:
                    yield from korean(v)
        elif isinstance(x, list):
            for v in x:
                yield from korean(v)

    found = []
    for topic in load_catalog().topics.values():
        for item in [*topic.cards, *topic.questions]:
            for text in korean(vars(item)):
                found += [f"{item.id}: {d}" for d in detached(text) if not d.split(" ")[0].endswith(("*", "_"))]
    assert not found, found[:20]
