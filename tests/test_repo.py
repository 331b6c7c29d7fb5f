"""The Python API: the shot-film model's "Shot Lifecycle Example", transcribed (sync)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import filmfs
from filmfs.errors import FilmfsError
from filmfs.project import Project


def _video(n: int) -> dict[str, object]:
    # Literal probe values: the media is not in the store, which validate only warns about.
    return {
        "sha256": hashlib.sha256(f"video{n}".encode()).hexdigest(),
        "size": 123_456,
        "width": 1920,
        "height": 1080,
        "fps": 24,
        "codec": "h264",
        "format": "mp4",
    }


def test_shot_lifecycle_example(example_copy: Path) -> None:
    repo = filmfs.open(example_copy)
    hero_character_id = repo.find("character_ref", "mira")

    # 1. Create shot with description (zero shot)
    shot_id = repo.create_asset(
        workspace_id="ws-123",
        asset_type="shot",
        name="Shot 01D - Hero Entrance",
        metadata={
            "shot_number": "01D",
            "description": "Hero walks into sunset",
            "camera_angle": "wide shot",
            "duration_target": 5.0,
            "prompt": "cinematic wide shot...",
        },
    )
    assert (example_copy / "shots" / "01D" / "shot.yaml").is_file()

    # 2. Link character to shot
    repo.create_relationship(
        parent_asset_id=shot_id,
        child_asset_id=hero_character_id,
        relationship_type="uses_character",
    )

    # 3. First generation attempt
    take1_id = repo.create_asset(
        workspace_id="ws-123",
        asset_type="shot_take",
        name="Shot 01D - Take 1",
        metadata={
            "attempt_number": 1,
            "selected": False,
            "generation_params": {"provider": "minimax", "model": "video-01", "seed": 12345},
        },
        generation_cost=0.50,
    )
    video1_id = repo.create_asset(
        workspace_id="ws-123",
        asset_type="video",
        name="Shot 01D - Take 1 Video",
        url="https://cdn.example.com/video1.mp4",
        duration=5.2,
        metadata=_video(1),
    )
    repo.create_relationship(
        parent_asset_id=shot_id,
        child_asset_id=take1_id,
        relationship_type="generation_attempt",
        sequence=1,
    )
    repo.create_relationship(
        parent_asset_id=take1_id, child_asset_id=video1_id, relationship_type="generated_video"
    )

    # 4. Second generation attempt (edit and try again)
    take2_id = repo.create_asset(
        asset_type="shot_take",
        name="Shot 01D - Take 2",
        metadata={
            "attempt_number": 2,
            "selected": False,
            "generation_params": {"provider": "minimax", "seed": 7},
        },
        generation_cost=0.75,
    )
    video2_id = repo.create_asset(
        asset_type="video", name="Shot 01D - Take 2 Video", duration=5.0, metadata=_video(2)
    )
    repo.create_relationship(shot_id, take2_id, "generation_attempt", sequence=2)
    repo.create_relationship(take2_id, video2_id, "generated_video")
    # Mark take 2 as selected
    repo.update_asset(asset_id=take2_id, metadata={"selected": True})

    # 5. Query: Get all takes for a shot
    takes = repo.get_child_assets(
        parent_asset_id=shot_id, relationship_type="generation_attempt", asset_type="shot_take"
    )
    assert [t["metadata"]["attempt_number"] for t in takes] == [1, 2]
    assert [t["generation_cost"] for t in takes] == [0.5, 0.75]

    # 6. Query: Get selected take video
    selected_take = [t for t in takes if t["metadata"].get("selected")]
    assert selected_take
    video = repo.get_child_assets(
        parent_asset_id=selected_take[0]["id"],
        relationship_type="generated_video",
        asset_type="video",
    )
    assert [v["metadata"]["sha256"] for v in video] == [_video(2)["sha256"]]
    assert video[0]["id"] == repo.get_asset(video2_id)["id"]

    # Selecting take 1 unselects take 2; the film stays valid throughout.
    repo.update_asset(
        take1_id,
        {"selected": True, "quality_score": 8.5, "director_notes": "Perfect! Use this one"},
    )
    takes = repo.get_child_assets(shot_id, "generation_attempt")
    flags = [t["metadata"]["selected"] for t in takes]
    assert flags == [True, False]
    chars = repo.get_child_assets(shot_id, "uses_character", "character_ref")
    assert [c["name"] for c in chars] == ["Mira"]
    errors = [p for p in Project.load(example_copy).all_problems() if p.severity == "error"]
    assert errors == []
    take1 = (example_copy / "shots" / "01D" / "takes" / "001.yaml").read_text()
    assert "url: https://cdn.example.com/video1.mp4" in take1


def test_ids_are_stable_across_opens(example_copy: Path) -> None:
    first = filmfs.open(example_copy).find("shot", "01A")
    assert filmfs.open(example_copy).find("shot", "01A") == first


def test_library_assets_and_lineage(example_copy: Path) -> None:
    repo = filmfs.open(example_copy)
    hero = repo.create_asset("character_ref", "Young Tomas", {"description": "Tomas at 20"})
    repo.create_relationship(hero, repo.find("character_ref", "tomas"), "variant_of")
    still = repo.create_asset("image", "Harbour still", url="https://example.com/h.png")
    shot = repo.find("shot", "02A")
    repo.create_relationship(shot, still, "uses_asset")
    repo.create_relationship(shot, repo.find("audio", "harbour-theme"), "uses_audio")
    assert [a["name"] for a in repo.get_child_assets(shot, "uses_asset")] == ["Harbour still"]
    assert repo.get_child_assets(hero, "variant_of")[0]["name"] == "Tomas"
    assert [p for p in repo.problems() if p.severity == "error"] == []


def test_refuses_invalid_writes(example_copy: Path) -> None:
    repo = filmfs.open(example_copy)
    with pytest.raises(FilmfsError, match="duration_target"):
        repo.create_asset(
            "shot", "bad", {"shot_number": "01E", "prompt": "x", "duration_target": "long"}
        )
    assert not (example_copy / "shots" / "01E").exists()
    with pytest.raises(FilmfsError, match="cannot change"):
        repo.update_asset(repo.find("shot", "01A"), {"shot_number": "09Z"})
    take = repo.create_asset("shot_take", "t", {"generation_params": {"provider": "x"}})
    video = repo.create_asset("video", "v", metadata={"sha256": "0" * 64})
    with pytest.raises(FilmfsError, match="lacks"):
        repo.create_relationship(take, video, "generated_video")


def test_final_edit_and_video_lineage(example_copy: Path) -> None:
    repo = filmfs.open(example_copy)
    shot = repo.find("shot", "01A")
    take = repo.create_asset("shot_take", "t1", {"generation_params": {"provider": "testcard"}})
    raw = repo.create_asset("video", "raw", duration=4.0, metadata=_video(1))
    repo.create_relationship(shot, take, "generation_attempt")
    repo.create_relationship(take, raw, "generated_video")
    final = repo.create_asset("video", "cut", duration=31.0, metadata=_video(9))
    repo.create_relationship(repo.film_id, final, "final_edit")
    repo.create_relationship(final, raw, "derived_from")
    repo.update_asset(final, url="https://cdn.example.com/cut.mp4")
    cut = repo.get_child_assets(repo.film_id, "final_edit", "video")
    assert [c["url"] for c in cut] == ["https://cdn.example.com/cut.mp4"]
    sources = repo.get_child_assets(cut[0]["id"], "derived_from")
    assert [s["metadata"]["sha256"] for s in sources] == [_video(1)["sha256"]]
    assert repo.get_asset(take)["metadata"]["attempt_number"] == 1
    assert [p for p in repo.problems() if p.severity == "error"] == []


def test_bad_selection_keeps_the_current_one(film_with_takes: Path) -> None:
    repo = filmfs.open(film_with_takes)
    takes = repo.get_child_assets(repo.find("shot", "01A"), "generation_attempt")
    with pytest.raises(FilmfsError, match="quality_score"):
        repo.update_asset(takes[0]["id"], {"selected": True, "quality_score": 11})
    again = repo.get_child_assets(repo.find("shot", "01A"), "generation_attempt")
    assert [t["metadata"]["selected"] for t in again] == [False, True, False]


def test_update_fields_of_film_shot_and_character(example_copy: Path) -> None:
    repo = filmfs.open(example_copy)
    repo.update_asset(repo.film_id, {"status": "in_production"}, name="Paper Boats II")
    shot = repo.find("shot", "01B")
    repo.update_asset(shot, {"camera_angle": "extreme close-up", "duration_target": 3.5})
    repo.update_asset(repo.find("character_ref", "tomas"), name="Tomás")
    film = repo.get_asset(repo.film_id)
    assert (film["name"], film["metadata"]["status"]) == ("Paper Boats II", "in_production")
    assert repo.get_asset(shot)["metadata"]["camera_angle"] == "extreme close-up"
    assert repo.get_asset(repo.find("character_ref", "tomas"))["name"] == "Tomás"
    text = (example_copy / "shots" / "01B" / "shot.yaml").read_text()
    assert text.startswith("# yaml-language-server")  # the round trip keeps the modeline
    with pytest.raises(FilmfsError, match="already exists"):
        repo.create_asset("character_ref", "Mira")
    assert [p for p in repo.problems() if p.severity == "error"] == []
