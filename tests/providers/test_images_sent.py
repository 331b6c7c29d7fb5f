"""Each provider sends a shot's images in its own API's fields, to its local server: first and
last frames and reference images, only for models whose capability data says they take them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filmfs.providers.base import GenerationRequest
from filmfs.providers.fal import FalProvider
from filmfs.providers.luma import LumaProvider
from filmfs.providers.minimax import MiniMaxProvider
from filmfs.providers.replicate import ReplicateProvider
from filmfs.providers.runner import run
from filmfs.providers.runway import RunwayProvider
from tests.providers.fakes import (
    FakeFal,
    FakeLuma,
    FakeMiniMax,
    FakeReplicate,
    FakeRunway,
    FakeServer,
)

FIRST = "data:image/png;base64,Rmlyc3Q="
LAST = "data:image/png;base64,TGFzdA=="
REF = "data:image/png;base64,UmVm"

BASE = GenerationRequest(
    shot_id="01A",
    attempt_number=1,
    prompt="a fox",
    duration=6,
    width=1280,
    height=720,
    fps=24,
    model=None,
    params={},
)


def _post(fake: FakeServer) -> dict[str, Any]:
    (create,) = [r for r in fake.requests if r.method == "POST" and "/files" not in r.path][:1]
    body = create.body
    assert isinstance(body, dict)
    return body


def _provider(name: str, fake: FakeServer) -> Any:
    if name == "minimax":
        return MiniMaxProvider(base_url=fake.api_base, api_key=fake.api_key)
    if name == "replicate":
        return ReplicateProvider(base_url=fake.base_url, api_key=fake.api_key)
    if name == "fal":
        return FalProvider(base_url=fake.base_url, api_key=fake.api_key)
    if name == "runway":
        return RunwayProvider(base_url=fake.api_base, api_key=fake.api_key)
    return LumaProvider(base_url=fake.api_base, api_key=fake.api_key)


CASES = [
    # provider, fake, model, images given, where each must be in the create body
    (
        "minimax",
        FakeMiniMax,
        "MiniMax-Hailuo-02",
        {"first_frame": FIRST, "last_frame": LAST},
        lambda b: (b["first_frame_image"], b["last_frame_image"]) == (FIRST, LAST),
    ),
    (
        "minimax",
        FakeMiniMax,
        "S2V-01",
        {"reference_images": (REF,)},
        lambda b: b["subject_reference"] == [{"type": "character", "image": [REF]}],
    ),
    (
        "replicate",
        FakeReplicate,
        "google/veo-3.1",
        {"first_frame": FIRST, "last_frame": LAST, "reference_images": (REF,)},
        lambda b: (
            {FIRST, LAST} <= set(map(str, b["input"].values())) and REF in json.dumps(b["input"])
        ),
    ),
    (
        "fal",
        FakeFal,
        "fal-ai/minimax/hailuo-02/pro/image-to-video",
        {"first_frame": FIRST, "last_frame": LAST},
        lambda b: (b["image_url"], b["end_image_url"]) == (FIRST, LAST),
    ),
    (
        "runway",
        FakeRunway,
        "veo3.1",
        {"first_frame": FIRST, "last_frame": LAST},
        lambda b: (
            b["promptImage"]
            == [{"uri": FIRST, "position": "first"}, {"uri": LAST, "position": "last"}]
        ),
    ),
    (
        "luma",
        FakeLuma,
        "ray-2",
        {"first_frame": FIRST, "last_frame": LAST},
        lambda b: (
            (b["keyframes"]["frame0"]["url"], b["keyframes"]["frame1"]["url"]) == (FIRST, LAST)
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "fake_cls", "model", "given", "check"),
    CASES,
    ids=[f"{c[0]}-{c[2]}" for c in CASES],
)
def test_images_go_in_the_providers_own_fields(
    fake_factory: Callable[..., FakeServer],
    tmp_path: Path,
    name: str,
    fake_cls: type[FakeServer],
    model: str,
    given: dict[str, Any],
    check: Callable[[dict[str, Any]], bool],
) -> None:
    fake = fake_factory(fake_cls)
    request = GenerationRequest(**{**BASE.__dict__, "model": model, **given})
    run(_provider(name, fake), request, tmp_path / "v.mp4", sleep=lambda s: None)
    body = _post(fake)
    assert check(body), body


def test_a_model_that_takes_no_images_is_sent_none(
    fake_factory: Callable[..., FakeServer], tmp_path: Path
) -> None:
    fake = fake_factory(FakeMiniMax)
    request = GenerationRequest(
        **{**BASE.__dict__, "model": "T2V-01", "first_frame": FIRST, "reference_images": (REF,)}
    )
    run(_provider("minimax", fake), request, tmp_path / "v.mp4", sleep=lambda s: None)
    assert FIRST not in json.dumps(_post(fake)) and REF not in json.dumps(_post(fake))
