"""Bytecode as an install leaves it, before anything is timed.

pip compiles a package's modules when it installs it, and an editable checkout writes its .pyc
files on the first import, unless PYTHONDONTWRITEBYTECODE is set (as on some CI machines and
sandboxes). There every filmfs process would compile the whole package from source again, a few
hundred milliseconds that no user pays, while the baselines (PyYAML, click) are installed
compiled. Each benchmark calls :func:`compile_package` first.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "filmfs"


def compile_package() -> None:
    compileall.compile_dir(PACKAGE, quiet=1)
