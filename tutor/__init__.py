"""A terminal tutor for machine learning and deep learning."""

__version__ = "0.1.0"
