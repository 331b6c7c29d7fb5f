"""`filmfs providers`: built-ins, configured state, and a broken plugin reported, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from filmfs.cli import cli

MOD = "tests.providers.plugin_samples"


@pytest.fixture
def installed_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real distribution on sys.path declaring one good and one broken plugin."""
    dist = tmp_path / "site" / "filmfs_sample_plugins-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: filmfs-sample-plugins\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        f"[filmfs.providers]\necho = {MOD}:EchoProvider\nexploding = {MOD}:exploding_factory\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


def test_lists_builtins_and_why_they_are_not_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    result = CliRunner().invoke(cli, ["providers"], env={"FAL_KEY": "k"})
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "ready" in lines["testcard"] and "testcard-1" in lines["testcard"]
    assert "not configured: MINIMAX_API_KEY is not set" in lines["minimax"]
    assert "ready" in lines["fal"] and "builtin" in lines["fal"]


def test_json_and_broken_plugin_is_a_warning(
    installed_plugins: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["providers", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_name = {p["name"]: p for p in data["providers"]}
    assert {"testcard", "minimax", "replicate", "fal", "runway", "luma", "echo"} <= set(by_name)
    assert by_name["echo"]["source"] == f"echo = {MOD}:EchoProvider"
    assert by_name["echo"]["default_model"] == "echo-1"
    assert by_name["replicate"] == {
        "name": "replicate",
        "description": by_name["replicate"]["description"],
        "default_model": "minimax/hailuo-2.3",
        "configured": False,
        "reason": "REPLICATE_API_TOKEN is not set",
        "source": "builtin",
    }
    [warning] = data["warnings"]
    assert warning["name"] == "exploding"
    assert "RuntimeError: plugin setup failed" in warning["message"]

    text = CliRunner().invoke(cli, ["providers"])
    assert text.exit_code == 0
    assert (
        f"warning: plugin exploding (exploding = {MOD}:exploding_factory) skipped: "
        "RuntimeError: plugin setup failed" in text.output
    )
