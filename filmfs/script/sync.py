"""Re-import as a sync: bring a film in line with its script without clobbering user work.

The script owns what it wrote (see :mod:`filmfs.script.mapping`); each written field's hash
is kept in the file's ``source.fields``. A field is replaced only while it still holds what
the script last wrote; a field the user changed since is kept and reported as a conflict.
Everything else (shots split or added, takes, notes, camera angles) is the user's and is
never touched, except ``scene``/``scene_number`` when scenes move. Scenes gone from the script
are kept, flagged ``source.removed``, and their shots marked ``omitted``: nothing is deleted.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from filmfs import layout
from filmfs.manifests.edit import check
from filmfs.manifests.schema import valid
from filmfs.manifests.writer import dump, modeline, updated_text
from filmfs.project import Project
from filmfs.script.changes import Change, SyncPlan, merge
from filmfs.script.mapping import (
    CHARACTER_FIELDS,
    SCENE_FIELDS,
    SHOT_FIELDS,
    WantedScene,
    field_hash,
    scene_text,
    wanted_characters,
    wanted_scene,
)
from filmfs.script.match import Known, match
from filmfs.script.parse import Script

_LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]


class _Planner:
    def __init__(self, project: Project, script: Script) -> None:
        self.project = project
        self.root = project.root
        self.plan = SyncPlan()
        self.names = wanted_characters(script.speakers)
        self.wanted = [wanted_scene(s, self.names) for s in script.scenes]
        self.taken = set(project.shots)
        self.modelines: dict[str, str] = {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def data(self, path: Path) -> dict[str, Any]:
        doc = self.project.documents.get(path)
        return dict(doc.data) if doc is not None and isinstance(doc.data, dict) else {}

    def write(
        self,
        path: Path,
        kind: str,
        data: dict[str, Any],
        changes: dict[str, Any],
        *,
        source: Path | None = None,
    ) -> None:
        """Queue ``changes`` to the manifest at ``source`` (or ``path``), written at ``path``."""
        origin = source or path
        merged = {k: v for k, v in {**data, **changes}.items() if v is not None}
        if not valid(merged, kind):  # the slow check only to name the problems
            check(merged, kind, self.rel(path))
        if origin.exists():
            text = updated_text(origin.read_text("utf-8"), changes)
        else:
            text = self.modelines.setdefault(kind, modeline(path, self.root, kind)) + dump(merged)
        self.plan.writes[path] = text

    # --- characters ----------------------------------------------------------------------
    def characters(self) -> None:
        for char_id, name in self.names.items():
            path = layout.character_file(self.root, char_id)
            self.plan.characters += 1
            wanted = {"name": name}
            if char_id not in self.project.characters:
                data = {
                    "id": char_id,
                    "name": name,
                    "source": {"key": char_id, "fields": {"name": field_hash(name)}},
                }
                self.write(path, "character", {}, data)
                self.plan.changes.append(Change("create", self.rel(path), ("id", "name")))
                continue
            char = self.project.characters[char_id]
            current = self.data(char.path)
            recorded = dict((char.source or {}).get("fields", {}))
            changes, record, changed, conflicts = merge(current, wanted, CHARACTER_FIELDS, recorded)
            self._finish(
                char.path,
                char.path,
                "character",
                current,
                changes,
                record,
                changed,
                conflicts,
                key=char_id,
            )

    def _finish(
        self,
        path: Path,
        origin: Path,
        kind: str,
        current: dict[str, Any],
        changes: dict[str, Any],
        record: dict[str, str],
        changed: list[str],
        conflicts: list[str],
        *,
        key: str | None,
        extra: dict[str, Any] | None = None,
        flags: dict[str, Any] | None = None,
    ) -> None:
        """Queue one file's changes; ``key`` None for a hand-made file (no source block)."""
        source = dict(current.get("source") or {})
        new_source = {**source, "key": source.get("key", key), "fields": record}
        for name, value in (flags or {}).items():
            if value is None:
                new_source.pop(name, None)
            else:
                new_source[name] = value
        if key is None:
            new_source = source
        for name, value in (extra or {}).items():
            if current.get(name) != value:
                changes[name] = value
                changed.append(name)
        if new_source != source:
            changes["source"] = new_source
        if changes:
            self.write(path, kind, current, changes, source=origin)
            fields = tuple(n for n in changed if n != "source")
            if origin != path:
                self.plan.changes.append(Change("rename", self.rel(path), fields, self.rel(origin)))
            elif fields:
                self.plan.changes.append(Change("update", self.rel(path), fields))
        for name in conflicts:
            self.plan.changes.append(
                Change("conflict", self.rel(path), (name,), "kept your edit; the script changed it")
            )

    # --- scenes --------------------------------------------------------------------------
    def known(self) -> tuple[list[Known], dict[str, Any]]:
        firsts = {
            shot.source["key"]: shot
            for shot in self.project.shots.values()
            if shot.source and "key" in shot.source
        }
        known = []
        scenes = {}
        for scene in self.project.scenes.values():
            if not scene.source:
                continue
            key = scene.source["key"]
            scenes[key] = scene
            rec = scene.source.get("fields", {})
            shot = firsts.get(key)
            srec = (shot.source or {}).get("fields", {}) if shot else {}
            dialogue = [d.as_data() for d in shot.dialogue] if shot else []
            known.append(
                Known(
                    key=key,
                    signature=(
                        rec.get("heading", ""),
                        srec.get("description", ""),
                        srec.get("dialogue", field_hash([])),
                    ),
                    heading_hash=rec.get("heading", ""),
                    script_number=scene.script_number,
                    text=scene_text(scene.heading, shot.description if shot else "", dialogue),
                )
            )
        return known, {"scenes": scenes, "firsts": firsts}

    def scenes(self) -> None:
        known, found = self.known()
        by_key = found["scenes"]
        keys = match(self.wanted, known)
        order: list[tuple[str, WantedScene | None]] = []
        used_keys = set(by_key)
        for w, key in zip(self.wanted, keys, strict=True):
            if key is None:
                key = self.new_key(w, used_keys)
            order.append((key, w))
        placed = {key for key, _ in order}
        # Film scenes the script no longer has (or never had) stay after their predecessor.
        previous: str | None = None
        for scene in self.project.scenes.values():
            key = (scene.source or {}).get("key") or f"hand:{scene.scene_number}"
            if key not in placed:
                at = next((i + 1 for i, (k, _) in enumerate(order) if k == previous), 0)
                order.insert(at, (key, None))
                placed.add(key)
            previous = key
        hand = {f"hand:{s.scene_number}": s for s in self.project.scenes.values() if not s.source}
        by_scene: dict[int, list[Any]] = {}
        for shot in self.project.shots.values():
            if shot.scene is not None:  # scenes are optional; the script has only scenes
                by_scene.setdefault(shot.scene, []).append(shot)
        for index, (key, wanted) in enumerate(order):
            number = index + 1
            film_scene: Any = by_key.get(key) or hand.get(key)
            self.plan.scenes += 1 if wanted is not None else 0
            if film_scene is None:
                assert wanted is not None
                self.create(key, number, wanted)
                continue
            shots = by_scene.get(film_scene.scene_number, [])
            self.update_scene(key, number, film_scene, wanted, shots, found["firsts"].get(key))

    def new_key(self, w: WantedScene, used: set[str]) -> str:
        base = "s-" + field_hash([w.scene["heading"], w.script.line_number, w.text])[:10]
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        return key

    def shot_id(self, number: int) -> str:
        digits = f"{number:02d}"
        for suffix in itertools.chain(_LETTERS, (a + b for a in _LETTERS for b in _LETTERS)):
            if digits + suffix not in self.taken:
                self.taken.add(digits + suffix)
                return digits + suffix
        raise AssertionError("no free shot number")  # 702 shots of one scene number

    def create(self, key: str, number: int, w: WantedScene) -> None:
        path = layout.scene_file(self.root, number)
        fields = {n: field_hash(v) for n, v in w.scene.items()}
        data = {"scene_number": number, **w.scene, "source": {"key": key, "fields": fields}}
        self.write(path, "scene", {}, data)
        self.plan.changes.append(Change("create", self.rel(path), tuple(w.scene)))
        shot_id = self.shot_id(number)
        shot_path = layout.shot_file(self.root, shot_id)
        shot = {"shot_number": shot_id, "scene": number, **w.shot, "status": "draft"}
        shot["source"] = {"key": key, "fields": {n: field_hash(w.shot[n]) for n in SHOT_FIELDS}}
        if not shot["dialogue"]:
            del shot["dialogue"], shot["source"]["fields"]["dialogue"]
        self.write(shot_path, "shot", {}, shot)
        self.plan.changes.append(Change("create", self.rel(shot_path), tuple(SHOT_FIELDS)))

    def update_scene(
        self, key: str, number: int, scene: Any, w: WantedScene | None, shots: list[Any], first: Any
    ) -> None:
        path = layout.scene_file(self.root, number)
        current = self.data(scene.path)
        recorded = dict((scene.source or {}).get("fields", {}))
        if w is not None:
            changes, record, changed, conflicts = merge(current, w.scene, SCENE_FIELDS, recorded)
        else:
            changes, record, changed, conflicts = {}, recorded, [], []
        extra: dict[str, Any] = {"scene_number": number}
        flags = None
        if scene.source is not None:
            flags = {"removed": True if w is None else None}
            if w is None and not scene.source.get("removed"):
                self.plan.changes.append(
                    Change(
                        "remove", self.rel(path), (), "no longer in the script: kept, shots omitted"
                    )
                )
        if scene.source is not None or number != scene.scene_number:
            self._finish(
                path,
                scene.path,
                "scene",
                current,
                changes,
                record,
                changed,
                conflicts,
                key=key if scene.source else None,
                extra=extra,
                flags=flags,
            )
        if scene.path != path:
            self.plan.deletes.append(scene.path)
        for shot in shots:
            self.update_shot(
                shot,
                number,
                w if shot is first else None,
                removed=scene.source is not None and w is None,
                key=key,
            )

    def update_shot(
        self, shot: Any, number: int, w: WantedScene | None, *, removed: bool, key: str
    ) -> None:
        current = self.data(shot.path)
        source = dict(current.get("source") or {})
        recorded = dict(source.get("fields", {}))
        if w is not None:
            wanted = {**w.shot, "dialogue": w.shot["dialogue"] or None}
            changes, record, changed, conflicts = merge(current, wanted, SHOT_FIELDS, recorded)
        else:
            changes, record, changed, conflicts = {}, recorded, [], []
        extra: dict[str, Any] = {"scene": number}
        action = None
        if removed and current.get("status") != "omitted":
            extra["status"] = "omitted"
            source = {**source, "key": source.get("key", key), "removed": True}
            action = "omit"
        elif not removed and source.get("removed"):
            extra["status"] = "draft"
            source.pop("removed")
            action = "restore"
        if source or w is not None:
            new_source = {**source, "key": source.get("key", key), "fields": record}
            if not record:
                new_source.pop("fields")
            if new_source != current.get("source"):
                changes["source"] = new_source
        for name, value in extra.items():
            if current.get(name) != value:
                changes[name] = value
                changed.append(name)
        if changes:
            self.write(shot.path, "shot", current, changes)
            fields = tuple(n for n in changed if n not in ("source", "status"))
            if action:
                self.plan.changes.append(Change(action, self.rel(shot.path), ("status",)))
            if fields:
                self.plan.changes.append(Change("update", self.rel(shot.path), fields))
        for name in conflicts:
            self.plan.changes.append(
                Change(
                    "conflict",
                    self.rel(shot.path),
                    (name,),
                    "kept your edit; the script changed it",
                )
            )


def plan_sync(project: Project, script: Script) -> SyncPlan:
    """Every write that brings ``project`` in line with ``script``; nothing is written."""
    planner = _Planner(project, script)
    planner.characters()
    planner.scenes()
    plan = planner.plan
    # A scene that moved leaves its old file unless another scene moved into it.
    plan.deletes = [path for path in plan.deletes if path not in plan.writes]
    return plan
