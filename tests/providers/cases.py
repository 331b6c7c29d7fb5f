"""One description per HTTP provider, so the shared behaviour is tested once for all three."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from filmfs.providers.fal import FalProvider
from filmfs.providers.http.service import HttpService
from filmfs.providers.luma import LumaProvider
from filmfs.providers.minimax import MiniMaxProvider
from filmfs.providers.replicate import ReplicateProvider
from filmfs.providers.runway import RunwayProvider
from tests.providers.fakes import (
    FakeFal,
    FakeLuma,
    FakeMiniMax,
    FakeReplicate,
    FakeRunway,
    FakeServer,
    Recorded,
    Reply,
)


@dataclass(frozen=True)
class Case:
    name: str
    fake: type[FakeServer]
    provider: type[HttpService]
    key_env: str
    auth: str
    """The Authorization header, with ``{key}`` for the key."""
    submit_path: str
    rate_limit: Reply
    """The provider's own shape of a rate-limit answer."""
    failure_text: str
    """Text the provider's failure shape carries, expected in the error."""
    cancel_call: tuple[str, str] | None
    """(method, path part) of the cancel request, None when the API has no cancel."""
    has_cost: bool = True
    """Whether the default model has a price (an estimate, or Runway's reported cost)."""
    create_retry: tuple[int, ...] = (429,)
    """HTTP statuses after which the create request may be re-sent (capabilities.yaml)."""

    def make(
        self, fake: FakeServer, *, env: Mapping[str, str] | None = None, **kw: Any
    ) -> HttpService:
        kw.setdefault("timeout", 5.0)
        return self.provider(
            base_url=fake.api_base,
            api_key=fake.api_key if env is None else None,
            env=env,
            **kw,
        )

    def prompt_of(self, body: Any) -> str:
        if self.name == "replicate":
            return str(body["input"]["prompt"])
        return str(body["promptText" if self.name == "runway" else "prompt"])

    def cancels(self, fake: FakeServer) -> list[Recorded]:
        """The cancel requests the fake received."""
        if self.cancel_call is None:
            return []
        method, part = self.cancel_call
        return [r for r in fake.requests if r.method == method and part in r.path]


CASES = [
    Case(
        "minimax",
        FakeMiniMax,
        MiniMaxProvider,
        "MINIMAX_API_KEY",
        "Bearer {key}",
        "/v1/video_generation",
        Reply(200, {"base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded"}}),
        "MiniMax reported status Fail",
        None,
    ),
    Case(
        "replicate",
        FakeReplicate,
        ReplicateProvider,
        "REPLICATE_API_TOKEN",
        "Bearer {key}",
        "/v1/models/minimax/hailuo-2.3/predictions",
        Reply(
            429,
            {"detail": "Request was throttled. Your rate limit resets in ~30s.", "status": 429},
            {"Retry-After": "2"},
        ),
        "NSFW content detected",
        ("POST", "/cancel"),
    ),
    Case(
        "fal",
        FakeFal,
        FalProvider,
        "FAL_KEY",
        "Key {key}",
        "/fal-ai/minimax/hailuo-02/standard/text-to-video",
        Reply(429, {"detail": "Too many requests"}, {"Retry-After": "2"}),
        "could not be processed",
        ("PUT", "/cancel"),
    ),
    Case(
        "runway",
        FakeRunway,
        RunwayProvider,
        "RUNWAYML_API_SECRET",
        "Bearer {key}",
        "/v1/text_to_video",
        Reply(429, {"error": "Too many requests"}),
        "Prompt flagged by moderation [SAFETY.INPUT.TEXT]",
        ("DELETE", "/v1/tasks/"),
        create_retry=(429, 502, 503, 504),
    ),
    Case(
        "luma",
        FakeLuma,
        LumaProvider,
        "LUMAAI_API_KEY",
        "Bearer {key}",
        "/dream-machine/v1/generations/video",
        Reply(429, {"detail": "Rate limit exceeded"}),
        "Prompt not allowed",
        ("DELETE", "/dream-machine/v1/generations/"),
    ),
]
