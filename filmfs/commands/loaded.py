"""Loading a film for the read-only queries: the project, checked, and its graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmfs import graph as graphs
from filmfs.errors import FilmfsError
from filmfs.graph import Graph, Node
from filmfs.project import Project


@dataclass(frozen=True)
class Loaded:
    project: Project
    graph: Graph

    def shot(self, shot_id: str) -> Node:
        node = self.graph.find("shot", shot_id)
        if node is None:
            self.project.shot(shot_id)  # raises the error that lists the known shots
            raise FilmfsError(f"no shot {shot_id!r} in this film")
        return node


def load(root: Path | str) -> Loaded:
    """Load the film at ``root``, refuse it unless valid, and build its graph."""
    project = Project.load(root)
    project.require_valid()
    return Loaded(project, graphs.build(project))
