"""Turn a hostile case's script-free description (tests/hostile/<name>/repo.yaml) into a film.

A case is data: ``repo.yaml`` lists steps, each writing ``files`` (text, or
``{start, repeat, times, end}`` for a long one), ``symlinks``, ``remove``-ing paths,
committing, or crafting a commit whose tree is written literally
(duplicate entries and symlinks included, as an attacker's ``git hash-object --literally``
would). ``{outside}`` is a folder beside the film holding a secret and a victim file,
``{server}`` the local HTTP server's ``http://127.0.0.1:PORT``, ``{film}`` the film.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import copy_example

SECRET = "TOP-SECRET-4242-do-not-leak"
OUTSIDE_FILES = {"secret.txt": SECRET + "\n", "victim.zip": "precious bytes\n"}


def fill(value: Any, places: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, text in places.items():
            value = value.replace("{" + key + "}", text)
        return value
    if isinstance(value, list):
        return [fill(v, places) for v in value]
    if isinstance(value, dict):
        return {fill(k, places): fill(v, places) for k, v in value.items()}
    return value


def make_outside(folder: Path) -> Path:
    folder.mkdir()
    for name, text in OUTSIDE_FILES.items():
        (folder / name).write_text(text)
    (folder / "objs").mkdir()
    return folder


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (not following symlinks) and its bytes or link target."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + str(path.readlink())
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = "dir"
    return found


def git(film: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(film.parent),
    }
    done = subprocess.run(
        ["git", *args], cwd=film, input=stdin, capture_output=True, check=True, env=env
    )
    return done.stdout.decode().strip()


def build(spec: dict[str, Any], film: Path, places: dict[str, str]) -> None:
    spec = fill(spec, places)
    if spec.get("base", "example") == "example":
        copy_example(film, schemas=False)  # as Git tracks it, whatever "Try it" left
    else:
        film.mkdir()
    if spec.get("git", True):
        git(film, "init", "-q", "-b", "main")
        git(film, "add", "-A")
        git(film, "commit", "-q", "-m", "base")
    for step in spec.get("steps", []):
        _step(step, film)


def _step(step: dict[str, Any], film: Path) -> None:
    for rel in step.get("remove", []):
        target = film / rel
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    for rel, text in step.get("files", {}).items():
        if isinstance(text, dict):  # {start, repeat, times, end}: a long generated text
            text = text.get("start", "") + text["repeat"] * text["times"] + text.get("end", "")
        path = film / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    for rel, target in step.get("symlinks", {}).items():
        path = film / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    if "commit" in step:
        git(film, "add", "-A", "--force")
        git(film, "commit", "-q", "--allow-empty", "-m", step["commit"])
    if "crafted" in step:
        crafted = step["crafted"]
        tree = _tree(film, crafted.get("from"), crafted["entries"])
        parent = git(film, "rev-parse", "HEAD")
        sha = git(film, "commit-tree", tree, "-p", parent, "-m", "crafted")
        git(film, "update-ref", f"refs/heads/{crafted['branch']}", sha)


def _tree(film: Path, start: str | None, entries: list[dict[str, Any]]) -> str:
    """A tree object written literally: ``start``'s entries (a revision's root tree) then
    ``entries``, in the given order, duplicates kept."""
    raw = b""
    if start:
        for line in git(film, "ls-tree", start).splitlines():
            meta, name = line.split("\t", 1)
            mode, _kind, sha = meta.split()
            raw += f"{mode} {name}".encode() + b"\0" + bytes.fromhex(sha)
    for entry in entries:
        if "tree" in entry:
            mode, sha = "40000", _tree(film, None, entry["tree"])
        elif "link" in entry:
            mode = "120000"
            sha = git(film, "hash-object", "-w", "--stdin", stdin=entry["link"].encode())
        else:
            mode = "100644"
            sha = git(film, "hash-object", "-w", "--stdin", stdin=entry["text"].encode())
        raw += f"{mode} {entry['name']}".encode() + b"\0" + bytes.fromhex(sha)
    return git(film, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", stdin=raw)
