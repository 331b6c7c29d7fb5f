"""The media layer: bytes outside Git, and the film made from them.

Pure library code over paths and small frozen dataclasses; nothing here reads manifests.

- ``store``: content-addressed store under ``<film>/.filmfs/`` (``MediaStore``).
- ``probe``: what a video is (``probe(path) -> VideoInfo``), via PyAV, no ffprobe needed;
  ``probe_cache`` remembers it by sha256.
- ``conform``: the one re-encode that brings a clip to the film's ``Format`` (a conformed copy).
- ``transition``, ``mix``: crossfades/fades, and soundtrack/per-clip audio beds.
- ``assembly``: ``assemble(clips, fmt, output, store=...) -> AssemblyResult``.
- ``slate``: placeholder clips for shots without a selected take.
- ``otio_export``: the cut as an OpenTimelineIO timeline, written by suffix.

Modules are imported one by one (no re-exports here) so the CLI does not pay for PyAV and
OpenTimelineIO on commands that never touch media.
"""
