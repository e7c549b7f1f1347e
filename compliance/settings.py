"""Policy settings with defaults and help text, overridable by environment (PROVENANCE_<NAME>)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from compliance.errors import InputError


@dataclass(frozen=True)
class Setting:
    name: str
    default: float
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("simhash_radius", 8, "Largest Hamming distance (of 64 bits) between text simhashes for a candidate match."),
    Setting("confirm_containment", 0.3, "Word-shingle containment needed to confirm a text candidate as a match."),
    Setting("substantial_containment", 0.5, "Share of the original's shingles reproduced that makes a substantial copy."),
    Setting("min_words", 40, "Documents with fewer words are not fingerprinted for matching (menus, stubs)."),
    Setting("image_threshold", -1, "Largest perceptual-hash distance for an image match (-1: the method's default)."),
)


def policy() -> dict[str, float]:
    """Current policy: defaults, overridden by PROVENANCE_SIMHASH_RADIUS and friends."""
    out: dict[str, float] = {}
    for s in SETTINGS:
        raw = os.environ.get(f"PROVENANCE_{s.name.upper()}")
        try:
            out[s.name] = float(raw) if raw not in (None, "") else float(s.default)
        except ValueError:
            raise InputError(
                f"PROVENANCE_{s.name.upper()}={raw!r} is not a number.", f"set it to a number ({s.help})"
            ) from None
    if out["image_threshold"] < 0:
        from compliance.fingerprints.imagehash import MATCH_THRESHOLD

        out["image_threshold"] = float(MATCH_THRESHOLD)
    return out
