"""Capabilities as data: the file is valid, the providers agree with it, pre-flight uses it."""

from __future__ import annotations

from decimal import Decimal

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.providers import capabilities, redact
from filmfs.providers.capabilities import HERE
from filmfs.providers.preflight import Fit, plan
from filmfs.providers.registry import BUILTINS

LENIENT = Fit(duration="nearest", ratio="pad", prompt="truncate", inputs="drop")


def fitted(provider: str, model: str, **kw: object) -> object:
    args: dict[str, object] = {
        "prompt": "a fox",
        "negative_prompt": None,
        "seed": None,
        "seed_chosen": False,
        "duration": 6,
        "width": 1280,
        "height": 720,
        "fit": Fit(),
    }
    args.update(kw)
    return plan(capabilities.for_provider(provider).model(model), **args)  # type: ignore[arg-type]


def test_the_file_matches_its_schema_and_a_bad_one_is_refused() -> None:
    data = yaml.safe_load((HERE / "capabilities.yaml").read_text())
    capabilities.check(data)
    data["providers"]["runway"]["models"]["gen4.5"]["durations"] = ["five"]
    with pytest.raises(jsonschema.ValidationError):
        capabilities.check(data)


def test_every_builtin_has_capabilities_and_the_same_default_model() -> None:
    found = capabilities.load()
    for name, factory in BUILTINS.items():
        assert name in found, name
        assert factory().default_model == found[name].default_model
        assert found[name].default_model in found[name].models


def test_image_inputs_are_explicit_for_continuity() -> None:
    runway = capabilities.for_provider("runway")
    assert runway.model("gen4_turbo").modes == frozenset({"image"})
    assert runway.model("veo3.1").last_frame and not runway.model("gen4.5").last_frame
    minimax = capabilities.for_provider("minimax")
    assert minimax.model("MiniMax-Hailuo-02").last_frame
    assert minimax.model("S2V-01").reference_images == 1
    assert minimax.model("S2V-01").reference_field == "subject_reference"
    assert capabilities.for_provider("luma").model("ray-2").image_transport == "url"
    veo = capabilities.for_provider("replicate").model("google/veo-3.1")
    assert (veo.reference_images, veo.first_frame_field) == (3, None)


def test_unknown_model_is_conservative_and_warned() -> None:
    runway = capabilities.for_provider("runway")
    caps = runway.model("gen3a_turbo")
    assert not caps.known and not caps.seed and caps.price is None
    warning = runway.warning("gen3a_turbo")
    assert warning is not None and "not in filmfs's capability list" in warning
    assert "veo3.1_fast" in warning
    assert runway.warning("veo3.1_fast") is None
    stale = capabilities.for_provider("minimax").warning("video-01")
    assert stale is not None and "MiniMax-Hailuo-2.3" in stale


def test_a_plugin_gets_no_checks() -> None:
    caps = capabilities.for_provider("echo", default_model="e1").model(None)
    result = plan(
        caps,
        prompt="x" * 10_000,
        negative_prompt="n",
        seed=3,
        seed_chosen=True,
        duration=7.5,
        width=999 * 2,
        height=2,
        fit=Fit(),
    )
    assert result.ok and result.seed == 3 and result.negative_prompt == "n"


def test_prices_are_decimal() -> None:
    p = fitted("minimax", "MiniMax-Hailuo-2.3", duration=10)
    assert p.estimate == Decimal("0.56")  # type: ignore[attr-defined]
    veo = fitted("runway", "veo3.1_fast", duration=8)
    assert veo.estimate == Decimal("1.20")  # type: ignore[attr-defined]  # 8 s with audio


@pytest.mark.parametrize(
    ("provider", "model", "kw", "text"),
    [
        ("runway", "veo3.1_fast", {"duration": 5}, "duration_target 5 s is not offered"),
        ("runway", "gen4.5", {"width": 1920, "height": 800}, "does not make (1280:720, 720:1280)"),
        ("runway", "gen4_turbo", {}, "image-to-video only"),
        ("runway", "gen4.5", {"prompt": "é" * 1001}, "1001 UTF-16 units"),
        ("runway", "gen4.5", {"last_frame": True, "first_frame": True}, "takes no last frame"),
        ("minimax", "MiniMax-Hailuo-2.3", {"negative_prompt": "blur"}, "takes no negative prompt"),
        ("minimax", "T2V-01", {"first_frame": True}, "takes no first frame"),
        ("minimax", "MiniMax-Hailuo-2.3", {"reference_images": 1}, "takes none"),
        ("luma", "ray-2", {"duration": 5, "seed": 4, "seed_chosen": True}, "takes no seed"),
        ("luma", "ray-2", {"duration": 5, "audio": True}, "makes no audio"),
    ],
)
def test_refused_per_capability(
    provider: str, model: str, kw: dict[str, object], text: str
) -> None:
    result = fitted(provider, model, **kw)
    assert not result.ok  # type: ignore[attr-defined]
    assert text in result.refusal()  # type: ignore[attr-defined]


def test_fitting_records_what_was_done() -> None:
    result = fitted(
        "runway",
        "gen4.5",
        duration=11,
        width=1920,
        height=800,
        negative_prompt="x",
        prompt="p" * 1200,
        fit=LENIENT,
    )
    assert result.ok  # type: ignore[attr-defined]
    assert (result.seconds, result.ratio, result.negative_prompt) == (10, "1280:720", None)  # type: ignore[attr-defined]
    assert len(result.prompt) == 1000  # type: ignore[attr-defined]
    notes = " | ".join(result.adjustments)  # type: ignore[attr-defined]
    assert "duration 11 s -> 10 s" in notes and "ratio 1920:800 -> 1280:720 (pad" in notes
    assert "prompt 1200 -> 1000 UTF-16 units (truncated)" in notes
    longer = fitted("runway", "veo3.1_fast", duration=6.5, fit=Fit(duration="longer"))
    assert longer.seconds == 8  # type: ignore[attr-defined]


def test_a_derived_seed_is_not_sent_to_a_model_without_one() -> None:
    result = fitted("minimax", "MiniMax-Hailuo-2.3", seed=99, seed_chosen=False)
    assert result.ok and result.seed is None  # type: ignore[attr-defined]


def test_providers_models_lists_each_model() -> None:
    result = CliRunner().invoke(cli, ["providers", "--models"])
    assert result.exit_code == 0, result.output
    assert "gen4_turbo; image-to-video; 2/3/4/5/6/7/8/9/10 s" in result.output
    assert "runway: default veo3.1_fast; polls every 5-15 s" in result.output
    assert "MiniMax-Hailuo-2.3 (default)" in result.output
    assert "video-01; text-to-video" in result.output and "DEPRECATED" in result.output
    as_json = CliRunner().invoke(cli, ["providers", "--models", "--json"])
    assert '"first_frame": true' in as_json.output


def test_redaction_masks_keys_userinfo_and_signed_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY", "fal-secret-123")
    text = redact.scrub(
        "key fal-secret-123 at https://user:pa55@cdn.example/v.mp4?X-Amz-Signature=abc and "
        "ftp://bob@files.example/x"
    )
    assert "fal-secret-123" not in text and "pa55" not in text and "abc" not in text
    assert "https://***@cdn.example/v.mp4" in text and "ftp://***@files.example/x" in text
    assert redact.scrub_value({"a": ["fal-secret-123"]}) == {"a": ["***"]}
