"""filmfs: a film kept as code."""
