"""The machinery under the fake provider servers (see ``fakes.py``).

Each task is queued for the first half of ``latency`` seconds, running for the second half,
then done; tasks are independent, so many can run at once. Faults are scripted per endpoint
with :meth:`FakeServer.script` (served first, in order), and ``download_mode`` breaks the
video download (``truncate``, ``html``, ``json``). Every request is recorded in ``requests``.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from filmfs.providers.base import GenerationRequest
from filmfs.providers.testcard import render

API_KEY = "sk-fake-SECRET-0123456789"


def sample_video(path: Path) -> Path:
    """Render a small real MP4 (160x90, 2 s) for the fakes to serve."""
    request = GenerationRequest(
        shot_id="FAKE",
        attempt_number=1,
        prompt="fake provider output",
        duration=2.0,  # longer than the example film's 1 s crossfade (validate's cut rules)
        width=160,
        height=90,
        fps=12,
        seed=7,
    )
    render(request, path, model="fake")
    return path


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-request (tests cancel and time out on purpose) is normal.
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    """A scripted answer: status, JSON (or raw bytes) body and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Task:
    id: str
    created: float
    input: Any
    canceled: bool = False


class FakeServer:
    """Base: a threaded HTTP server on 127.0.0.1 with scripted faults and a task table."""

    def __init__(
        self,
        video: Path,
        *,
        latency: float = 0.0,
        fail: bool = False,
        api_key: str = API_KEY,
        delay: dict[str, float] | None = None,
    ) -> None:
        self.video = video.read_bytes()
        self.id_prefix = ""
        """Put before every task id (a hostile server can put the key there)."""
        self.delay = dict(delay or {})
        """Seconds to wait before answering, per endpoint (``submit``): a slow service."""
        self.latency = latency
        self.fail = fail
        """When true, every task ends in the provider's failure shape."""
        self.api_key = api_key
        self.download_mode = "ok"
        self.requests: list[Recorded] = []
        self.tasks: dict[str, Task] = {}
        self._faults: dict[str, deque[Reply]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread: threading.Thread | None = None

    # -- life cycle --------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_base(self) -> str:
        """The base URL a provider client is given (Luma's includes a path)."""
        return self.base_url

    def start(self) -> FakeServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting ---------------------------------------------------------------------
    def script(self, endpoint: str, *replies: Reply) -> None:
        """Serve ``replies`` (in order) to the next requests on ``endpoint``."""
        with self._lock:
            self._faults.setdefault(endpoint, deque()).extend(replies)

    def calls(self, endpoint_prefix: str, method: str | None = None) -> list[Recorded]:
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path.startswith(endpoint_prefix) and (method is None or r.method == method)
            ]

    def new_task(self, body: Any) -> Task:
        with self._lock:
            task = Task(f"{self.id_prefix}task{next(self._ids):06d}", time.monotonic(), body)
            self.tasks[task.id] = task
        return task

    def phase(self, task: Task) -> str:
        """queued, running, done or canceled, from the time since the task was created."""
        if task.canceled:
            return "canceled"
        age = time.monotonic() - task.created
        if age < self.latency / 2:
            return "queued"
        return "running" if age < self.latency else "done"

    def video_url(self, task_id: str) -> str:
        return f"{self.base_url}/files/{task_id}.mp4?token=signed-download-token"

    # -- to override -------------------------------------------------------------------
    def endpoint(self, method: str, path: str) -> str:
        raise NotImplementedError

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        raise NotImplementedError

    # -- plumbing ----------------------------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                query = parse_qs(parts.query)
                with fake._lock:
                    fake.requests.append(Recorded(self.command, parts.path, query, headers, body))
                if parts.path.startswith("/files/"):
                    self._download()
                    return
                name = fake.endpoint(self.command, parts.path)
                if fake.delay.get(name):
                    time.sleep(fake.delay[name])
                with fake._lock:
                    queue = fake._faults.get(name)
                    reply = queue.popleft() if queue else None
                if reply is None:
                    reply = fake.handle(self.command, parts.path, query, body, headers)
                self._send(reply)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def _send(self, reply: Reply) -> None:
                if isinstance(reply.body, bytes):
                    data, ctype = reply.body, "application/octet-stream"
                else:
                    data, ctype = json.dumps(reply.body).encode(), "application/json"
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.headers.get("Content-Type", ctype))
                for k, v in reply.headers.items():
                    if k != "Content-Type":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _download(self) -> None:
                with fake._lock:
                    queue = fake._faults.get("download")
                    reply = queue.popleft() if queue else None
                if reply is not None:
                    self._send(reply)
                    return
                mode = fake.download_mode
                if mode == "html":
                    self._send(
                        Reply(
                            200,
                            b"<!DOCTYPE html><html><body>Access denied</body></html>",
                            {"Content-Type": "text/html"},
                        )
                    )
                    return
                if mode == "json":
                    self._send(Reply(200, {"error": "link expired"}))
                    return
                data = fake.video
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if mode == "truncate":
                    # Promise the whole file, send half, then hang up.
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(data)

        return Handler
