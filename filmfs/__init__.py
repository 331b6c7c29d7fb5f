"""filmfs: a film kept as code."""

__version__ = "0.1.0"
