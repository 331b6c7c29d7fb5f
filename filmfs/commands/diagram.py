"""`filmfs graph`: the film's structure as JSON, Graphviz DOT or a Mermaid flowchart."""

from __future__ import annotations

import json
from typing import Any, Literal

from filmfs.commands.loaded import Loaded
from filmfs.graph.model import Graph, Node

SHAPES = {
    "film": ("box", "#f4d35e"),
    "scene": ("box", "#ee964b"),
    "shot": ("box", "#9ad1d4"),
    "shot_take": ("ellipse", "#dddddd"),
    "video": ("note", "#c5e1a5"),
    "character_ref": ("octagon", "#f8bbd0"),
}


def _label(node: Node, limit: int = 40) -> str:
    name = node.name if len(node.name) <= limit else node.name[: limit - 1] + "…"
    if node.type == "shot_take" and node.metadata.get("selected"):
        name += " ✓"
    return f"{node.type}: {name}"


def as_data(graph: Graph) -> dict[str, Any]:
    return {
        "film_id": graph.film_id,
        "nodes": [node.as_dict() for node in graph.nodes.values()],
        "edges": [
            {"parent": e.parent, "child": e.child, "type": e.type, "sequence": e.sequence}
            for e in graph.edges
        ],
    }


def dot(graph: Graph) -> str:
    lines = ["digraph film {", "  rankdir=LR;", '  node [style=filled, fontname="Helvetica"];']
    for node in graph.nodes.values():
        shape, color = SHAPES.get(node.type, ("component", "#e0e0e0"))
        label = json.dumps(_label(node), ensure_ascii=False)
        lines.append(f'  "{node.id}" [label={label}, shape={shape}, fillcolor="{color}"];')
    for edge in graph.edges:
        label = edge.type + (f" ({edge.sequence})" if edge.sequence is not None else "")
        lines.append(f'  "{edge.parent}" -> "{edge.child}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines)


def mermaid(graph: Graph) -> str:
    short = {node_id: f"n{i}" for i, node_id in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for node_id, node in graph.nodes.items():
        text = _label(node).replace('"', "#quot;")
        lines.append(f'  {short[node_id]}["{text}"]')
    for edge in graph.edges:
        label = edge.type + (f" {edge.sequence}" if edge.sequence is not None else "")
        lines.append(f"  {short[edge.parent]} -->|{label}| {short[edge.child]}")
    return "\n".join(lines)


def diagram(loaded: Loaded, *, fmt: Literal["dot", "mermaid"]) -> str:
    """The graph drawn as ``fmt`` text (Graphviz dot or Mermaid)."""
    return dot(loaded.graph) if fmt == "dot" else mermaid(loaded.graph)
