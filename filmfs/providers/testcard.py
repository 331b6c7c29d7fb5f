"""``testcard``: the built-in offline provider, and the default.

It renders, with ffmpeg, an H.264/AAC MP4 that shows the shot id, the attempt number and the
prompt over a test pattern whose colour, pattern and tone derive from the seed. Text is drawn
with filmfs' own bitmap font (``filmfs.providers.font``) and overlaid as an image, because the
ffmpeg in the imageio-ffmpeg wheel may lack ``drawtext``/freetype and a fresh machine may have
no font file. Output is byte-identical for the same inputs and the same ffmpeg build: bitexact
flags, no metadata, and a fixed encoder thread count (x264's output depends on it).

Images it is given are composited in, so the continuity flow shows offline: the first frame
fills the background behind the pattern and caption, the last frame sits in the bottom-right
corner, and the reference images line the bottom-left edge.
"""

from __future__ import annotations

import base64
import binascii
import colorsys
import hashlib
import json
import shutil
import tempfile
import textwrap
import unicodedata
import uuid
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from filmfs.errors import ProviderError
from filmfs.media.conform import fit, video_timing
from filmfs.media.ffmpeg import Stream, builder, command, run_ffmpeg
from filmfs.providers.base import GenerationRequest, Job, JobStatus
from filmfs.providers.font import GLYPH_H, GLYPH_W, render_lines
from filmfs.providers.video import check_video

PATTERNS = ("testsrc2", "testsrc", "smptehdbars", "rgbtestsrc")
ENCODER_THREADS = 4  # fixed, so the bytes do not depend on the machine's core count


def derive_seed(request: GenerationRequest, model: str) -> int:
    """The request's seed, or a stable one derived from prompt, params and model."""
    if request.seed is not None:
        return request.seed
    blob = json.dumps(
        [request.prompt, request.negative_prompt, dict(request.params), model],
        sort_keys=True,
        default=str,
    )
    return int.from_bytes(hashlib.sha256(blob.encode()).digest()[:4], "big")


def _sent(request: GenerationRequest) -> list[str]:
    """A caption line naming the images the card was given, when there are any."""
    parts = [
        name
        for name, given in (
            ("FIRST FRAME", request.first_frame),
            ("LAST FRAME", request.last_frame),
        )
        if given
    ]
    if request.reference_images:
        parts.append(f"{len(request.reference_images)} REF")
    return [" + ".join(parts)] if parts else []


def _caption(request: GenerationRequest, model: str, seed: int, cols: int, rows: int) -> list[str]:
    head = [
        f"SHOT {request.shot_id}  TAKE {request.attempt_number}",
        f"{model}  SEED {seed}  {request.duration:g}S",
        *_sent(request),
        "",
    ]
    # The bitmap font is ASCII: fold accents away ("é" -> "e") rather than show "?".
    ascii_prompt = unicodedata.normalize("NFKD", request.prompt)
    ascii_prompt = "".join(ch for ch in ascii_prompt if not unicodedata.combining(ch))
    body = textwrap.wrap(ascii_prompt, width=cols) or ["(NO PROMPT)"]
    room = max(rows - len(head), 1)
    if len(body) > room:
        body = [*body[: room - 1], body[room - 1][: cols - 3] + "..."]
    return [line[:cols] for line in head + body][:rows]


def _write_pam(path: Path, width: int, height: int, rgba: bytes) -> None:
    header = (
        f"P7\nWIDTH {width}\nHEIGHT {height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"
    )
    path.write_bytes(header.encode("ascii") + rgba)


def _decode(uri: str, folder: Path, name: str) -> Path:
    """A ``data:`` URI's bytes as a file ffmpeg can read."""
    head, _, body = uri.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise ProviderError(
            f"{name}: testcard takes images as base64 data URIs", provider="testcard"
        )
    path = folder / f"{name}.img"
    try:
        path.write_bytes(base64.b64decode(body, validate=True))
    except (binascii.Error, ValueError):
        raise ProviderError(f"{name}: not valid base64", provider="testcard") from None
    return path


def _with_images(
    request: GenerationRequest, card: Stream, folder: Path, w: int, h: int, pad: int
) -> Stream:
    """The finished card with the request's last frame (bottom right) and reference images
    (bottom left) laid over it as thumbnails, in the encoder's pixel format."""
    tw, th = (w // 6) & ~1, (h // 6) & ~1
    placed: list[tuple[Path, dict[str, str]]] = []
    if request.last_frame:
        last = _decode(request.last_frame, folder, "last")
        placed.append((last, {"x": f"W-w-{pad}", "y": f"H-h-{pad}"}))
    for n, ref in enumerate(request.reference_images[:4]):
        where = {"x": f"{pad + n * (tw + pad)}", "y": f"H-h-{pad}"}
        placed.append((_decode(ref, folder, f"ref{n}"), where))
    for still, where in placed:
        thumbnail = fit(builder().input(str(still)).video, tw, th)
        card = card.overlay(thumbnail, **where)
    return card.filter("format", "yuv420p")


def _background(
    request: GenerationRequest, colour: str, folder: Path, w: int, h: int, options: str
) -> Stream:
    """The card's background: its colour, with the request's first frame fitted over it."""
    ff = builder()
    # bitexact on the first input too: the container is written without its version tag.
    background = ff.input(f"color=c={colour}:s={w}x{h}:{options}", f="lavfi", fflags="+bitexact")
    if not request.first_frame:
        return background.video
    first = ff.input(str(_decode(request.first_frame, folder, "first"))).video
    return background.video.overlay(fit(first, w, h), x=0, y=0)


def render(request: GenerationRequest, dest: Path, *, model: str) -> None:
    """Render the test card for ``request`` to ``dest`` (an .mp4 path)."""
    w, h = request.width, request.height
    if w <= 0 or h <= 0 or w % 2 or h % 2:
        raise ProviderError(
            f"width and height must be positive and even for H.264, got {w}x{h}",
            provider="testcard",
        )
    if request.duration <= 0 or request.fps <= 0:
        raise ProviderError("duration and fps must be positive", provider="testcard")
    seed = derive_seed(request, model)
    rate = Fraction(request.fps)
    fps = str(rate)
    # Whole frames at the exact rate, so the sound can be cut to the picture's length.
    frames = max(round(request.duration * rate), 1)
    dur = f"{float(frames / rate):.6f}"
    r, g, b = colorsys.hsv_to_rgb((seed % 360) / 360, 0.55, 0.45)
    colour = f"0x{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    pattern = str(request.params.get("pattern", PATTERNS[(seed >> 9) % len(PATTERNS)]))
    if pattern not in PATTERNS:
        raise ProviderError(
            f"unknown test pattern {pattern!r}; choose one of {', '.join(PATTERNS)}",
            provider="testcard",
        )
    tone = 220 + (seed % 661)  # 220..880 Hz
    inset_w, inset_h = (w // 4) & ~1, (h // 4) & ~1
    pad = max(h // 40, 2)
    scale = max(1, h // 180)
    cols = max((w - 2 * pad) // ((GLYPH_W + 1) * scale) - 1, 8)
    rows = max((h - inset_h - 3 * pad) // ((GLYPH_H + 2) * scale), 1)
    lines = _caption(request, model, seed, cols, rows)
    with tempfile.TemporaryDirectory(prefix="filmfs-testcard-") as tmp:
        text = Path(tmp) / "text.pam"
        _write_pam(text, *render_lines(lines, cols=cols))
        ff = builder()
        timing = f"r={fps}:d={dur}"
        background = _background(request, colour, Path(tmp), w, h, timing)
        inset = ff.input(f"{pattern}=s={inset_w}x{inset_h}:{timing}", f="lavfi").video
        caption = ff.input(str(text)).video.filter(
            "scale", f"iw*{scale}", f"ih*{scale}", flags="neighbor"
        )
        card = background.overlay(inset, x=f"W-w-{pad}", y=pad).overlay(
            caption, x=pad, y=inset_h + 2 * pad
        )
        card = _with_images(request, card, Path(tmp), w, h, pad)
        tone_input = ff.input(f"sine=f={tone}:sample_rate=48000:d={dur}", f="lavfi")
        output = ff.output(
            card,
            tone_input.audio,
            str(dest),
            **{
                "frames:v": frames, "t": dur,
                "c:v": "libx264", "preset": "veryfast", "crf": 28, "bf": 0,
                "pix_fmt": "yuv420p", "threads:v": ENCODER_THREADS,
                # The film's exact rate and track time base: a take joins the cut by copy.
                "r": fps, **video_timing(rate),
                "c:a": "aac", "b:a": "96k", "ac": 2,
                "flags:v": "+bitexact", "flags:a": "+bitexact", "fflags": "+bitexact",
                "map_metadata": -1, "map_chapters": -1,
                "movflags": "+faststart",
            },
        )  # fmt: skip
        run_ffmpeg(command(output), what=f"testcard render of shot {request.shot_id}", timeout=120)


class TestcardProvider:
    """Offline provider: a deterministic test card video; always configured, costs nothing."""

    __test__ = False  # its name starts with "Test": keep pytest from collecting it

    name = "testcard"
    default_model = "testcard-1"
    description = "Offline test card rendered with ffmpeg (no network, no key)"

    def __init__(self, workdir: Path | None = None) -> None:
        self._workdir = workdir

    def configured(self) -> tuple[bool, str]:
        return True, ""

    def submit(self, request: GenerationRequest) -> Job:
        model = request.model or self.default_model
        task_id = uuid.uuid4().hex
        out = Path(tempfile.mkdtemp(prefix="filmfs-take-", dir=self._workdir)) / "take.mp4"
        try:
            render(request, out, model=model)
        except BaseException:
            shutil.rmtree(out.parent, ignore_errors=True)
            raise
        return Job(provider=self.name, task_id=task_id, model=model, data={"path": str(out)})

    def poll(self, job: Job) -> JobStatus:
        path = Path(str(job.data.get("path", "")))
        if not path.is_file():
            return JobStatus("failed", detail=f"rendered file {path} is gone")
        return JobStatus("succeeded", result_url=path.as_uri())

    def fetch(self, job: Job, status: JobStatus, dest: Path, *, max_bytes: int) -> None:
        src = Path(str(job.data["path"]))
        size = src.stat().st_size
        if size > max_bytes:
            raise ProviderError(
                f"rendered video is {size} bytes, over the limit of {max_bytes}",
                provider=self.name,
            )
        shutil.copyfile(src, dest)
        check_video(dest, provider=self.name)
        shutil.rmtree(src.parent, ignore_errors=True)

    def cancel(self, job: Job) -> None:
        shutil.rmtree(Path(str(job.data.get("path", ""))).parent, ignore_errors=True)

    def cost(self, request: GenerationRequest, job: Job) -> Decimal | None:
        return Decimal(0)
