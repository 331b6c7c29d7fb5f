from __future__ import annotations

import json
from pathlib import Path

import yaml

from filmfs.manifests.config import load_config
from tests.remotes.film import git, make_film, run


def test_add_list_remove(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    (tmp_path / "store").mkdir()
    result = run("remote", "add", "origin", str(tmp_path / "store"), "--default", "-C", str(root))
    assert result.exit_code == 0, result.output
    result = run("remote", "add", "mirror", "file:///srv/mirror", "-C", str(root))
    assert result.exit_code == 0, result.output
    shared = yaml.safe_load((root / ".filmfs" / "config.yaml").read_text())
    assert shared == {
        "remotes": {
            "origin": {"url": str(tmp_path / "store")},
            "mirror": {"url": "file:///srv/mirror"},
        },
        "default_remote": "origin",
    }
    listed = run("remote", "list", "--json", "-C", str(root))
    assert json.loads(listed.output) == [
        {"name": "origin", "url": str(tmp_path / "store"), "default": True},
        {"name": "mirror", "url": "file:///srv/mirror", "default": False},
    ]
    assert "* origin" in run("remote", "list", "-C", str(root)).output
    again = run("remote", "add", "origin", "/elsewhere", "-C", str(root))
    assert again.exit_code == 1
    assert "already exists" in again.output
    removed = run("remote", "remove", "origin", "-C", str(root))
    assert removed.exit_code == 0, removed.output
    config = load_config(root)
    assert list(config.remotes) == ["mirror"]
    assert config.default_remote is None
    unknown = run("remote", "remove", "nope", "-C", str(root))
    assert unknown.exit_code == 1
    assert "no remote named 'nope' (remotes: mirror)" in unknown.output


def test_relative_path_is_kept_relative_to_the_film(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = make_film(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run("remote", "add", "up", "shared-store", "-C", "film").exit_code == 0
    assert load_config(root).remotes["up"].url == "../shared-store"


def test_local_config_overrides_and_stays_out_of_git(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    assert run("remote", "add", "s3", "s3://bucket/film", "-d", "-C", str(root)).exit_code == 0
    result = run("remote", "modify", "s3", "profile", "work", "--local", "-C", str(root))
    assert result.exit_code == 0, result.output
    result = run("remote", "modify", "s3", "anon", "false", "--local", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert (
        run("remote", "add", "s3", "/mnt/mirror", "--local", "-f", "-C", str(root)).exit_code == 0
    )
    spec = load_config(root).remote(None)
    assert spec.url == "/mnt/mirror"
    assert dict(spec.options) == {"profile": "work", "anon": False}
    shared = (root / ".filmfs" / "config.yaml").read_text()
    assert "profile" not in shared and "s3://bucket/film" in shared
    ignored = git(root, "status", "--porcelain", "--ignored", ".filmfs")
    assert "!! .filmfs/config.local.yaml" in ignored
    assert "?? .filmfs/config.yaml" in ignored


def test_no_remote_configured_says_how_to_add_one(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    result = run("push", "-C", str(root))
    assert result.exit_code == 1
    assert "no remote given and no default remote set" in result.output
    assert "filmfs remote add NAME URL --default" in result.output


def test_missing_fsspec_backend_names_the_package(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    assert run("remote", "add", "gcs", "gs://bucket/film", "-d", "-C", str(root)).exit_code == 0
    result = run("push", "-C", str(root))
    assert result.exit_code == 1
    assert "pip install gcsfs" in result.output


def test_a_remote_without_url_can_be_repaired_or_removed(tmp_path: Path) -> None:
    root = make_film(tmp_path)
    config = root / ".filmfs" / "config.yaml"
    config.parent.mkdir(exist_ok=True)
    for repair in (
        ["remote", "modify", "o", "url", str(tmp_path / "store")],
        ["remote", "add", "o", str(tmp_path / "store"), "--force"],
        ["remote", "remove", "o"],
    ):
        config.write_text("remotes:\n  o: {}\n")
        assert "remote 'o' has no url" in run("remote", "list", "-C", str(root)).output
        result = run(*repair, "-C", str(root))
        assert result.exit_code == 0, result.output
        assert run("remote", "list", "-C", str(root)).exit_code == 0
