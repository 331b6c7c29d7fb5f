"""filmfs's version, as pip installed it (tests/test_manifest_cache.py checks they agree)."""

VERSION = "0.1.0"
