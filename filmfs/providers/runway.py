"""Runway developer API.

Create ``POST /v1/text_to_video``, or ``/v1/image_to_video`` when a first frame is given (or
``params`` holds a ``promptImage``; ``gen4_turbo`` is image-to-video only), with the required
``X-Runway-Version`` header; the answer is ``{"id", "estimatedCost"}``. Poll ``GET
/v1/tasks/{id}`` no more than every 5 s (documented); terminal tasks carry ``cost.credits``
(1 credit = $0.01), which the take records. Cancel with ``DELETE /v1/tasks/{id}``. Errors are
400 with an ``error`` member; 429 and 502-504 are load shedding (nothing created).
See /work/shared/reference/providers.md
section 4.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from filmfs.errors import ProviderError
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
CREDIT_USD = Decimal("0.01")  # 1 credit = $0.01 [C academy.runwayml.com]


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
        """Create a task at the endpoint the model and inputs call for, with only the fields
        the model takes; ``request.params`` are merged into the body."""
        model = request.model or self.default_model
        fitted = self.shape(request, model)
        caps = fitted.caps
        body: dict[str, Any] = {"model": model, "promptText": fitted.prompt}
        if fitted.ratio is not None:
            body["ratio"] = fitted.ratio
        if fitted.seconds is not None:
            body["duration"] = fitted.seconds
        if fitted.seed is not None:
            body["seed"] = fitted.seed
        if fitted.negative_prompt:
            body["negativePrompt"] = fitted.negative_prompt
        if fitted.audio is not None and caps.audio:
            body["audio"] = fitted.audio
        if request.first_frame and caps.first_frame:
            if request.last_frame and caps.last_frame:
                body["promptImage"] = [
                    {"uri": request.first_frame, "position": "first"},
                    {"uri": request.last_frame, "position": "last"},
                ]
            else:
                body["promptImage"] = request.first_frame
        body.update(request.params)
        kind = "image_to_video" if "promptImage" in body else "text_to_video"
        if kind == "text_to_video" and not caps.text_to_video:
            raise ProviderError(
                f"{model} is image-to-video only: it needs a first frame (promptImage)",
                provider=self.name,
            )
        resp = self.api().request("POST", f"{self.base_url}/v1/{kind}", json_body=body)
        task_id = self.created_id(resp, "create task")
        data = {"endpoint": kind, "sent": self.sent(body, "promptImage")}
        return Job(provider=self.name, task_id=task_id, model=model, data=data)

    def poll(self, job: Job) -> JobStatus:
        """Read the task; failures carry ``failure`` and ``failureCode``."""
        url = f"{self.base_url}/v1/tasks/{quote(job.task_id)}"
        resp = self.api().request("GET", url)
        task = resp.body if isinstance(resp.body, dict) else {}
        raw = str(task.get("status", ""))
        state = self.state_of(raw, STATES, "task status", url)
        cost = _credits(task.get("cost"))
        if state == "failed":
            code = f" [{self.redact(str(task['failureCode']))}]" if task.get("failureCode") else ""
            why = self.redact(str(task.get("failure") or "no reason given"))
            return JobStatus("failed", detail=why + code, cost=cost)
        if state == "canceled":
            return JobStatus("canceled", detail=raw, cost=cost)
        if state == "running" and isinstance(task.get("progress"), int | float):
            return JobStatus("running", detail=f"{round(100 * task['progress'])}%")
        if state != "succeeded":
            return JobStatus(state, detail=raw)
        output = task.get("output")
        url_out = output[0] if isinstance(output, list) and output else None
        if not isinstance(url_out, str):
            return JobStatus("failed", detail="task succeeded but has no output URL", cost=cost)
        return JobStatus("succeeded", result_url=url_out, cost=cost)

    def cancel(self, job: Job) -> None:
        """Cancel (or delete) the task: ``DELETE /v1/tasks/{id}``."""
        self.api().request("DELETE", f"{self.base_url}/v1/tasks/{quote(job.task_id)}")


def _credits(cost: Any) -> Decimal | None:
    """USD from a terminal task's ``cost: {credits}`` (an int; 0 when fully refunded)."""
    credits = cost.get("credits") if isinstance(cost, dict) else None
    if isinstance(credits, bool) or not isinstance(credits, int | float | str):
        return None
    try:
        value = Decimal(str(credits))
    except InvalidOperation:
        return None
    return value * CREDIT_USD if value.is_finite() and value >= 0 else None
