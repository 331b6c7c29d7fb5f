"""Runway developer API.

Create ``POST /v1/text_to_video`` (or ``/v1/image_to_video`` when ``params`` holds a
``promptImage``) with the required ``X-Runway-Version`` header; the answer is ``{"id"}``.
Poll ``GET /v1/tasks/{id}``; cancel with ``DELETE /v1/tasks/{id}``. Errors are 400 with an
``error`` member, 429 and 502-504 are retryable. See /work/shared/reference/providers.md
section 4.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from filmfs.providers.base import GenerationRequest, Job, JobStatus, State
from filmfs.providers.http.service import HttpService

API_VERSION = "2024-11-06"
STATES: dict[str, State] = {
    "PENDING": "queued",
    "THROTTLED": "queued",  # waiting for a concurrency slot
    "RUNNING": "running",
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "CANCELLED": "canceled",
}
# text_to_video accepts only these ratios; image_to_video models accept others (params).
T2V_RATIOS = {
    (True, False): "1280:720",
    (False, False): "720:1280",
    (True, True): "1920:1080",
    (False, True): "1080:1920",
}
# Estimated USD per second (credits at $0.01; ~5 credits/s per third-party price lists).
# Estimates only; None for models not listed.
PRICE_PER_SECOND: dict[str, float] = {"gen4_turbo": 0.05, "gen3a_turbo": 0.05}


def seconds(request: GenerationRequest, model: str) -> int:
    """The clip length Runway will make: the allowed length nearest above the request."""
    if model == "veo3":
        return 8
    allowed = (4, 6, 8) if model.startswith("veo3.1") else (5, 10)
    return next((s for s in allowed if s >= request.duration), allowed[-1])


class RunwayProvider(HttpService):
    """Runway (gen4 / Veo via Runway); key in ``RUNWAYML_API_SECRET``."""

    name = "runway"
    default_model = "veo3.1_fast"
    description = "Runway developer API (text_to_video; image_to_video with promptImage)"
    key_env = "RUNWAYML_API_SECRET"
    base_env = "FILMFS_RUNWAY_BASE_URL"
    default_base = "https://api.dev.runwayml.com"
    signup = "https://dev.runwayml.com"

    def auth_header(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}", "X-Runway-Version": API_VERSION}

    def submit(self, request: GenerationRequest) -> Job:
        """Create a task; ``request.params`` are merged into the body."""
        model = request.model or self.default_model
        landscape = request.width >= request.height
        body: dict[str, Any] = {
            "model": model,
            "promptText": request.prompt[:1000],
            "ratio": T2V_RATIOS[(landscape, min(request.width, request.height) >= 1080)],
            "duration": seconds(request, model),
        }
        if request.seed is not None:
            body["seed"] = request.seed
        body.update(request.params)
        kind = "image_to_video" if "promptImage" in body else "text_to_video"
        resp = self.api().request("POST", f"{self.base_url}/v1/{kind}", json_body=body)
        task_id = self.created_id(resp, "create task")
        return Job(
            provider=self.name, task_id=task_id, model=model, data={"seconds": body["duration"]}
        )

    def poll(self, job: Job) -> JobStatus:
        """Read the task; failures carry ``failure`` and ``failureCode``."""
        url = f"{self.base_url}/v1/tasks/{quote(job.task_id)}"
        resp = self.api().request("GET", url)
        task = resp.body if isinstance(resp.body, dict) else {}
        raw = str(task.get("status", ""))
        state = self.state_of(raw, STATES, "task status", url)
        if state == "failed":
            code = f" [{task['failureCode']}]" if task.get("failureCode") else ""
            why = self.redact(str(task.get("failure") or "no reason given"))
            return JobStatus("failed", detail=why + code)
        if state == "running" and isinstance(task.get("progress"), int | float):
            return JobStatus("running", detail=f"{round(100 * task['progress'])}%")
        if state != "succeeded":
            return JobStatus(state, detail=raw)
        output = task.get("output")
        url_out = output[0] if isinstance(output, list) and output else None
        if not isinstance(url_out, str):
            return JobStatus("failed", detail="task succeeded but has no output URL")
        return JobStatus("succeeded", result_url=url_out)

    def cancel(self, job: Job) -> None:
        """Cancel (or delete) the task: ``DELETE /v1/tasks/{id}``."""
        self.api().request("DELETE", f"{self.base_url}/v1/tasks/{quote(job.task_id)}")

    def cost(self, request: GenerationRequest, job: Job) -> float | None:
        """Estimated USD from :data:`PRICE_PER_SECOND`; None for models not in the table."""
        rate = PRICE_PER_SECOND.get(job.model)
        return None if rate is None else rate * float(job.data.get("seconds", 0))
