"""Loading a film for the read-only queries: the project, checked, and its graph."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from filmfs.errors import FilmfsError
from filmfs.graph.build import build_graph
from filmfs.graph.model import Graph, Node
from filmfs.project import Project, collector_paused


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


def load_project(root: Path | str) -> Project:
    """Load the film at ``root`` and refuse it unless valid."""
    with collector_paused():
        project = Project.load(root)
        project.require_valid()
    return project


def load(root: Path | str) -> Loaded:
    """Load the film at ``root``, refuse it unless valid, and build its graph."""
    project = load_project(root)
    loaded = Loaded(project, build_graph(project))
    # The loaded film lives until the process ends: keep the collector from re-walking it on
    # every later pass, which made a query on a 10,000-shot film stall now and then.
    gc.freeze()
    return loaded
