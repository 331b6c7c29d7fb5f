from __future__ import annotations

import re
import shlex
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs import layout
from filmfs.cli import cli
from filmfs.commands.init import GITIGNORE
from filmfs.commands.review import review
from filmfs.export.review.data import Review, build_review
from filmfs.manifests.writer import update
from filmfs.project import Project
from tests.review_film import HOSTILE_NOTE, HOSTILE_PROMPT, make_review_film

ORDER = ["01A", "01B", "01C", "02A", "02B", "02C", "02D", "02E"]


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_review_film(tmp_path_factory.mktemp("review") / "film")


def _review(film: Path) -> Review:
    project = Project.load(film)
    return build_review(project, has_object=lambda sha: layout.object_path(film, sha).is_file())


def test_shots_come_in_film_order_with_takes_in_attempt_order(film: Path) -> None:
    data = _review(film)
    assert [shot.shot_id for shot in data.shots] == ORDER
    first = data.shots[0]
    assert [take.attempt for take in first.takes] == [1, 2]
    assert first.selected is not None and first.selected.attempt == 1
    assert first.scene_heading == "INT. ATTIC WORKSHOP - NIGHT"
    assert all(take.provider == "testcard" and take.seed for take in first.takes)


def test_metrics_count_takes_cost_selection_and_missing_media(film: Path) -> None:
    m = _review(film).metrics
    assert (m.shots, m.takes) == (8, 8)
    assert m.total_cost == 0.0 and m.unpriced_takes == 0
    assert m.shots_without_selection == 2  # 02D unselected, 02E has no takes
    assert m.missing_media == 1  # 02C's video was removed from the store
    assert m.cut_duration > 0


def test_flags_name_what_blocks_the_cut(film: Path) -> None:
    flags = {shot.shot_id: shot.flags for shot in _review(film).shots}
    assert flags["01A"] == ()
    assert flags["02C"] == ("selected media missing",)
    assert flags["02D"] == ("no selected take",)
    assert flags["02E"] == ("no takes",)


def test_select_command_round_trips_notes_and_score(film: Path) -> None:
    take = _review(film).shots[0].takes[1]
    argv = shlex.split(take.select_command)
    assert argv == ["filmfs", "select", "01A", "2", "--note", HOSTILE_NOTE, "--score", "7.5"]
    assert _review(film).shots[0].takes[0].select_command == "filmfs select 01A 1"


def test_omitted_shots_are_left_out(film: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "film"
    shutil.copytree(film, copy, symlinks=True)
    update(layout.shot_file(copy, "01C"), {"status": "omitted"})
    assert "01C" not in [shot.shot_id for shot in _review(copy).shots]


def test_page_escapes_manifest_text(film: Path, tmp_path: Path) -> None:
    page = review(Project.load(film), out=tmp_path / "page.html").page
    html = page.read_text()
    assert html.count("<script>") == 1  # only the page's own script
    assert "<img src=x" not in html and "<b>fix</b>" not in html
    assert escape(HOSTILE_PROMPT, quote=True) in html
    assert escape(HOSTILE_NOTE, quote=True) in html
    assert "http://" not in html and "https://" not in html  # self-contained


def test_page_links_videos_relative_to_the_page(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "er" / "index.html"
    review(Project.load(film), out=out)
    html = out.read_text()
    take = Project.load(film).shots["01A"].takes[0]
    assert take.video is not None
    target = layout.object_path(film, take.video.sha256)
    srcs = re.findall(r'data-src="([^"]+)"', html)
    assert len(srcs) == 7  # eight takes, one missing from the store
    assert any((out.parent / src).resolve() == target.resolve() for src in srcs)
    assert all((out.parent / src).is_file() for src in srcs)
    assert "filmfs pull" in html


def test_cli_writes_the_default_page(film: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "-C", str(film)])
    assert result.exit_code == 0, result.output
    assert "8 shot(s), 8 take(s), total cost $0.00" in result.output
    assert "2 shot(s) without a selected take" in result.output
    assert "filmfs pull" in result.output
    page = film / "review" / "index.html"
    assert page.is_file() and page.stat().st_mode & 0o777 == 0o644
    assert "/review/" in GITIGNORE.splitlines()


def test_cli_copy_media_puts_selected_takes_next_to_the_page(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "share" / "index.html"
    result = CliRunner().invoke(cli, ["review", "-C", str(film), "--out", str(out), "--copy-media"])
    assert result.exit_code == 0, result.output
    copies = sorted(p.name for p in (out.parent / "media").iterdir())
    # selected takes present in the store: not 02C (missing), 02D (unselected), 02E (none)
    assert copies == [f"{s}-take001.mp4" for s in ("01A", "01B", "01C", "02A", "02B")]
    assert 'data-src="media/01A-take001.mp4"' in out.read_text()


def test_cli_refuses_an_invalid_film(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "-C", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a film" in result.output


def test_review_runs_as_a_real_process(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "proc.html"
    done = subprocess.run(
        [sys.executable, "-m", "filmfs", "review", "-C", str(film), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file() and "Paper Boats" in out.read_text()


def test_video_urls_are_percent_encoded(film: Path, tmp_path: Path) -> None:
    from urllib.parse import unquote

    out = tmp_path / "my review #1" / "index.html"
    review(Project.load(film), out=out)
    srcs = re.findall(r'data-src="([^"]+)"', out.read_text())
    assert srcs and all("#" not in src and " " not in src for src in srcs)
    assert all((out.parent / unquote(src)).is_file() for src in srcs)


def test_a_new_film_without_shots_gets_a_page(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "new"), "--title", "Empty"]).exit_code == 0
    result = runner.invoke(cli, ["review", "-C", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert "0 shot(s), 0 take(s)" in result.output
    html = (tmp_path / "new" / "review" / "index.html").read_text()
    assert "This film has no shots yet." in html
    assert "/review/" in (tmp_path / "new" / ".gitignore").read_text().splitlines()
