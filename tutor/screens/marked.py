"""A selection list marked with the tutor's own ☑/☐ (the exam setup and the plan's topics).

Apart from :mod:`tutor.screens.base` so that the home screen does not import Textual's
SelectionList (benchmarks: first screen).
"""

from __future__ import annotations

from textual.widgets import OptionList, SelectionList


class MarkedSelectionList(SelectionList):
    """A SelectionList whose rows carry our own ☑/☐ mark only (the screen puts it in each prompt):
    Textual's ▐X▌ box showed an X on every row, chosen or not (the difference was a colour)."""

    def render_line(self, y: int):
        return OptionList.render_line(self, y)
