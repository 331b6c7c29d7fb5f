"""Luma Dream Machine API.

Create ``POST /generations/video`` (201, a Generation object; the current SDK's path), poll
``GET /generations/{id}``
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


class LumaProvider(HttpService):
    """Luma Dream Machine (Ray); key in ``LUMAAI_API_KEY``. No per-video cost is reported."""

    name = "luma"
    default_model = "ray-2"
    description = "Luma Dream Machine (ray-2)"
    key_env = "LUMAAI_API_KEY"
    base_env = "FILMFS_LUMA_BASE_URL"
    default_base = "https://api.lumalabs.ai/dream-machine/v1"
    signup = "https://lumalabs.ai/dream-machine/api/keys"

    def submit(self, request: GenerationRequest) -> Job:
        """Create a generation with only the fields the model takes (no seed: Luma has none);
        ``request.params`` are merged into the body."""
        model = request.model or self.default_model
        fitted = self.shape(request, model)
        body: dict[str, Any] = {"prompt": fitted.prompt, "model": model}
        if fitted.ratio is not None:
            body["aspect_ratio"] = fitted.ratio
        if fitted.resolution is not None:
            body["resolution"] = fitted.resolution
        if fitted.seconds is not None:
            body["duration"] = f"{fitted.seconds}s"
        keyframes = {}
        if request.first_frame and fitted.caps.first_frame:
            keyframes["frame0"] = {"type": "image", "url": request.first_frame}
        if request.last_frame and fitted.caps.last_frame:
            keyframes["frame1"] = {"type": "image", "url": request.last_frame}
        if keyframes:
            body["keyframes"] = keyframes
        body.update(request.params)
        resp = self.api().request("POST", f"{self.base_url}/generations/video", json_body=body)
        gen_id = self.created_id(resp, "create generation")
        data = {"sent": self.sent(body, "keyframes")}
        return Job(provider=self.name, task_id=gen_id, model=model, data=data)

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
