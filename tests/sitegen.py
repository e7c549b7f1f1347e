"""A generated news site in a folder: home, section pages and articles of distinct prose, for crawl tests.

Pages are written once per test into tmp_path and served by `tests.staticserver`. Article texts are distinct
(seeded word sequences), so each gives one document; links form home -> sections -> articles -> related.
"""

from __future__ import annotations

import random
from html import escape
from pathlib import Path

WORDS = ["council", "harbour", "budget", "minister", "court", "river", "school", "hospital", "police", "market", "festival", "storm", "bridge", "museum", "railway", "election", "farmers", "teachers", "union", "airport", "mayor", "plan", "report", "data", "rainfall", "housing", "energy", "climate", "water", "transport", "library", "station", "park", "village", "city", "region", "coast", "mountain", "valley", "forest", "island", "village", "announced", "said", "reported", "confirmed", "warned", "agreed", "rejected", "approved", "opened", "closed", "delayed", "expanded", "yesterday", "today", "morning", "evening", "week", "month", "year", "decade", "local", "national", "regional", "public", "private", "new", "old"]


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(9, 16))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def write_site(root: Path, sections: int = 5, per_section: int = 8, seed: int = 7, paragraphs: int = 6) -> int:
    """Write the site under `root`; returns how many HTML pages it has (home + sections + articles)."""
    rng = random.Random(seed)
    nav = "".join(f'<li><a href="/s/{s}.html">Section {s}</a></li>' for s in range(sections))
    (root / "s").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(f"<html><body><h1>Generated News</h1><ul>{nav}</ul></body></html>")
    for s in range(sections):
        items = "".join(f'<li><a href="/a/{s}/{j}.html">Story {s}-{j}</a></li>' for j in range(per_section))
        (root / "s" / f"{s}.html").write_text(f"<html><body><h1>Section {s}</h1><ul>{items}</ul></body></html>")
        folder = root / "a" / str(s)
        folder.mkdir(parents=True, exist_ok=True)
        for j in range(per_section):
            title = escape(" ".join(rng.choice(WORDS) for _ in range(7)).capitalize())
            body = "".join(f"<p>{escape(_paragraph(rng))}</p>" for _ in range(paragraphs))
            related = "".join(f'<li><a href="/a/{s}/{rng.randrange(per_section)}.html">More</a></li>' for _ in range(3))
            (folder / f"{j}.html").write_text(
                f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>'
                f"<nav><ul>{nav}</ul></nav><article><h1>{title}</h1>{body}</article><aside><ul>{related}</ul>"
                "</aside></body></html>"
            )
    return 1 + sections + sections * per_section
