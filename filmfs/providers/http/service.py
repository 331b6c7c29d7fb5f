"""What the HTTP providers share: key and base URL from the environment, the configured check.

The key is read from the environment each time it is needed (not at import), so a provider
built by the registry sees a key exported later, and tests can pass their own ``env``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from filmfs.errors import ProviderError, ProviderNotConfigured
from filmfs.providers import capabilities, redact
from filmfs.providers.base import GenerationRequest, Job, JobStatus, State
from filmfs.providers.capabilities import ModelCaps
from filmfs.providers.http.download import download
from filmfs.providers.http.transport import Api, Response
from filmfs.providers.preflight import Fit, Plan, plan

LENIENT = Fit(duration="nearest", ratio="pad", prompt="truncate", inputs="drop")
"""Providers fit what reaches them (pre-flight has already refused what the film forbids)."""


class HttpService:
    """Base of the HTTP providers. Subclasses set the class attributes and auth header."""

    name: str
    default_model: str
    description: str
    key_env: str
    base_env: str
    default_base: str
    signup: str = ""
    """Where to get a key, for the not-configured hint."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        download_timeout: float = 120.0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._env = os.environ if env is None else env
        self._api_key = api_key
        redact.add_secret(api_key)
        redact.add_secret(self._env.get(self.key_env))
        self.base_url = (base_url or self._env.get(self.base_env) or self.default_base).rstrip("/")
        self.timeout = timeout
        self.download_timeout = download_timeout

    def _key(self) -> str | None:
        return self._api_key or self._env.get(self.key_env) or None

    def configured(self) -> tuple[bool, str]:
        """True when the API key environment variable is set; else says which one."""
        if self._key():
            return True, ""
        return False, f"{self.key_env} is not set"

    def redact(self, text: str) -> str:
        """``text`` through the one redaction point (keys, URL userinfo, query strings)."""
        return redact.scrub(text)

    def created_id(self, resp: Response, what: str) -> str:
        """The ``id`` of what a create call made; an answer without one is an error."""
        ident = str(resp.body.get("id") or "") if isinstance(resp.body, dict) else ""
        if not ident:
            raise ProviderError(
                f"{what}: answer has no id", provider=self.name, url=resp.url, status=resp.status
            )
        return ident

    def state_of(self, raw: str, states: Mapping[str, State], what: str, url: str) -> State:
        """Our state for the provider's status text; an unknown one is an error, not a guess."""
        state = states.get(raw)
        if state is None:
            raise ProviderError(f"unknown {what} {raw!r}", provider=self.name, url=url)
        return state

    def caps(self, model: str) -> ModelCaps:
        """What ``model`` accepts (capabilities.yaml; conservative for an unknown model)."""
        return capabilities.for_provider(self.name).model(model)

    def shape(self, request: GenerationRequest, model: str) -> Plan:
        """What this request becomes for ``model``: only inputs it takes, fitted leniently."""
        return plan(
            self.caps(model),
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            seed=request.seed,
            seed_chosen=False,
            duration=request.duration,
            width=request.width,
            height=request.height,
            fit=LENIENT,
            first_frame=request.first_frame is not None,
            last_frame=request.last_frame is not None,
            reference_images=len(request.reference_images),
            audio=request.audio,
        )

    @staticmethod
    def image_inputs(
        request: GenerationRequest, caps: ModelCaps, *, first: str, last: str
    ) -> dict[str, Any]:
        """The request's images the model takes, under its field names (``first`` and
        ``last``: the service's names when the model's capabilities give none); up to the
        model's count of reference images, a list when it takes more than one."""
        inputs: dict[str, Any] = {}
        if request.first_frame and caps.first_frame:
            inputs[caps.first_frame_field or first] = request.first_frame
        if request.last_frame and caps.last_frame:
            inputs[caps.last_frame_field or last] = request.last_frame
        if request.reference_images and caps.reference_images and caps.reference_field:
            refs = list(request.reference_images[: caps.reference_images])
            inputs[caps.reference_field] = refs if caps.reference_images > 1 else refs[0]
        return inputs

    @staticmethod
    def sent(body: dict[str, Any], *images: str) -> dict[str, Any]:
        """What a create body sent besides the prompt and the images, for the take's record."""
        skip = {"prompt", "promptText", *images}
        return {k: v for k, v in body.items() if k not in skip}

    def cost(self, request: GenerationRequest, job: Job) -> Decimal | None:
        """Estimated USD from the model's price formula; None when it has none."""
        return self.shape(request, job.model).estimate

    def fetch(self, job: Job, status: JobStatus, dest: Path, *, max_bytes: int) -> None:
        """Download the finished video from ``status.result_url`` to ``dest``.

        The providers hand out CDN or signed URLs: no auth header is sent there, so the key
        never reaches another host.
        """
        if not status.result_url:
            raise ProviderError("the finished task has no video URL to fetch", provider=self.name)
        download(
            status.result_url,
            dest,
            provider=self.name,
            max_bytes=max_bytes,
            timeout=self.download_timeout,
        )

    def auth_header(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def api(self) -> Api:
        """A client with the auth header; raises ProviderNotConfigured without a key."""
        key = self._key()
        if not key:
            where = f" (get one at {self.signup})" if self.signup else ""
            raise ProviderNotConfigured(
                f"{self.name}: no API key: the environment variable {self.key_env} is not set",
                hint=f"export {self.key_env}=...{where}, or use the offline provider `testcard`",
            )
        headers = {**self.auth_header(key), "Content-Type": "application/json"}
        return Api(
            provider=self.name,
            headers=headers,
            secret=key,
            timeout=self.timeout,
        )
