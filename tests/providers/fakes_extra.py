"""Fake Runway and Luma servers (re-exported by ``fakes``)."""

from __future__ import annotations

from typing import Any

from tests.providers.fakeserver import FakeServer, Reply


class FakeRunway(FakeServer):
    """Runway: text_to_video / image_to_video create, tasks get and delete."""

    def endpoint(self, method: str, path: str) -> str:
        if path in ("/v1/text_to_video", "/v1/image_to_video"):
            return "submit"
        if path.startswith("/v1/tasks/"):
            return "cancel" if method == "DELETE" else "poll"
        return "other"

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(401, {"error": "Unauthorized"})
        if headers.get("x-runway-version") != "2024-11-06":
            return Reply(400, {"error": "Invalid or missing X-Runway-Version header"})
        name = self.endpoint(method, path)
        if name == "submit":
            if not isinstance(body, dict) or not body.get("promptText") or not body.get("ratio"):
                return Reply(400, {"error": "promptText and ratio are required"})
            return Reply(200, {"id": self.new_task(body).id})
        task = self.tasks.get(path.rsplit("/", 1)[-1])
        if task is None:
            return Reply(404, {"error": "Task not found"})
        if name == "cancel":
            task.canceled = True
            return Reply(204, b"")
        phase = self.phase(task)
        answer: dict[str, Any] = {"id": task.id, "createdAt": "2026-11-25T00:00:00.000Z"}
        if phase == "queued":
            answer["status"] = "PENDING"
        elif phase == "running":
            answer.update(status="RUNNING", progress=0.5)
        elif phase == "canceled":
            answer["status"] = "CANCELLED"
        elif self.fail:
            answer.update(
                status="FAILED",
                failure="Prompt flagged by moderation",
                failureCode="SAFETY.INPUT.TEXT",
            )
        else:
            answer.update(status="SUCCEEDED", output=[self.video_url(task.id)])
        return Reply(200, answer)


class FakeLuma(FakeServer):
    """Luma Dream Machine: generations create (201), get and delete, under /dream-machine/v1."""

    prefix = "/dream-machine/v1"

    @property
    def api_base(self) -> str:
        return self.base_url + self.prefix

    def endpoint(self, method: str, path: str) -> str:
        if path == f"{self.prefix}/generations":
            return "submit" if method == "POST" else "other"
        if path.startswith(f"{self.prefix}/generations/"):
            return "cancel" if method == "DELETE" else "poll"
        return "other"

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(401, {"detail": "Invalid API key"})
        name = self.endpoint(method, path)
        if name == "submit":
            if not isinstance(body, dict) or not body.get("prompt"):
                return Reply(400, {"detail": "prompt is required"})
            task = self.new_task(body)
            return Reply(201, self._generation(task.id))
        if path.rsplit("/", 1)[-1] not in self.tasks:
            return Reply(404, {"detail": "Generation not found"})
        task_id = path.rsplit("/", 1)[-1]
        if name == "cancel":
            self.tasks[task_id].canceled = True
            return Reply(204, b"")
        return Reply(200, self._generation(task_id))

    def _generation(self, task_id: str) -> dict[str, Any]:
        task = self.tasks[task_id]
        phase = self.phase(task)
        state = {"queued": "queued", "running": "dreaming"}.get(
            phase, "failed" if self.fail or phase == "canceled" else "completed"
        )
        return {
            "id": task_id,
            "generation_type": "video",
            "state": state,
            "failure_reason": "Prompt not allowed" if state == "failed" else None,
            "created_at": "2026-11-25T00:00:00.000Z",
            "model": task.input.get("model"),
            "assets": {"video": self.video_url(task_id)} if state == "completed" else None,
            "request": task.input,
        }
