"""The tutor's math engine: pure numpy algorithms with step traces and mistake variants.

Importing ``engine`` is cheap: algorithm and generator modules are discovered and imported
only when first asked for (:func:`engine.registry.algorithms`). Never imports torch or textual.
"""

__all__ = ["registry", "core"]
