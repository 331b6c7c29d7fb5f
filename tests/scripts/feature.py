"""A feature-length Fountain script (124 scenes), generated so it need not be stored.

Deterministic: the same text every run. It uses the elements a real draft has (title page,
sections and synopses, numbered and forced headings, extensions, parentheticals, dual
dialogue, transitions, notes, page breaks) across 124 scenes and 9 speaking characters.
"""

from __future__ import annotations

import random

PLACES = ["INT.", "EXT.", "INT.", "EXT.", "I/E."]
LOCATIONS = [
    "HARBOUR",
    "LIGHTHOUSE - LAMP ROOM",
    "NELL'S KITCHEN",
    "SEA WALL",
    "BOATHOUSE",
    "ISLAND BEACH",
    "POST OFFICE",
    "CHURCH HALL",
    "CLIFF PATH",
    "FERRY DECK",
    "PUB",
    "SCHOOLROOM",
    "FISH MARKET",
    "COASTGUARD STATION",
    "JONAH'S BEDROOM",
]
TIMES = ["DAY", "NIGHT", "DAWN", "DUSK", "CONTINUOUS", "LATER"]
PEOPLE = ["NELL", "JONAH", "MARTHA", "REV. OWENS", "SKIPPER", "DR. PATEL", "LILY", "TOM", "CLERK"]
TEXT = (
    "the tide turns early tonight and nobody listens to the bell any more we keep the lamp "
    "lit for the boats that never come home you know that as well as I do"
)
WORDS = TEXT.split(" ")
ACTIONS = [
    "Rain streaks the window. {a} watches the water.",
    "{a} hauls a crate up the slipway; gulls wheel overhead.",
    "A lantern swings. {a} and {b} stand in its light without speaking.",
    "Wind tears at the washing lines. {a} runs after a loose sheet.",
    "{a} unfolds an old chart on the table and traces the coast.",
]


def _line(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(3, 9))
    return " ".join(words).capitalize() + rng.choice([".", "?", "!"])


def feature_script(scenes: int = 124, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = ["Title: The Last Lamp", "Author: filmfs tests", "Draft date: 2 December 2026", ""]
    act = 0
    for n in range(1, scenes + 1):
        if n in (1, scenes // 3, 2 * scenes // 3):
            act += 1
            out += [f"# ACT {act}", "", f"= Act {act} of the story.", ""]
        if n % 17 == 0:
            out += ["===", ""]
        location = LOCATIONS[n % len(LOCATIONS)]
        time = TIMES[rng.randrange(len(TIMES))]
        if n % 23 == 0:
            heading = f".MEMORY - {location}"
        else:
            heading = f"{PLACES[n % len(PLACES)]} {location} - {time}"
        number = f" #{n}#" if n % 5 == 0 else (f" #{n - 1}A#" if n % 31 == 0 else "")
        out += [heading + number, ""]
        a, b = rng.sample(PEOPLE, 2)
        out += [ACTIONS[n % len(ACTIONS)].format(a=a.title(), b=b.title()), ""]
        if n % 11 == 0:
            out += ["[[Check the tide tables for this scene.]]", ""]
        for i in range(rng.randint(1, 3)):
            who = [a, b][i % 2]
            ext = rng.choice(["", "", "", " (V.O.)", " (O.S.)", " (CONT'D)"])
            out.append(who + ext)
            if rng.random() < 0.3:
                out.append(rng.choice(["(quietly)", "(beat)", "(to herself)"]))
            out += [_line(rng), ""]
        if n % 13 == 0:
            out += [b, _line(rng), "", a + " ^", _line(rng), ""]
        if n % 9 == 0:
            out += ["CUT TO:", ""]
    out += ["> THE END <", ""]
    return "\n".join(out)
