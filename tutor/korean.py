"""Korean particles that depend on the word before them: 은/는, 이/가, 을/를, 과/와, 으로/로.

The rules live in :mod:`engine.korean` (the engine fills numbers and math names into its Korean
texts too, and imports nothing from the app); this module is the app's name for them.
:func:`josa` attaches the right form after a Hangul syllable (by its final consonant), a number
(by how Korean reads it: 1 일, 2 이, 10 십, 100 백 …), a Latin or Greek letter (by its Korean
name: ``L`` 엘, ``θ`` 세타), an English term (``LSTM`` 엠, ``softmax`` 소프트맥스) or a math name
with a subscript (``θ_A`` 세타 에이); after a parenthesis, by the word before it. After anything
else it writes both forms, ``은(는)``, as Korean UIs do.
"""

from __future__ import annotations

from engine.korean import PAIRS, final, josa

__all__ = ["PAIRS", "final", "josa"]
