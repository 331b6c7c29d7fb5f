"""A local HTTP server (127.0.0.1 only) answering as a hostile case's expect.yaml says.

Routes map a path to ``status``, ``headers``, ``body`` (text) or ``body_size`` (that many
bytes), and ``cut_after`` (close the connection after that many body bytes while promising
``body_size``: a connection lost mid-download), ``no_length`` (no Content-Length: the size
is known only by reading). Every request's path is recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def serve(routes: dict[str, dict[str, Any]]) -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            route = routes.get(self.path.split("?", 1)[0])
            if route is None:
                self.send_error(404)
                return
            body = route.get("body", "").encode() or b"x" * int(route.get("body_size", 0))
            self.send_response(int(route.get("status", 200)))
            for key, value in route.get("headers", {}).items():
                self.send_header(key, value.replace("{server}", base))
            if not route.get("no_length"):  # else HTTP/1.0: the body ends when the server closes
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            cut = route.get("cut_after")
            try:
                self.wfile.write(body if cut is None else body[: int(cut)])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            if cut is not None:
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, hits
    finally:
        server.shutdown()
        server.server_close()
