"""Targets for the registry's entry-point tests: one good plugin and some broken ones."""

from __future__ import annotations

from pathlib import Path

from filmfs.providers.base import GenerationRequest, Job, JobStatus


class EchoProvider:
    """A minimal third-party provider."""

    name = "echo"
    default_model = "echo-1"
    description = "Sample plugin"

    def configured(self) -> tuple[bool, str]:
        return False, "ECHO_TOKEN is not set"

    def submit(self, request: GenerationRequest) -> Job:
        return Job(provider=self.name, task_id="1", model=self.default_model)

    def poll(self, job: Job) -> JobStatus:
        return JobStatus("succeeded")

    def fetch(self, job: Job, status: JobStatus, dest: Path, *, max_bytes: int) -> None:
        dest.write_bytes(b"")

    def cancel(self, job: Job) -> None:
        pass

    def cost(self, request: GenerationRequest, job: Job) -> float | None:
        return None


class NotAProvider:
    """Has a name but none of the methods."""

    name = "nope"


def exploding_factory() -> EchoProvider:
    raise RuntimeError("plugin setup failed")


NOT_CALLABLE = 42
