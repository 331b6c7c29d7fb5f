"""fal.ai queue API.

Submit ``POST {queue}/{model_id}`` with the model input as the body; the answer gives
``status_url``, ``response_url`` and ``cancel_url``, which are used as given (they drop any
model subpath). Status answers 202 while ``IN_QUEUE``/``IN_PROGRESS`` and 200 when
``COMPLETED``; a failed request still completes, and its error arrives when the result is
fetched (or ``error`` on the COMPLETED status itself). The result holds ``video.url``.
See /work/shared/reference/providers.md section 3.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from filmfs.errors import ProviderError
from filmfs.providers.base import GenerationRequest, Job, JobStatus
from filmfs.providers.http.service import HttpService
from filmfs.providers.http.transport import error_detail


def video_url(result: Any) -> str | None:
    """``video.url`` of a fal result (or ``videos[0].url`` for models that return a list)."""
    if not isinstance(result, dict):
        return None
    video = result.get("video")
    if not isinstance(video, dict):
        videos = result.get("videos")
        video = videos[0] if isinstance(videos, list) and videos else None
    url = video.get("url") if isinstance(video, dict) else None
    return str(url) if url else None


# The queue hands back absolute URLs to call with the key; only fal's own hosts (or the
# configured base, for tests and proxies) may receive it.
TRUSTED_SUFFIXES = (".fal.run", ".falrun.com", ".fal.ai")


class FalProvider(HttpService):
    """fal.ai queue; key in ``FAL_KEY``."""

    name = "fal"
    default_model = "fal-ai/minimax/hailuo-02/standard/text-to-video"
    description = "fal.ai queue (default model fal-ai/minimax/hailuo-02/standard/text-to-video)"
    key_env = "FAL_KEY"
    base_env = "FILMFS_FAL_BASE_URL"
    default_base = "https://queue.fal.run"
    signup = "https://fal.ai/dashboard/keys"

    def auth_header(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Key {key}"}

    def submit(self, request: GenerationRequest) -> Job:
        """Queue a request; ``request.params`` are merged into the input."""
        model = request.model or self.default_model
        fitted = self.shape(request, model)
        caps = fitted.caps
        inputs = fitted.common_inputs()
        if fitted.seconds is not None:
            # Hailuo-02 endpoints take the duration as a string, "6" or "10".
            as_text = caps.duration_format == "string"
            inputs["duration"] = str(fitted.seconds) if as_text else fitted.seconds
        images = self.image_inputs(request, caps, first="image_url", last="end_image_url")
        inputs.update(images)
        inputs.update(request.params)
        resp = self.api().request("POST", f"{self.base_url}/{model.strip('/')}", json_body=inputs)
        body = resp.body if isinstance(resp.body, dict) else {}
        request_id = str(body.get("request_id") or "")
        urls = {k: body.get(k) for k in ("status_url", "response_url", "cancel_url")}
        if not request_id or not urls["status_url"] or not urls["response_url"]:
            raise ProviderError(
                "submit: answer lacks request_id/status_url/response_url",
                provider=self.name,
                url=resp.url,
                status=resp.status,
            )
        data: dict[str, Any] = {k: str(v) for k, v in urls.items() if v}
        for url in data.values():
            self._check_host(url)
        data["sent"] = self.sent(inputs, *images)
        return Job(provider=self.name, task_id=request_id, model=model, data=data)

    def _check_host(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        if host == urlsplit(self.base_url).hostname or host.endswith(TRUSTED_SUFFIXES):
            return
        raise ProviderError(
            f"refusing to send {self.key_env} to {host!r}, which is not a fal host",
            provider=self.name,
        )

    def poll(self, job: Job) -> JobStatus:
        """Read the status; once COMPLETED, fetch the result (where failures show)."""
        api = self.api()
        resp = api.request("GET", str(job.data["status_url"]))
        body = resp.body if isinstance(resp.body, dict) else {}
        raw = str(body.get("status", ""))
        if raw == "IN_QUEUE":
            pos = body.get("queue_position")
            return JobStatus("queued", detail=f"queue position {pos}" if pos is not None else "")
        if raw == "IN_PROGRESS":
            return JobStatus("running")
        if raw in ("FAILED", "ERROR"):  # only third-party schemas have these
            return JobStatus("failed", detail=self.redact(error_detail(body)))
        if raw in ("CANCELED", "CANCELLED"):
            return JobStatus("canceled")
        if raw != "COMPLETED":
            raise ProviderError(
                f"unknown request status {self.redact(raw)!r}", provider=self.name, url=resp.url
            )
        if body.get("error"):
            # A failed request still ends COMPLETED, carrying error / error_type (fal_client
            # 1.0.3 ``Completed``): it failed; fetching the result would only fail again.
            kind = f" [{body['error_type']}]" if body.get("error_type") else ""
            return JobStatus("failed", detail=self.redact(str(body["error"])) + kind)
        # Any error status here is the request's own failure, not an outage: fal answers the
        # result of a failed request with a non-2xx (5xx included, which fal does not bill).
        result = api.request("GET", str(job.data["response_url"]), ok=tuple(range(400, 600)))
        if result.status >= 400 or (
            isinstance(result.body, dict)
            and "detail" in result.body
            and video_url(result.body) is None
        ):
            detail = self.redact(error_detail(result.body))
            return JobStatus("failed", detail=f"HTTP {result.status}: {detail}")
        url = video_url(result.body)
        if url is None:
            return JobStatus("failed", detail="result has no video.url")
        return JobStatus("succeeded", result_url=url)

    def cancel(self, job: Job) -> None:
        """Cancel a queued request (``PUT cancel_url``); fal ignores it once processing."""
        url = job.data.get("cancel_url")
        if url:
            self.api().request("PUT", str(url), ok=(400,))
