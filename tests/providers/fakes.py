"""Local fake servers that speak each provider's real request and response shapes.

Reusable outside pytest (e.g. a benchmark)::

    from tests.providers.fakes import FakeMiniMax, sample_video
    video = sample_video(Path("/tmp/sample.mp4"))
    with FakeMiniMax(video, latency=1.0) as fake:
        provider = MiniMaxProvider(base_url=fake.base_url, api_key=fake.api_key)
        ...  # many concurrent runner.run(provider, ...) calls

Shapes follow /work/shared/reference/providers.md: MiniMax answers errors as HTTP 200 with a
non-zero ``base_resp.status_code``; Replicate uses RFC 7807 bodies and 201 on create; fal
answers 202 on status until COMPLETED and reports failures at result fetch.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from tests.providers.fakes_extra import FakeLuma, FakeRunway
from tests.providers.fakeserver import API_KEY, FakeServer, Recorded, Reply, sample_video

__all__ = [
    "API_KEY",
    "FakeFal",
    "FakeLuma",
    "FakeMiniMax",
    "FakeReplicate",
    "FakeRunway",
    "FakeServer",
    "Recorded",
    "Reply",
    "sample_video",
]


def _ok() -> dict[str, Any]:
    return {"status_code": 0, "status_msg": "success"}


class FakeMiniMax(FakeServer):
    """MiniMax v1: video_generation, query/video_generation, files/retrieve."""

    def endpoint(self, method: str, path: str) -> str:
        return {
            "/v1/video_generation": "submit",
            "/v1/query/video_generation": "poll",
            "/v1/files/retrieve": "retrieve",
        }.get(path, "other")

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(
                200,
                {"base_resp": {"status_code": 1004, "status_msg": "login fail: invalid api key"}},
            )
        name = self.endpoint(method, path)
        if name == "submit" and method == "POST":
            if not isinstance(body, dict) or not body.get("model") or not body.get("prompt"):
                return Reply(
                    200, {"base_resp": {"status_code": 2013, "status_msg": "invalid params"}}
                )
            task = self.new_task(body)
            return Reply(200, {"task_id": task.id, "base_resp": _ok()})
        if name == "poll":
            task = self.tasks.get(query.get("task_id", [""])[0])
            if task is None:
                return Reply(
                    200, {"base_resp": {"status_code": 2013, "status_msg": "task not found"}}
                )
            phase = self.phase(task)
            status = {"queued": "Queueing", "running": "Processing"}.get(phase)
            if status is None:
                status = "Fail" if self.fail else "Success"
            answer: dict[str, Any] = {"task_id": task.id, "status": status, "base_resp": _ok()}
            if status == "Success":
                answer.update(
                    file_id=str(int(task.id[4:]) + 900000000), video_width=1280, video_height=720
                )
            return Reply(200, answer)
        if name == "retrieve":
            file_id = int(query.get("file_id", ["0"])[0])
            task_id = f"task{file_id - 900000000:06d}"
            return Reply(
                200,
                {
                    "file": {
                        "file_id": file_id,
                        "bytes": len(self.video),
                        "created_at": int(time.time()),
                        "filename": "output.mp4",
                        "purpose": "video_generation",
                        "download_url": self.video_url(task_id),
                    },
                    "base_resp": _ok(),
                },
            )
        return Reply(404, {"base_resp": {"status_code": 404, "status_msg": "not found"}})


class FakeReplicate(FakeServer):
    """Replicate: model predictions create (201), get, cancel; RFC 7807 errors."""

    output_list = False
    """Answer ``output`` as a list of URLs instead of one string."""

    def endpoint(self, method: str, path: str) -> str:
        if path.endswith("/cancel"):
            return "cancel"
        if path.startswith("/v1/models/") or (path == "/v1/predictions" and method == "POST"):
            return "submit"
        return "poll" if path.startswith("/v1/predictions/") else "other"

    def _prediction(self, task_id: str) -> dict[str, Any]:
        task = self.tasks[task_id]
        phase = self.phase(task)
        status = {"queued": "starting", "running": "processing", "canceled": "canceled"}.get(
            phase, "failed" if self.fail else "succeeded"
        )
        out: Any = None
        if status == "succeeded":
            url = self.video_url(task_id)
            out = [url] if self.output_list else url
        return {
            "id": task_id,
            "model": "minimax/video-01",
            "version": "dp-fake",
            "input": task.input.get("input"),
            "logs": "",
            "output": out,
            "error": "NSFW content detected in the output" if status == "failed" else None,
            "status": status,
            "created_at": "2026-11-25T00:00:00.000Z",
            "urls": {
                "get": f"{self.base_url}/v1/predictions/{task_id}",
                "cancel": f"{self.base_url}/v1/predictions/{task_id}/cancel",
            },
        }

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(
                401,
                {
                    "type": "about:blank",
                    "title": "Unauthenticated",
                    "detail": "You did not pass a valid authentication token",
                    "status": 401,
                },
            )
        name = self.endpoint(method, path)
        if name == "submit":
            if not isinstance(body, dict) or not isinstance(body.get("input"), dict):
                return Reply(
                    422, {"title": "Invalid input", "status": 422, "detail": "input is required"}
                )
            task = self.new_task(body)
            return Reply(201, self._prediction(task.id))
        task_id = path.split("/")[3] if path.count("/") >= 3 else ""
        if task_id not in self.tasks:
            return Reply(
                404,
                {
                    "title": "Not found",
                    "status": 404,
                    "detail": "The requested resource could not be found.",
                },
            )
        if name == "cancel":
            self.tasks[task_id].canceled = True
        return Reply(200, self._prediction(task_id))


class FakeFal(FakeServer):
    """fal queue: submit, status (202 until COMPLETED), result (errors here), cancel (PUT).

    With ``completed_error`` a failed request ends COMPLETED carrying ``error`` and
    ``error_type`` (fal_client 1.0.3 ``Completed``) and its result answers HTTP 500.
    """

    completed_error = False

    def endpoint(self, method: str, path: str) -> str:
        if "/requests/" not in path:
            return "submit" if method == "POST" else "other"
        if path.endswith("/status"):
            return "poll"
        return "cancel" if path.endswith("/cancel") else "result"

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        if headers.get("authorization") != f"Key {self.api_key}":
            return Reply(401, {"detail": "Unauthorized"})
        name = self.endpoint(method, path)
        if name == "submit":
            owner_app = "/".join(path.strip("/").split("/")[:2])  # the subpath is dropped
            task = self.new_task(body)
            root = f"{self.base_url}/{owner_app}/requests/{task.id}"
            return Reply(
                200,
                {
                    "status": "IN_QUEUE",
                    "request_id": task.id,
                    "response_url": root,
                    "status_url": f"{root}/status",
                    "cancel_url": f"{root}/cancel",
                    "queue_position": 0,
                },
            )
        task_id = path.split("/requests/")[1].split("/")[0]
        task = self.tasks.get(task_id)
        if task is None:
            return Reply(404, {"detail": "Request not found"})
        phase = self.phase(task)
        if name == "cancel":
            if phase == "queued":
                task.canceled = True
                return Reply(202, {"status": "CANCELLATION_REQUESTED"})
            return Reply(400, {"status": "ALREADY_COMPLETED"})
        if name == "poll":
            if phase == "queued":
                return Reply(202, {"status": "IN_QUEUE", "queue_position": 0})
            if phase == "running":
                return Reply(202, {"status": "IN_PROGRESS", "logs": []})
            done: dict[str, Any] = {"status": "COMPLETED", "logs": [], "metrics": {}}
            if self.completed_error:
                done.update(
                    error="Internal server error while running", error_type="runner_server_error"
                )
            return Reply(200, done)
        if phase in ("queued", "running"):
            return Reply(400, {"detail": "Request is still in progress"})
        if self.completed_error:
            return Reply(
                500, {"detail": "Internal server error", "error_type": "runner_server_error"}
            )
        if phase == "canceled" or self.fail:
            return Reply(
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "prompt"],
                            "type": "content_policy",
                            "msg": "The content could not be processed",
                        }
                    ]
                },
                {"X-Fal-Retryable": "false"},
            )
        return Reply(
            200,
            {
                "video": {
                    "url": self.video_url(task_id),
                    "content_type": "video/mp4",
                    "file_name": "output.mp4",
                    "file_size": len(self.video),
                }
            },
        )


FAKES: dict[str, type[FakeServer]] = {
    "minimax": FakeMiniMax,
    "replicate": FakeReplicate,
    "fal": FakeFal,
    "runway": FakeRunway,
    "luma": FakeLuma,
}


def main(argv: list[str] | None = None) -> None:
    """Serve one fake until Ctrl-C: ``python -m tests.providers.fakes minimax --latency 1``.

    Prints the environment to point filmfs at it (base URL and key variables).
    """
    import argparse
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("provider", choices=sorted(FAKES))
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per task")
    parser.add_argument("--fail", action="store_true", help="every task fails")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        video = sample_video(Path(tmp) / "sample.mp4")
        fake = FAKES[args.provider](video, latency=args.latency, fail=args.fail)
        with fake:
            key = {
                "minimax": "MINIMAX_API_KEY",
                "replicate": "REPLICATE_API_TOKEN",
                "fal": "FAL_KEY",
                "runway": "RUNWAYML_API_SECRET",
                "luma": "LUMAAI_API_KEY",
            }[args.provider]
            print(
                f"export FILMFS_{args.provider.upper()}_BASE_URL={fake.api_base} "
                f"{key}={fake.api_key}",
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()


if __name__ == "__main__":
    main()
