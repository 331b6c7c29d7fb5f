"""Fixtures: a real small MP4 rendered once per session, and one fake server per provider.

``minimax_fake``, ``replicate_fake`` and ``fal_fake`` are fresh, started servers with zero
latency; ``fake_factory`` starts any fake with options (``fake_factory(FakeFal, latency=1.0)``)
and stops it after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.providers.fakes import FakeFal, FakeMiniMax, FakeReplicate, FakeServer, sample_video


@pytest.fixture(scope="session")
def sample_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_video(tmp_path_factory.mktemp("video") / "sample.mp4")


@pytest.fixture
def fake_factory(sample_mp4: Path) -> Iterator[Callable[..., FakeServer]]:
    started: list[FakeServer] = []

    def start(cls: type[FakeServer], **options: Any) -> FakeServer:
        fake = cls(sample_mp4, **options).start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()


@pytest.fixture
def minimax_fake(fake_factory: Callable[..., FakeServer]) -> FakeServer:
    return fake_factory(FakeMiniMax)


@pytest.fixture
def replicate_fake(fake_factory: Callable[..., FakeServer]) -> FakeServer:
    return fake_factory(FakeReplicate)


@pytest.fixture
def fal_fake(fake_factory: Callable[..., FakeServer]) -> FakeServer:
    return fake_factory(FakeFal)
