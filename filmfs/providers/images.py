"""The images a generation sends, made ready for the provider: first and last frames and the
characters' reference images, in the form the model's capability data asks for.

Each image comes from the media store, hash-checked as it is read: an image asset's object,
or the first or last frame of the neighbouring shot's selected take (made once, see
:mod:`filmfs.media.frames`). Providers that take images inline get a ``data:`` URI (MiniMax,
Runway, and Replicate and fal, which accept data URIs for files this small); a model that
takes images only by URL gets the asset's own ``https`` URL, and a clear refusal when there is
none. An image the model does not take is not sent (pre-flight has refused the shot already,
unless the film lets filmfs drop such inputs).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from filmfs.errors import FilmfsError
from filmfs.film.inputs import Image, images
from filmfs.film.model import Shot
from filmfs.media.frames import video_frame
from filmfs.media.still import probe_still
from filmfs.project import Project
from filmfs.providers.capabilities import ModelCaps

MIME = {"png": "image/png", "mjpeg": "image/jpeg", "webp": "image/webp", "bmp": "image/bmp"}
MAX_INLINE_BYTES = 10 * 1024 * 1024  # under every service's inline limit (MiniMax: 20 MB)


@dataclass(frozen=True)
class SentImage:
    """One image as sent: its role, the sha256 of the bytes sent, and the value for the API."""

    image: Image
    sha256: str
    value: str

    def as_data(self) -> dict[str, Any]:
        """The take's record of it (``inputs.images``)."""
        data: dict[str, Any] = {"role": self.image.role, "sha256": self.sha256}
        for key in ("asset", "shot", "frame"):
            value = getattr(self.image, key)
            if value is not None:
                data[key] = value
        return data


def _wanted(image: Image, caps: ModelCaps, references: int) -> bool:
    if image.role == "first_frame":
        return caps.first_frame
    if image.role == "last_frame":
        return caps.last_frame
    return references < caps.reference_images


def _object(project: Project, shot: Shot, image: Image) -> str:
    """The sha256 of the stored image for ``image``."""
    where = f"{shot.shot_number}'s {image.role.replace('_', ' ')}"
    if image.asset is not None:
        asset = project.assets.get(image.asset)
        if asset is None or asset.sha256 is None:
            raise FilmfsError(
                f"{where}: image {image.asset} has no media in the store",
                hint=f"store it with `filmfs add-asset {image.asset} FILE --type image` "
                "or `filmfs pull`",
            )
        return asset.sha256
    other = project.shots.get(image.shot or "")
    take = other.selected_take if other is not None else None
    if take is None or take.video is None or image.frame is None:
        raise FilmfsError(
            f"{where} chains to shot {image.shot or '(none)'}, which has no selected take",
            hint=f"generate and select a take of {image.shot} first" if image.shot else None,
        )
    store = project.store
    store.verified_path(take.video.sha256, what=f"the selected take of {image.shot}")
    return video_frame(store, take.video.sha256, image.frame, duration=take.video.duration).sha256


def _value(project: Project, image: Image, sha256: str, caps: ModelCaps) -> str:
    if caps.image_transport == "url":
        asset = project.assets.get(image.asset or "")
        url = asset.url if asset is not None else None
        if not url or not url.startswith("https://"):
            raise FilmfsError(
                f"{caps.provider}/{caps.model} takes images by https URL only, and "
                f"{image.label} has none",
                hint="give the image asset an https `url:` where the service can fetch it",
            )
        return url
    path = project.store.verified_path(sha256, what=image.label)
    if path.stat().st_size > MAX_INLINE_BYTES:
        raise FilmfsError(
            f"{image.label} is over {MAX_INLINE_BYTES // 2**20} MB; send a smaller image"
        )
    mime = MIME.get(probe_still(path).codec, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def prepare(project: Project, shot: Shot, caps: ModelCaps) -> list[SentImage]:
    """The images ``shot`` sends to ``caps``'s model, ready for its request."""
    sent: list[SentImage] = []
    references = 0
    for image in images(project, shot):
        if not _wanted(image, caps, references):
            continue
        references += image.role == "reference"
        sha = _object(project, shot, image)
        sent.append(SentImage(image, sha, _value(project, image, sha, caps)))
    return sent


def by_role(sent: Sequence[SentImage], role: str) -> list[str]:
    return [s.value for s in sent if s.image.role == role]
