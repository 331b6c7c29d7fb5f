"""Fake Runway and Luma servers (re-exported by ``fakes``)."""

from __future__ import annotations

from typing import Any

from tests.providers.fakeserver import FakeServer, Reply


class FakeRunway(FakeServer):
    """Runway: text_to_video / image_to_video create, tasks get and delete.

    Like the real API: ``estimatedCost`` on create and on unfinished tasks, the final ``cost``
    (credits) on terminal ones; ``gen4_turbo`` only at image_to_video; gen4.5's text_to_video
    takes only 1280:720 and 720:1280.
    """

    credits_per_second = 10

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
            refused = self._refused(path, body)
            if refused:
                return Reply(400, {"error": refused})
            estimate = self.credits_per_second * int(body.get("duration") or 5)
            return Reply(
                200, {"id": self.new_task(body).id, "estimatedCost": {"credits": estimate}}
            )
        task = self.tasks.get(path.rsplit("/", 1)[-1])
        if task is None:
            return Reply(404, {"error": "Task not found"})
        if name == "cancel":
            task.canceled = True
            return Reply(204, b"")
        phase = self.phase(task)
        answer: dict[str, Any] = {"id": task.id, "createdAt": "2026-11-25T00:00:00.000Z"}
        credits = self.credits_per_second * int(task.input.get("duration") or 5)
        if phase == "queued":
            answer.update(status="PENDING", estimatedCost={"credits": credits})
        elif phase == "running":
            answer.update(status="RUNNING", progress=0.5, estimatedCost={"credits": credits})
        elif phase == "canceled":
            answer.update(status="CANCELLED", cost={"credits": 0})
        elif self.fail:
            answer.update(
                status="FAILED",
                failure="Prompt flagged by moderation",
                failureCode="SAFETY.INPUT.TEXT",
                cost={"credits": 0},
            )
        else:
            answer.update(
                status="SUCCEEDED", output=[self.video_url(task.id)], cost={"credits": credits}
            )
        return Reply(200, answer)

    @staticmethod
    def _refused(path: str, body: dict[str, Any]) -> str | None:
        """The 400s the real API gives for a model at the wrong endpoint or ratio."""
        model = body.get("model")
        if path == "/v1/text_to_video" and model == "gen4_turbo":
            return "Validation of body failed: model gen4_turbo is not a text_to_video model"
        t2v_ratios = ("1280:720", "720:1280")
        if (
            path == "/v1/text_to_video"
            and model == "gen4.5"
            and body.get("ratio") not in t2v_ratios
        ):
            return f"Validation of body failed: ratio {body.get('ratio')} is invalid"
        return None


class FakeLuma(FakeServer):
    """Luma Dream Machine: generations create (201), get and delete, under /dream-machine/v1."""

    prefix = "/dream-machine/v1"

    @property
    def api_base(self) -> str:
        return self.base_url + self.prefix

    def endpoint(self, method: str, path: str) -> str:
        if path == f"{self.prefix}/generations/video":
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
