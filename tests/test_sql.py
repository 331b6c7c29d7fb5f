"""SQL export: SQLite and a real PostgreSQL; the model's four queries agree with the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from filmfs.cli import cli
from filmfs.export import sql
from tests.conftest import write_take


def run_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def export(film: Path, url: str, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = run_json("export-sql", url, "-C", str(film), *extra)
    return data


def test_sqlite_export_upserts_and_removes(film_with_takes: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'film.db'}"
    first = export(film_with_takes, url)
    assert first["changed_assets"] == first["assets"] > 0
    assert first["workspace"] == "film"
    again = export(film_with_takes, url)
    assert (again["changed_assets"], again["changed_relationships"]) == (0, 0)
    assert (again["removed_assets"], again["removed_relationships"]) == (0, 0)

    write_take(film_with_takes, "01A", 1, cost=0.5, score=9.5)  # rescored
    (film_with_takes / "shots" / "02A" / "takes" / "001.yaml").unlink()  # take + video gone
    third = export(film_with_takes, url)
    assert third["changed_assets"] == 1
    assert third["removed_assets"] == 2
    assert third["removed_relationships"] == 2  # generation_attempt, generated_video
    db = sqlite3.connect(tmp_path / "film.db")
    count = db.execute("SELECT count(*) FROM assets_v2").fetchone()[0]
    assert count == third["assets"]
    total = db.execute(sql.query("film_cost_total"), {"film_id": third["film_id"]}).fetchone()
    assert total[0] == pytest.approx(run_json("query", "cost", "-C", str(film_with_takes))["total"])
    score = db.execute(
        "SELECT json_extract(metadata, '$.quality_score') FROM assets_v2 WHERE name = ?",
        ("Shot 01A - Take 1",),
    ).fetchone()[0]
    assert score == 9.5


def test_sqlite_bad_url(example_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["export-sql", "mysql://x/y", "-C", str(example_copy)])
    assert result.exit_code == 1
    assert "unsupported database URL" in result.output


def test_postgres_seed_queries_match_the_cli(film_with_takes: Path, pg_url: str) -> None:
    import psycopg
    from psycopg.rows import dict_row

    film = str(film_with_takes)
    result = export(film_with_takes, pg_url, "--workspace", "ws-123")
    again = export(film_with_takes, pg_url, "--workspace", "ws-123")
    assert again["changed_assets"] == again["removed_assets"] == 0
    film_id = result["film_id"]
    shots = run_json("query", "shots", "-C", film)
    shot_ids = {row["key"]: row["id"] for row in shots}

    def q(name: str, **params: str) -> list[dict[str, Any]]:
        with psycopg.connect(pg_url, row_factory=dict_row) as conn:
            return conn.execute(sql.bind(sql.query(name), "postgresql"), params).fetchall()

    rows = q("film_shots", film_id=film_id)
    assert [(str(r["id"]), r["sequence"]) for r in rows] == [
        (s["id"], s["sequence"]) for s in shots
    ]
    assert rows[0]["metadata"]["shot_number"] == "01A"
    assert rows[0]["workspace_id"] == "ws-123"
    for shot in ("01A", "01C", "02B"):
        chars = run_json("query", "characters", shot, "-C", film)
        got = q("shot_characters", shot_id=shot_ids[shot])
        assert sorted(str(r["id"]) for r in got) == sorted(c["id"] for c in chars)
    for shot in ("01A", "01C", "02A", "02D"):
        video = run_json("query", "selected-video", shot, "-C", film)
        got = q("selected_take_video", shot_id=shot_ids[shot])
        assert [str(r["id"]) for r in got] == ([video["id"]] if video else [])
    cost = run_json("query", "cost", "-C", film)
    assert q("film_cost", film_id=film_id)[0]["total_cost"] == cost["direct"] is None
    assert q("film_cost_total", film_id=film_id)[0]["total_cost"] == pytest.approx(cost["total"])
    assert cost["total"] == pytest.approx(3.0)


def test_postgres_reexport_removes_and_updates(film_with_takes: Path, pg_url: str) -> None:
    import psycopg

    export(film_with_takes, pg_url)
    (film_with_takes / "shots" / "01C" / "takes" / "001.yaml").unlink()
    write_take(film_with_takes, "01A", 3, cost=2.0, video=False)
    result = export(film_with_takes, pg_url)
    assert result["removed_assets"] == 2
    assert result["changed_assets"] == 1
    with psycopg.connect(pg_url) as conn:
        kinds = dict(conn.execute("SELECT type, count(*) FROM assets_v2 GROUP BY type").fetchall())
        selected = conn.execute(
            "SELECT count(*) FROM assets_v2 WHERE metadata->>'selected' = 'true'"
        ).fetchone()
    assert kinds["shot_take"] == 4
    assert selected == (1,)


def test_queries_are_the_seed_text() -> None:
    # The four patterns ship verbatim; only the recursive total is ours.
    assert "take.metadata->>'selected' = 'true'" in sql.query("selected_take_video")
    assert sql.query("film_cost").startswith("SELECT SUM(a.generation_cost) as total_cost")
    assert sql.bind("WHERE a.id = :film_id", "postgresql") == "WHERE a.id = %(film_id)s"


def test_export_text_output(example_copy: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "export-sql",
            f"sqlite:///{tmp_path / 'x.db'}",
            "-C",
            str(example_copy),
            "--workspace",
            "ws-1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "workspace ws-1, 14 assets, 24 relationships" in result.output


def test_money_is_exact_from_manifest_to_postgres(film_with_takes: Path, pg_url: str) -> None:
    # Three takes of $0.10: as floats they sum to 0.30000000000000004; the manifests say 0.3,
    # and so must every total shown or exported.
    import psycopg

    from filmfs.export.sql.export import POSTGRES

    for attempt in range(1, 4):
        write_take(film_with_takes, "02B", attempt, cost=0.1)
    assert sum([0.1] * 3) != 0.3  # what floats would have said
    shot = run_json("show", "02B", "-C", str(film_with_takes))
    assert shot["total_cost"] == 0.3
    text = CliRunner().invoke(cli, ["show", "02B", "--json", "-C", str(film_with_takes)]).output
    assert '"total_cost": 0.3,' in text  # the JSON number itself, not a float's long tail
    result = export(film_with_takes, pg_url, "--workspace", "money")
    assert POSTGRES.money == "NUMERIC"
    with psycopg.connect(pg_url) as conn:
        kind, total = conn.execute(
            "SELECT pg_typeof(generation_cost)::text, SUM(generation_cost) OVER () "
            "FROM assets_v2 WHERE workspace_id = 'money' AND generation_cost IS NOT NULL "
            "AND metadata->>'shot_number' = '02B' LIMIT 1"
        ).fetchone()
    assert result["assets"] > 0
    assert kind == "numeric" and str(total) == "0.3"
