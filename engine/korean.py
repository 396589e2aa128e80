"""Korean particles that depend on the word before them: 은/는, 이/가, 을/를, 과/와, 으로/로.

The engine writes Korean texts with numbers and math names filled in at run time (``√2로``,
``θ_A가``); :func:`josa` picks the particle by how the word ends when read aloud. The app's
:mod:`tutor.korean` is this module (the engine imports nothing from the app).

How a word ends when read (:func:`final`):

* a Hangul syllable: its final consonant;
* a number, as Korean reads it: by its last digit (1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔,
  9 구, 0 영 — also after a decimal point: 0.25 영점이오), or by the unit its trailing zeros make
  (10 십, 100 백, 1000 천, 10000 만, 10⁸ 억, 10¹² 조); 0 is 영; ``%`` is 퍼센트;
* a Latin letter by its Korean name (A 에이, B 비, L 엘, M 엠, N 엔, R 알 …; only L, M, N, R end in a
  consonant); an acronym or a name ending in a capital by its last letter (``LSTM`` 엠, ``ReLU``
  유); a lowercase English word by how it is said (``softmax`` 소프트맥스, ``layer`` 레이어,
  ``pooling`` 풀링, ``model`` 모델, ``sin`` 사인); lowercase letters without a vowel are letter names
  (``lr`` 엘알);
* a Greek letter by its Korean name (θ 세타, σ 시그마, β 베타, μ 뮤, ε 엡실론, λ 람다 …);
* a math name with a subscript by its subscript (``θ_A`` 세타 에이, ``h_{t−1}`` 에이치 티 마이너스 일,
  ``hₜ`` 에이치 티); a power by 제곱 (``x²`` 엑스 제곱); a prime by 프라임; accents are not read
  (``θ̂`` as ``θ``); a fraction ``a/b`` by its numerator (Korean reads it "b 분의 a"), a derivative
  ``∂E/∂net`` in order (델 E 델 넷);
* a parenthesis right after a Korean word is a gloss (``망각 게이트(forget gate)``), one with Korean
  or a range inside an aside (``λ₂ (분산)``, ``tanh(−1~1)``): the word before it counts; otherwise it
  is an argument or a value (``σ(z)``, ``PE(0)``, ``로짓 (1, 2)``): what is inside counts. Quotes,
  brackets and bars (``'x'``, ``[1, 2]``, ``|x|``, ``‖w‖``): what is inside.

When the ending is unknown, :func:`josa` writes both forms, ``은(는)``, as Korean UIs do.
"""

from __future__ import annotations

import re
import unicodedata

PAIRS = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
         "을": ("을", "를"), "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와"),
         "으로": ("으로", "로"), "로": ("으로", "로")}

NONE, GIYEOK, NIEUN, RIEUL, MIEUM, BIEUP, SIOS, IEUNG = 0, 1, 4, 8, 16, 17, 19, 21   # final consonant indices

_DIGIT = {"0": IEUNG, "1": RIEUL, "2": NONE, "3": MIEUM, "4": NONE, "5": NONE, "6": GIYEOK, "7": RIEUL,
          "8": RIEUL, "9": NONE}
# trailing zeros of a whole number -> the unit read last: 십 백 천 만 (10만, 100만, 1000만) 억 … 조 … 경
_UNIT = {1: BIEUP, 2: GIYEOK, 3: NIEUN, 4: NIEUN, 5: NIEUN, 6: NIEUN, 7: NIEUN,
         8: GIYEOK, 9: GIYEOK, 10: GIYEOK, 11: GIYEOK, 12: NONE, 13: NONE, 14: NONE, 15: NONE}
_LETTER = {"l": RIEUL, "m": MIEUM, "n": NIEUN, "r": RIEUL}          # 엘 엠 엔 알; the other names end in a vowel
_GREEK = {"ε": NIEUN, "ϵ": NIEUN, "υ": NIEUN, "ο": NIEUN}           # 엡실론 입실론 오미크론; 알파 … 오메가 end in a vowel
_SYMBOL = {"∞": NONE, "∇": NONE, "∂": NONE, "%": NONE, "′": MIEUM, "″": MIEUM, "°": NONE, "*": NONE, "⊙": NONE}
# 무한대 나블라 라운드 퍼센트 프라임 도 곱하기 원소별 곱
# a character named on its own ('*'로, ')'가, '.'은): 곱하기 괄호 대괄호 중괄호 점 쉼표 더하기 빼기 슬래시 등호
_CHAR_NAME = {"*": NONE, "(": NONE, ")": NONE, "[": NONE, "]": NONE, "{": NONE, "}": NONE, ".": MIEUM,
              ",": NONE, "+": NONE, "-": NONE, "−": NONE, "/": NONE, "=": NONE}
# words read otherwise than their letters say
_WORDS = {"cos": NIEUN, "tan": NONE, "ln": NIEUN, "argmin": NIEUN, "min": NIEUN, "rmsprop": BIEUP, "adam": MIEUM,
          "adagrad": NONE, "nan": NIEUN, "inf": NONE, "net": SIOS, "set": SIOS,
          "or": NONE, "nor": NONE, "xor": NONE, "and": NONE, "nand": NONE}    # 오어 노어 엑스오어 앤드
_SUPERSCRIPT_POWER = set("⁰¹²³⁴⁵⁶⁷⁸⁹")                             # x² 엑스 제곱
_PAIRED = {")": "(", "]": "[", "}": "{", "'": "'", '"': '"', "’": "‘", "”": "“", "|": "|", "‖": "‖", "`": "`",
           "$": "$", "⁾": "⁽", "₎": "₍"}
_TRAILING = " \t.,;:!?~"            # punctuation after the word is not read

# lowercase English words: how their last letters are said (longest ending first)
_WORD_ENDINGS = (("ing", IEUNG), ("ng", IEUNG), ("put", SIOS), ("out", SIOS), ("ll", RIEUL), ("le", RIEUL),
                 ("er", NONE), ("or", NONE), ("ar", NONE), ("ur", NONE), ("ir", NONE), ("lm", MIEUM),
                 ("m", MIEUM), ("n", NIEUN), ("l", RIEUL), ("k", NONE), ("ck", NONE))


def _hangul_final(c: str) -> int | None:
    return (ord(c) - 0xAC00) % 28 if "\uac00" <= c <= "\ud7a3" else None


def _number_final(num: str) -> int | None:
    if not num or num[-1] not in _DIGIT:
        return None
    if "." in num or "e" in num.lower():
        return _DIGIT[num[-1]]
    digits = num.lstrip("0") or "0"
    if digits == "0":
        return IEUNG
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0:
        return _DIGIT[digits[-1]]
    return _UNIT.get(zeros, IEUNG)


def _latin_final(word: str) -> int:
    """``word``: ASCII letters (no digits), the end of a name."""
    if word.lower() in _WORDS:
        return _WORDS[word.lower()]
    last = word[-1]
    if len(word) == 1 or last.isupper() or not re.search(r"[aeiouy]", word.lower()):
        return _LETTER.get(last.lower(), NONE)
    low = word.lower()
    for end, fin in _WORD_ENDINGS:
        if low.endswith(end):
            return fin
    return NONE


def _strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def _inside(w: str, close: str) -> tuple[str, str] | None:
    """``w`` ends with ``close``: (what is before the matching opener, what is inside)."""
    opener = _PAIRED[close]
    if opener == close:
        i = w[:-1].rfind(opener)
        return (w[:i], w[i + 1:-1]) if i >= 0 else None
    depth = 0
    for i in range(len(w) - 1, -1, -1):
        if w[i] == close:
            depth += 1
        elif w[i] == opener:
            depth -= 1
            if depth == 0:
                return w[:i], w[i + 1:-1]
    return None


def final(word: str) -> int | None:
    """The final consonant index (0: none) of how ``word`` ends when read aloud, None if unknown."""
    w = word.rstrip(_TRAILING)
    if re.search(r"[^*_](\*\*|__)$", w):
        w = w[:-2].rstrip(_TRAILING)      # **강조**
    for _ in range(8):                    # closers nest: '(x)' …
        if not w:
            return None
        if len(w) == 1 and w in _CHAR_NAME:
            return _CHAR_NAME[w]
        c = w[-1]
        if c in _PAIRED:
            split = _inside(w, c)
            if split is None:
                w = w[:-1].rstrip(_TRAILING)
                continue
            before, inner = split
            b, inner = before.rstrip(), inner.strip()
            if c == ")" and (before and _hangul_final(before[-1]) is not None      # 망각 게이트(forget gate)
                             or re.search(r"[\uac00-\ud7a3~]", inner)) or not inner:  # λ₂ (분산), tanh(−1~1)
                w = b                     # a gloss or an aside: the word before it is read
            else:
                w = inner                 # an argument σ(z), PE(0), a value (1, 2); '*', [1, 2], |x|
            continue
        break
    else:
        return None
    w = w.rstrip(_TRAILING)
    if not w:
        return None
    c = w[-1]
    if (h := _hangul_final(c)) is not None:
        return h
    # the last token of a formula: after a space or an operator
    token = re.split(r"[\s=+−\-×·*,<>≤≥≈]", w)[-1] or w[-1]
    if "/" in token and not token.endswith("/"):
        num, den = token[:token.rindex("/")], token[token.rindex("/") + 1:]
        if num and not re.search(r"[()\[\]]", den):
            if num[0] in "∂d" and den[0] == num[0] and len(den) > 1:
                return final(den[1:])     # ∂E/∂net: read in order, 델 E 델 넷
            return final(num)             # a/b: b 분의 a
    if unicodedata.numeric(c, None) is not None and "⁄" in unicodedata.normalize("NFKC", c):
        return _number_final(unicodedata.normalize("NFKC", c).split("⁄")[0])   # ½ 2분의 1
    if c in _SUPERSCRIPT_POWER:
        return BIEUP                       # 제곱
    if c in _SYMBOL:
        return _SYMBOL[c]
    token = unicodedata.normalize("NFKC", _strip_marks(token))   # hₜ → ht, θ̂ → θ
    token = token.replace("{", "").replace("}", "")
    if not token:
        return None
    if "_" in token:                      # θ_A, h_t, d_model: by the subscript
        sub = token.rsplit("_", 1)[1]
        if sub:
            return final(sub)
        token = token.rstrip("_")
        if not token:
            return None
    c = token[-1]
    m = re.search(r"[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$", token)
    if m:
        return _number_final(m.group(0))
    if c.isascii() and c.isalpha():
        return _latin_final(re.search(r"[A-Za-z]+$", token).group(0))
    if c in _GREEK:
        return _GREEK[c]
    if unicodedata.category(c) in ("Ll", "Lu") and "GREEK" in unicodedata.name(c, ""):
        return NONE                        # 알파 베타 감마 … 시그마 … 오메가
    if c in _SYMBOL:
        return _SYMBOL[c]
    return None


def josa(word: object, particle: str) -> str:
    """``word`` with ``particle`` in the form its last sound takes: ``josa("빈칸 2", "이")`` is
    ``빈칸 2가``, ``josa("θ_A", "은")`` is ``θ_A는``, ``f"{josa(fmt(x), '로')} 나눕니다"``; particles
    without two forms (의, 에, 도 …) are just attached. ``word`` is any value (``str(word)``)."""
    word = str(word)
    if particle not in PAIRS:
        return word + particle
    with_final, without = PAIRS[particle]
    fin = final(word)
    if fin is None:
        return f"{word}{with_final}({without})"
    if with_final == "으로":
        return word + ("로" if fin in (NONE, RIEUL) else "으로")
    return word + (with_final if fin else without)

