"""The answer forms' styles: a label beside each cell, the cells, option lists, and how they fold
under 60 columns — shared by the question screens (practice, review, exam), the exam setup and the
settings.

Screen CSS (``CSS``, not ``DEFAULT_CSS``): it ranks with the app's own stylesheet, above the
widgets' defaults (an OptionList's focus border, an Input's width). Not in app.tcss: parsed when
the first such screen is shown, not before the first frame (benchmarks: ~1 % of the first screen).
Not scoped to one screen (``SCOPED_CSS = False`` where it is used): its selectors name their
screens where they are meant for one.
"""

FORM_CSS = """
.field-row {
    height: auto;
}
.field-label {
    width: 24;
    padding: 0 1 0 0;
}
Input.answer {
    width: 28;
    margin: 0 0 1 0;
    border-left: blank;
}
Input.answer.wide {
    width: 1fr;
}
/* focus is unmistakable in every theme (no colour needed): a thick bar beside the focused
   answer cell or option list, its label in reverse, its text bold */
Input.answer:focus {
    border-left: thick $accent;
    background: $accent 25%;
    text-style: bold;
}
.field-row:focus-within .field-label {
    text-style: bold reverse;
}
.field-label.wide {
    width: 1fr;
}
/* each settings label on one line ("Desired retention (0.5–0.99)" broke in two at the answers'
   24 columns); here, not in the settings screen's DEFAULT_CSS: it would lose to .field-label */
SettingsScreen .field-label {
    width: 32;
}
/* a question narrower than 60 columns (40×12): each cell's label on a line of its own, the cell
   under it as wide as the screen, then its mark (the 24-cell label left a cell 15 cells wide,
   its right part off the screen) */
QuestionScreen.-narrow Horizontal.field-row {
    layout: vertical;
    height: auto;
}
QuestionScreen.-narrow Horizontal.field-row > .field-label {
    width: 1fr;
}
QuestionScreen.-narrow Input.answer {
    width: 1fr;
    margin: 0;
}
QuestionScreen.-narrow .field-row > .mark {
    width: 1fr;
    height: auto;
}
SettingsScreen.-narrow .field-row {
    layout: vertical;
}
SettingsScreen.-narrow .field-label {
    width: 1fr;
}
SettingsScreen.-narrow Select {
    width: 1fr;
}
/* an option list is marked on its highlighted row only ("▶", see MarkedList), not by a bar on every
   row (screen CSS, not DEFAULT_CSS: it must win over OptionList's own focus border) */
.choices {
    height: auto;
    max-height: 12;
    border: none;
    padding: 0;
}
.choices > .option-list--option-highlighted {
    text-style: bold reverse;
}
"""
