"""MiniMax (Hailuo) text-to-video, v1 task API.

Create ``POST /v1/video_generation``, poll ``GET /v1/query/video_generation?task_id=``, then
``GET /v1/files/retrieve?file_id=`` for a ``download_url`` (valid about an hour, so it is
asked for only once the task succeeded). MiniMax reports most errors as HTTP 200 with a
non-zero ``base_resp.status_code``. There is no cancel endpoint. See
/work/shared/reference/providers.md section 1.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from filmfs.errors import ProviderError
from filmfs.providers.base import GenerationRequest, Job, JobStatus, State
from filmfs.providers.http.service import HttpService
from filmfs.providers.http.transport import Response, error_detail

# base_resp.status_code values worth retrying: 1000 unknown, 1001 timeout, 1002 RPM limit,
# 1013/1024 internal, 1039 TPM limit (no Retry-After is documented, so we back off).
RETRYABLE_CODES = frozenset({1000, 1001, 1002, 1013, 1024, 1039})
HINTS = {
    1004: "authentication failed: check MINIMAX_API_KEY",
    2049: "invalid API key: check MINIMAX_API_KEY",
    1008: "insufficient balance on the MiniMax account",
    1026: "the prompt was flagged as sensitive; reword it",
    1027: "the generated video was flagged as sensitive; reword the prompt",
    2013: "invalid parameters: check model, duration and resolution",
}
STATES: dict[str, State] = {
    "Preparing": "queued",
    "Queueing": "queued",
    "Processing": "running",
    "Success": "succeeded",
    "Fail": "failed",
}
# Rate limits reported as HTTP 200 + code: the task was refused, so a create may be re-sent.
REFUSED_CODES = frozenset({1002, 1039, 2045})


class MiniMaxProvider(HttpService):
    """MiniMax Hailuo via its v1 API; key in ``MINIMAX_API_KEY``."""

    name = "minimax"
    default_model = "MiniMax-Hailuo-2.3"
    description = "MiniMax Hailuo text-to-video (api.minimax.io, v1)"
    key_env = "MINIMAX_API_KEY"
    base_env = "FILMFS_MINIMAX_BASE_URL"
    default_base = "https://api.minimax.io"
    signup = "https://platform.minimax.io"

    def _checked(self, resp: Response, what: str) -> dict[str, Any]:
        body = resp.body
        if not isinstance(body, dict):
            raise ProviderError(
                f"{what}: answer is not JSON: {self.redact(error_detail(body))[:100]}",
                provider=self.name,
                url=resp.url,
                status=resp.status,
                retryable=True,
            )
        base = body.get("base_resp") or {}
        code = int(base.get("status_code", 0) or 0)
        if code != 0:
            msg = str(base.get("status_msg") or "no message")
            raise ProviderError(
                f"{what}: MiniMax error {code}: {self.redact(msg)}",
                provider=self.name,
                url=resp.url,
                retryable=code in RETRYABLE_CODES,
                hint=HINTS.get(code),
                nothing_created=code in REFUSED_CODES,
            )
        return body

    def submit(self, request: GenerationRequest) -> Job:
        """Create a MiniMax task with only the fields the model takes; ``request.params``
        are merged into the body."""
        model = request.model or self.default_model
        fitted = self.shape(request, model)
        caps = fitted.caps
        body: dict[str, Any] = {"model": model, "prompt": fitted.prompt}
        body["prompt_optimizer"] = bool(request.params.get("prompt_optimizer", True))
        if fitted.seconds is not None:
            body["duration"] = fitted.seconds
        if fitted.resolution is not None and caps.duration_sent:
            body["resolution"] = fitted.resolution
        if request.first_frame and caps.first_frame:
            body["first_frame_image"] = request.first_frame
        if request.last_frame and caps.last_frame:
            body["last_frame_image"] = request.last_frame
        if request.reference_images and caps.reference_images:
            refs = list(request.reference_images[: caps.reference_images])
            body["subject_reference"] = [{"type": "character", "image": refs}]
        body.update({k: v for k, v in request.params.items() if k != "prompt_optimizer"})
        api = self.api()
        resp = api.request("POST", f"{self.base_url}/v1/video_generation", json_body=body)
        task_id = str(self._checked(resp, "create task").get("task_id") or "")
        if not task_id:
            raise ProviderError(
                "create task: answer has no task_id", provider=self.name, url=resp.url
            )
        sent = self.sent(body, "first_frame_image", "last_frame_image", "subject_reference")
        return Job(provider=self.name, task_id=task_id, model=model, data={"sent": sent})

    def poll(self, job: Job) -> JobStatus:
        """Query the task; on Success, also retrieve the file's download URL."""
        api = self.api()
        url = f"{self.base_url}/v1/query/video_generation?task_id={quote(job.task_id)}"
        body = self._checked(api.request("GET", url), "query task")
        raw = str(body.get("status", ""))
        state = self.state_of(raw, STATES, "task status", url.split("?")[0])
        if state == "failed":
            # The reason, when MiniMax gives one, is in base_resp; "success" there only means
            # the query itself worked.
            msg = str((body.get("base_resp") or {}).get("status_msg") or "")
            why = "" if msg.lower() in ("", "success") else f": {self.redact(msg)}"
            return JobStatus("failed", detail=f"MiniMax reported status Fail{why}")
        if state != "succeeded":
            return JobStatus(state, detail=raw)
        file_id = str(body.get("file_id") or "")
        if not file_id:
            raise ProviderError("query task: Success without file_id", provider=self.name)
        retrieve = f"{self.base_url}/v1/files/retrieve?file_id={quote(file_id)}"
        info = self._checked(api.request("GET", retrieve), "retrieve file").get("file") or {}
        download_url = info.get("download_url") if isinstance(info, dict) else None
        if not download_url:
            raise ProviderError(
                "retrieve file: no download_url",
                provider=self.name,
                url=retrieve.split("?")[0],
                retryable=True,
            )
        return JobStatus("succeeded", detail=f"file {file_id}", result_url=str(download_url))

    def cancel(self, job: Job) -> None:
        """MiniMax's v1 API has no cancel endpoint; the task runs to its end."""
