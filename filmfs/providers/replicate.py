"""Replicate predictions API.

Official models: ``POST /v1/models/{owner}/{name}/predictions`` with ``{"input": {...}}``;
a model given as ``owner/name:version`` uses ``POST /v1/predictions`` with ``version``. Poll
``GET /v1/predictions/{id}``, cancel ``POST /v1/predictions/{id}/cancel``. Errors are RFC 7807
bodies; 429 carries Retry-After. ``output`` is a URL string or a list of them (``data:`` URIs
are possible with ``Prefer: wait``). See /work/shared/reference/providers.md section 2.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from filmfs.errors import ProviderError
from filmfs.providers.base import GenerationRequest, Job, JobStatus, State
from filmfs.providers.http.service import HttpService

STATES: dict[str, State] = {
    "starting": "queued",
    "processing": "running",
    "succeeded": "succeeded",
    "failed": "failed",
    "canceled": "canceled",
}


def first_output(output: Any) -> str | None:
    """The video URL in a prediction's ``output``: a string, or the first string of a list."""
    if isinstance(output, str) and output:
        return output
    if isinstance(output, list):
        for item in output:
            if isinstance(item, str) and item:
                return item
    return None


class ReplicateProvider(HttpService):
    """Replicate predictions; token in ``REPLICATE_API_TOKEN``."""

    name = "replicate"
    default_model = "minimax/hailuo-2.3"
    description = "Replicate predictions (default model minimax/hailuo-2.3)"
    key_env = "REPLICATE_API_TOKEN"
    base_env = "FILMFS_REPLICATE_BASE_URL"
    default_base = "https://api.replicate.com"
    signup = "https://replicate.com/account/api-tokens"

    def submit(self, request: GenerationRequest) -> Job:
        """Create a prediction; ``request.params`` are merged into ``input``."""
        model = request.model or self.default_model
        inputs, images = self.model_inputs(request, model)
        api = self.api()
        owner_name, _, version = model.partition(":")
        if version:
            url = f"{self.base_url}/v1/predictions"
            body: dict[str, Any] = {"version": version, "input": inputs}
        else:
            if owner_name.count("/") != 1:
                raise ProviderError(
                    f"model {model!r} is not 'owner/name' or 'owner/name:version'",
                    provider=self.name,
                )
            url = f"{self.base_url}/v1/models/{owner_name}/predictions"
            body = {"input": inputs}
        resp = api.request("POST", url, json_body=body)
        pred_id = self.created_id(resp, "create prediction")
        sent = self.sent(inputs, *images)
        return Job(provider=self.name, task_id=pred_id, model=model, data={"sent": sent})

    def model_inputs(
        self, request: GenerationRequest, model: str
    ) -> tuple[dict[str, Any], list[str]]:
        """The ``input`` object: only what the model's schema has; and the image fields."""
        fitted = self.shape(request, model)
        caps = fitted.caps
        inputs = fitted.common_inputs()
        if fitted.seconds is not None:
            inputs["duration"] = fitted.seconds
        if fitted.resolution is not None:
            inputs["resolution"] = fitted.resolution
        if fitted.ratio is not None and caps.ratios is not None and len(caps.ratios) > 1:
            inputs["aspect_ratio"] = fitted.ratio
        if fitted.audio is not None and caps.audio:
            inputs["generate_audio"] = fitted.audio
        images = self.image_inputs(
            request, caps, first="first_frame_image", last="last_frame_image"
        )
        inputs.update(images)
        inputs.update(request.params)
        return inputs, list(images)

    def poll(self, job: Job) -> JobStatus:
        """Read the prediction; failure text comes from ``error``."""
        url = f"{self.base_url}/v1/predictions/{quote(job.task_id)}"
        resp = self.api().request("GET", url)
        pred = resp.body if isinstance(resp.body, dict) else {}
        raw = str(pred.get("status", ""))
        state = self.state_of(raw, STATES, "prediction status", url)
        if state == "failed":
            return JobStatus("failed", detail=self.redact(str(pred.get("error") or "")))
        if state != "succeeded":
            return JobStatus(state, detail=raw)
        out = first_output(pred.get("output"))
        if out is None:
            return JobStatus("failed", detail="prediction succeeded but has no output URL")
        return JobStatus("succeeded", result_url=out)

    def cancel(self, job: Job) -> None:
        """Cancel the prediction (``POST /v1/predictions/{id}/cancel``)."""
        url = f"{self.base_url}/v1/predictions/{quote(job.task_id)}/cancel"
        self.api().request("POST", url)
