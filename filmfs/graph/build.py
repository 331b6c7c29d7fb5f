"""How the film's parts become the graph's assets and relationships (see :mod:`filmfs.graph.model`).

One pass over the loaded value objects, in film order; nothing is read from disk.
"""

from __future__ import annotations

import gc
from typing import Any

from filmfs.film.model import Asset, Character, Film, Scene, Shot, Take, VideoRef
from filmfs.film.rate import rate_data
from filmfs.graph.model import Graph, Node, stable_id
from filmfs.project import Project


def build_graph(project: Project) -> Graph:
    """The relationship graph of a loaded (valid) film."""
    # The build allocates a few objects per node and edge and makes no reference cycles, so
    # the cyclic collector's passes over the (large) loaded project are pure overhead: on a
    # 10,000-shot film they were half the build time.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _Builder(project).run()
    finally:
        if paused:
            gc.enable()


class _Builder:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.graph = Graph()
        self.root = str(project.root)
        self.videos: dict[str, str] = {}  # sha256 -> node id
        self.pending_derived: list[tuple[str, tuple[str, ...]]] = []

    def rel(self, path: Any) -> str:
        # Paths are all below the root (the loader refuses others); slicing beats relpath.
        text = str(path)
        return text[len(self.root) + 1 :].replace("\\", "/") if text.startswith(self.root) else text

    def run(self) -> Graph:
        project, graph = self.project, self.graph
        film = project.film
        if film is None:
            return graph
        graph.film_id = self.film(film)
        assets = {aid: self.asset(a) for aid, a in project.assets.items()}
        chars = {cid: self.character(c) for cid, c in project.characters.items()}
        scenes = {number: self.scene(s) for number, s in project.scenes.items()}
        if film.soundtrack in assets:
            graph.link(graph.film_id, assets[film.soundtrack], "uses_audio")
        within: dict[int, int] = {}
        for order, shot in enumerate(project.shots.values(), start=1):
            shot_id = self.shot(shot)
            graph.link(graph.film_id, shot_id, "contains_shot", order)
            if shot.scene in scenes:
                within[shot.scene] = within.get(shot.scene, 0) + 1
                graph.link(scenes[shot.scene], shot_id, "contains_shot", within[shot.scene])
            for char_id in shot.characters:
                if char_id in chars:
                    graph.link(shot_id, chars[char_id], "uses_character")
            for audio in shot.audio:
                if audio in assets:
                    graph.link(shot_id, assets[audio], "uses_audio")
            for other in shot.assets:
                if other in assets:
                    graph.link(shot_id, assets[other], "uses_asset")
            for take in shot.takes:
                take_id = self.take(shot, take)
                graph.link(shot_id, take_id, "generation_attempt", take.attempt_number)
                if take.video is not None:
                    name = f"Shot {shot.shot_number} - Take {take.attempt_number} Video"
                    video_id = self.video(take.video, name, take.path)
                    graph.link(take_id, video_id, "generated_video")
        if film.final_edit is not None:
            final = self.video(film.final_edit, f"{film.title} - Final Edit", film.path)
            graph.link(graph.film_id, final, "final_edit")
        for ident, asset in project.assets.items():
            if asset.derived_from in assets:
                graph.link(assets[ident], assets[asset.derived_from], "derived_from")
            if asset.variant_of in assets:
                graph.link(assets[ident], assets[asset.variant_of], "variant_of")
            if asset.frame_of is not None:
                self.pending_derived.append((assets[ident], (asset.frame_of["video"],)))
        for ident, char in project.characters.items():
            if char.variant_of in chars:
                graph.link(chars[ident], chars[char.variant_of], "variant_of")
        for video_id, sources in self.pending_derived:
            for sha in sources:
                source = self.videos.get(sha) or self.stub_video(sha)
                graph.link(video_id, source, "derived_from")
        return graph

    # --- nodes ---------------------------------------------------------------------------
    def film(self, film: Film) -> str:
        source = self.rel(film.path)
        meta: dict[str, Any] = {
            "title": film.title,
            "synopsis": film.synopsis,
            "total_duration": film.total_duration,
            "status": film.status,
            "format": {
                "width": film.format.width,
                "height": film.format.height,
                "fps": rate_data(film.format.fps),
            },
        }
        return self.graph.add(
            Node(
                stable_id(source),
                "film",
                film.title,
                meta,
                source,
                "film",
                duration=film.total_duration,
            )
        )

    def scene(self, scene: Scene) -> str:
        source = self.rel(scene.path)
        meta = {
            "scene_number": scene.scene_number,
            "heading": scene.heading,
            "setting": scene.setting,
            "description": scene.description,
        }
        name = f"Scene {scene.scene_number}" + (f" - {scene.heading}" if scene.heading else "")
        return self.graph.add(
            Node(stable_id(source), "scene", name, meta, source, str(scene.scene_number))
        )

    def shot(self, shot: Shot) -> str:
        source = self.rel(shot.path)
        meta = {
            "shot_number": shot.shot_number,
            "scene": shot.scene,
            "description": shot.description,
            "camera_angle": shot.camera_angle,
            "duration_target": shot.duration_target,
            "prompt": shot.prompt,
            "status": shot.status,
        }
        name = f"Shot {shot.shot_number}" + (f" - {shot.description}" if shot.description else "")
        return self.graph.add(Node(stable_id(source), "shot", name, meta, source, shot.shot_number))

    def take(self, shot: Shot, take: Take) -> str:
        source = self.rel(take.path)
        meta = {
            "shot_number": shot.shot_number,
            "attempt_number": take.attempt_number,
            "selected": take.selected,
            "generation_params": take.generation_params.as_data(),
            "quality_score": take.quality_score,
            "director_notes": take.director_notes,
            "status": take.status,
            "created_at": take.created_at,
        }
        key = f"{shot.shot_number}/{take.attempt_number}"
        name = f"Shot {shot.shot_number} - Take {take.attempt_number}"
        return self.graph.add(
            Node(
                stable_id(source),
                "shot_take",
                name,
                meta,
                source,
                key,
                duration=take.video.duration if take.video else None,
                generation_cost=take.generation_cost,
            )
        )

    def video(self, video: VideoRef, name: str, holder: Any) -> str:
        if video.sha256 in self.videos:
            return self.videos[video.sha256]
        meta: dict[str, Any] = {
            "width": video.width,
            "height": video.height,
            "fps": rate_data(video.fps),
            "codec": video.codec,
            "format": video.format,
            "sha256": video.sha256,
            "size": video.size,
        }
        if video.has_audio is not None:
            meta["has_audio"] = video.has_audio
        node = Node(
            stable_id(f"video:{video.sha256}"),
            "video",
            name,
            meta,
            self.rel(holder),
            video.sha256,
            url=video.url,
            duration=video.duration,
        )
        self.videos[video.sha256] = self.graph.add(node)
        if video.derived_from:
            self.pending_derived.append((node.id, video.derived_from))
        for conformed, source in video.conformed.items():
            # A take re-encoded to the film's format for this cut: derived_from its source.
            target = self.videos.get(conformed) or self.stub_video(conformed)
            self.pending_derived.append((target, (source,)))
        return node.id

    def stub_video(self, sha: str) -> str:
        # A source video no manifest describes any more: keep the lineage, mark it unknown.
        node = Node(
            stable_id(f"video:{sha}"), "video", f"Video {sha[:12]}", {"sha256": sha}, "", sha
        )
        self.videos[sha] = self.graph.add(node)
        return node.id

    def character(self, char: Character) -> str:
        source = self.rel(char.path)
        meta = {
            "id": char.id,
            "description": char.description,
            "appearance": char.appearance,
            "references": list(char.references),
        }
        return self.graph.add(
            Node(stable_id(source), "character_ref", char.name, meta, source, char.id)
        )

    def asset(self, asset: Asset) -> str:
        source = self.rel(asset.path)
        meta: dict[str, Any] = {"id": asset.id, "description": asset.description}
        if asset.sha256:
            meta["sha256"] = asset.sha256
            meta["size"] = asset.size
        if asset.type == "audio":
            meta["volume"] = asset.volume
        if asset.width is not None:
            meta["width"], meta["height"] = asset.width, asset.height
        if asset.frame_of is not None:
            meta["frame_of"] = dict(asset.frame_of)
        node = Node(
            stable_id(source),
            asset.type,
            asset.name,
            meta,
            source,
            asset.id,
            url=asset.url,
            duration=asset.duration,
        )
        node_id = self.graph.add(node)
        if asset.sha256 and asset.type == "video":
            self.videos.setdefault(asset.sha256, node_id)
        return node_id
