"""Luma Dream Machine API.

Create ``POST /generations`` (201, a Generation object), poll ``GET /generations/{id}``
(``state`` queued/dreaming/completed/failed, video at ``assets.video``), cancel by
``DELETE /generations/{id}``. Errors are ``{"detail": ...}``. See
/work/shared/reference/providers.md section 5.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from filmfs.providers.base import GenerationRequest, Job, JobStatus, State
from filmfs.providers.http.service import HttpService

STATES: dict[str, State] = {
    "queued": "queued",
    "dreaming": "running",
    "completed": "succeeded",
    "failed": "failed",
}
RATIOS = {
    "1:1": 1.0,
    "16:9": 16 / 9,
    "9:16": 9 / 16,
    "4:3": 4 / 3,
    "3:4": 3 / 4,
    "21:9": 21 / 9,
    "9:21": 9 / 21,
}
RESOLUTIONS = ((540, "540p"), (720, "720p"), (1080, "1080p"), (2160, "4k"))


def aspect_ratio(width: int, height: int) -> str:
    """The Luma aspect ratio nearest to ``width``:``height``."""
    return min(RATIOS, key=lambda r: abs(RATIOS[r] - width / height))


def resolution(width: int, height: int) -> str:
    """The smallest Luma resolution at least as tall as the request's short side."""
    short = min(width, height)
    return next((name for px, name in RESOLUTIONS if px >= short), "4k")


class LumaProvider(HttpService):
    """Luma Dream Machine (Ray); key in ``LUMAAI_API_KEY``. No per-video price is known."""

    name = "luma"
    default_model = "ray-2"
    description = "Luma Dream Machine (ray-2)"
    key_env = "LUMAAI_API_KEY"
    base_env = "FILMFS_LUMA_BASE_URL"
    default_base = "https://api.lumalabs.ai/dream-machine/v1"
    signup = "https://lumalabs.ai/dream-machine/api/keys"

    def submit(self, request: GenerationRequest) -> Job:
        """Create a generation; ``request.params`` are merged into the body."""
        model = request.model or self.default_model
        body: dict[str, Any] = {
            "generation_type": "video",
            "prompt": request.prompt,
            "model": model,
            "aspect_ratio": aspect_ratio(request.width, request.height),
            "resolution": resolution(request.width, request.height),
            "duration": "9s" if request.duration > 5 else "5s",
        }
        body.update(request.params)
        resp = self.api().request("POST", f"{self.base_url}/generations", json_body=body)
        gen_id = self.created_id(resp, "create generation")
        return Job(provider=self.name, task_id=gen_id, model=model)

    def poll(self, job: Job) -> JobStatus:
        """Read the generation; failures carry ``failure_reason``."""
        url = f"{self.base_url}/generations/{quote(job.task_id)}"
        resp = self.api().request("GET", url)
        gen = resp.body if isinstance(resp.body, dict) else {}
        raw = str(gen.get("state", ""))
        state = self.state_of(raw, STATES, "generation state", url)
        if state == "failed":
            why = self.redact(str(gen.get("failure_reason") or "no reason given"))
            return JobStatus("failed", detail=why)
        if state != "succeeded":
            return JobStatus(state, detail=raw)
        assets = gen.get("assets")
        video = assets.get("video") if isinstance(assets, dict) else None
        if not isinstance(video, str) or not video:
            return JobStatus("failed", detail="generation completed without assets.video")
        return JobStatus("succeeded", result_url=video)

    def cancel(self, job: Job) -> None:
        """Delete the generation (Luma has no separate cancel)."""
        self.api().request("DELETE", f"{self.base_url}/generations/{quote(job.task_id)}")

    def cost(self, request: GenerationRequest, job: Job) -> float | None:
        """None: Luma reports no per-generation price (diff ``GET /credits`` to learn it)."""
        return None
