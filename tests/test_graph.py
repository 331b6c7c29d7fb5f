"""The relationship graph built from the example film (with takes added)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

from filmfs.graph import model as graphs
from filmfs.graph.build import build_graph
from filmfs.graph.model import RELATIONSHIP_TYPES, stable_id
from filmfs.project import Project
from tests.conftest import write_take


def build(film: Path) -> graphs.Graph:
    project = Project.load(film)
    project.require_valid()
    return build_graph(project)


def test_contains_shot_in_film_order_and_per_scene(film_with_takes: Path) -> None:
    graph = build(film_with_takes)
    shots = graph.children(graph.film_id, "contains_shot", "shot")
    assert [s.key for s in shots] == ["01A", "01B", "01C", "02A", "02B", "02C", "02D"]
    scene2 = graph.find("scene", "2")
    assert scene2 is not None
    assert [s.key for s in graph.children(scene2.id, "contains_shot")] == [
        "02A",
        "02B",
        "02C",
        "02D",
    ]
    seqs = [e.sequence for e in graph.edges_from(scene2.id)]
    assert seqs == [1, 2, 3, 4]


def test_takes_videos_and_metadata(film_with_takes: Path) -> None:
    graph = build(film_with_takes)
    shot = graph.find("shot", "01A")
    assert shot is not None
    assert shot.metadata["duration_target"] == 4.0
    assert shot.metadata["camera_angle"] == "high-angle wide shot"
    takes = graph.children(shot.id, "generation_attempt", "shot_take")
    assert [t.metadata["attempt_number"] for t in takes] == [1, 2, 3]
    assert [t.metadata["selected"] for t in takes] == [False, True, False]
    assert takes[1].generation_cost == 0.75
    assert takes[1].metadata["quality_score"] == 8.5
    assert takes[1].metadata["generation_params"]["provider"] == "testcard"
    video = graph.children(takes[1].id, "generated_video", "video")
    assert len(video) == 1
    assert video[0].metadata == {
        "width": 1280,
        "height": 720,
        "fps": 24.0,
        "codec": "h264",
        "format": "mp4",
        "sha256": video[0].key,
        "size": 1002,
    }
    assert video[0].duration == 4.2
    assert graph.children(takes[2].id, "generated_video") == []
    assert graph.parents(video[0].id, "generated_video") == [takes[1]]


def test_characters_audio_soundtrack(film_with_takes: Path) -> None:
    graph = build(film_with_takes)
    shot = graph.find("shot", "01C")
    assert shot is not None
    assert [c.key for c in graph.children(shot.id, "uses_character")] == ["mira", "tomas"]
    rain = graph.find("audio", "rain-ambience")
    assert rain is not None
    assert [s.key for s in graph.parents(rain.id, "uses_audio", "shot")] == ["01A", "01B"]
    theme = graph.children(graph.film_id, "uses_audio", "audio")
    assert [a.key for a in theme] == ["harbour-theme"]


def test_ids_are_stable_and_path_based(film_with_takes: Path, tmp_path: Path) -> None:
    first = build(film_with_takes)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(film_with_takes, elsewhere)
    second = build(elsewhere)
    assert set(first.nodes) == set(second.nodes)
    shot = first.find("shot", "01A")
    assert shot is not None and shot.id == stable_id("shots/01A/shot.yaml")
    sha = hashlib.sha256(b"01A/2").hexdigest()
    video = first.find("video", sha)
    assert video is not None and video.id == stable_id(f"video:{sha}")


def test_lineage_edges(film_with_takes: Path) -> None:
    film = film_with_takes
    source = write_take(film, "02B", 1)
    take = film / "shots" / "02B" / "takes" / "002.yaml"
    write_take(film, "02B", 2, selected=True)
    data = yaml.safe_load(take.read_text())
    data["video"]["derived_from"] = [source, "f" * 64]
    take.write_text(yaml.safe_dump(data))
    for name, extra in (
        ("still", {}),
        ("still-warm", {"derived_from": "still", "variant_of": "still"}),
    ):
        body = {"id": name, "type": "image", "name": name, "url": f"https://x/{name}.png", **extra}
        (film / "assets" / f"{name}.yaml").write_text(yaml.safe_dump(body))
    (film / "characters" / "mira-old.yaml").write_text(
        yaml.safe_dump({"id": "mira-old", "name": "Old Mira", "variant_of": "mira"})
    )
    graph = build(film)
    edited = graph.find("video", hashlib.sha256(b"02B/2").hexdigest())
    assert edited is not None
    parents = graph.children(edited.id, "derived_from", "video")
    assert [p.key for p in parents] == [source, "f" * 64]
    assert parents[1].name.startswith("Video ffff")  # a source no manifest describes
    warm = graph.find("image", "still-warm")
    assert warm is not None
    assert [n.key for n in graph.children(warm.id, "derived_from")] == ["still"]
    assert [n.key for n in graph.children(warm.id, "variant_of")] == ["still"]
    old = graph.find("character_ref", "mira-old")
    assert old is not None
    assert [n.key for n in graph.children(old.id, "variant_of")] == ["mira"]
    assert {e.type for e in graph.edges} == set(RELATIONSHIP_TYPES) - {"final_edit", "uses_asset"}


def test_final_edit(film_with_takes: Path) -> None:
    path = film_with_takes / "film.yaml"
    data = yaml.safe_load(path.read_text())
    data["final_edit"] = {
        "sha256": "a" * 64,
        "size": 9,
        "duration": 31.0,
        "width": 1280,
        "height": 720,
        "fps": 24,
        "codec": "h264",
        "format": "mp4",
    }
    path.write_text(yaml.safe_dump(data))
    graph = build(film_with_takes)
    final = graph.children(graph.film_id, "final_edit", "video")
    assert [v.key for v in final] == ["a" * 64]
    assert final[0].source == "film.yaml"


def test_stable_id_is_uuid5() -> None:
    import uuid

    for key in ("film.yaml", "shots/01A/shot.yaml", "video:" + "a" * 64, "ünïcode"):
        assert stable_id(key) == str(uuid.uuid5(graphs.NAMESPACE, key))
