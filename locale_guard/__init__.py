"""locale-guard: localization and cultural-appropriateness checks for assistant content."""

__version__ = "0.1.0"
