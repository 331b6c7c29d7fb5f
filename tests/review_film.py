"""A film with real takes for the review tests, made once per test module.

It covers what the page must show: a shot with two takes to compare, a prompt and notes full
of markup, a shot whose take is not selected, a take whose video is not in the store, and a
shot with no takes.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from filmfs import layout
from filmfs.cli import cli
from filmfs.manifests.writer import update
from filmfs.project import Project
from tests.conftest import copy_example

HOSTILE_PROMPT = (
    "a lamp <script>document.title='pwned';window.__pwned=1</script> "
    '<img src=x onerror="window.__pwned=2"> & "quotes"'
)
HOSTILE_NOTE = 'too dark <b>fix</b> it\'s & "bad"'


def make_review_film(target: Path) -> Path:
    copy_example(target)
    runner = CliRunner()
    for args in (["generate", "--missing"], ["generate", "01A"]):
        result = runner.invoke(cli, [*args, "--no-commit", "-C", str(target)])
        assert result.exit_code == 0, result.output
    update(layout.shot_file(target, "01B"), {"prompt": HOSTILE_PROMPT})
    update(
        layout.take_file(target, "01A", 2),
        {"director_notes": HOSTILE_NOTE, "quality_score": 7.5, "status": "rejected"},
    )
    update(layout.take_file(target, "02D", 1), {"selected": False})
    missing = Project.load(target).shots["02C"].takes[0].video
    assert missing is not None
    layout.object_path(target, missing.sha256).unlink()
    empty = layout.shot_dir(target, "02E")
    empty.mkdir()
    text = layout.shot_file(target, "02D").read_text().replace("02D", "02E")
    layout.shot_file(target, "02E").write_text(text)
    Project.load(target).require_valid()
    return target
