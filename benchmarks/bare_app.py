"""The floor for start-up time: a bare Textual app with a header, a label and a footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("bench ready")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
