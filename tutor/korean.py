"""Korean particles that depend on the word before them: 은/는, 이/가, 을/를, 과/와, 으로/로.

:func:`josa` attaches the right form after a Hangul syllable (by its final consonant), a digit
(by how it is read: 1 일, 2 이, 3 삼 …) or a single Latin letter (by its Korean name: ``L`` 엘,
``f`` 에프); after a parenthesis, by the word before it. After anything else it writes both forms, ``은(는)``, as Korean UIs do.
"""

from __future__ import annotations

PAIRS = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
         "을": ("을", "를"), "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와"),
         "으로": ("으로", "로"), "로": ("으로", "로")}
_RIEUL = 8                                  # the final consonant ㄹ (takes 로, not 으로)
_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": 0}
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}   # 엘, 엠, 엔, 알; the other letter names end in a vowel


def _final(word: str) -> int | None:
    """The final consonant index (0: none) of how ``word`` ends when read aloud, None if unknown."""
    w = word.rstrip()
    if w.endswith(")") and "(" in w[:-1]:          # 망각 게이트(forget gate): the word before the parenthesis
        w = w[:w.rindex("(")]
    w = w.rstrip(" )]}'\"’”")
    if not w:
        return None
    c = w[-1]
    if "\uac00" <= c <= "\ud7a3":
        return (ord(c) - 0xAC00) % 28
    if c in _DIGIT_FINAL:
        return _DIGIT_FINAL[c]
    if c.isascii() and c.isalpha() and (len(w) == 1 or not w[-2].isalpha()):
        return _LETTER_FINAL.get(c.lower(), 0)
    return None


def josa(word: str, particle: str) -> str:
    """``word`` with ``particle`` in the form its last sound takes: ``josa("빈칸 2", "이")`` is ``빈칸 2가``."""
    with_final, without = PAIRS[particle]
    final = _final(word)
    if final is None:
        return f"{word}{with_final}({without})"
    if with_final == "으로":
        return word + ("로" if final in (0, _RIEUL) else "으로")
    return word + (with_final if final else without)
