"""Attribution rules (DESIGN.md finding codes) as pure functions over plain facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.credits import credit_names_site
from compliance.urls import host_key

CODES = (
    "credited_ok",
    "missing_credit",
    "misattributed",
    "unverified_credit",
    "disclaimer_only",
    "metadata_stripped",
    "substantial_copy",
)
IMAGE_CREDIT_KINDS = ("image_credit", "caption")


@dataclass(frozen=True)
class SiteFacts:
    """A site as credits may name it."""

    name: str
    aliases: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    def hosts(self) -> tuple[str, ...]:
        return tuple(host_key(o) for o in self.origins)

    def named_by(self, credit_name: str | None, credit_url: str | None) -> bool:
        return credit_names_site(credit_name, credit_url, (self.name, *self.aliases), self.origins, self.hosts())


@dataclass(frozen=True)
class CreditFacts:
    text: str
    name: str | None
    url: str | None


@dataclass(frozen=True)
class OriginalFacts:
    url: str
    site: SiteFacts
    containment: float = 0.0
    embedded_credit: tuple[tuple[str, str], ...] = ()  # credit-bearing embedded fields of an original image


@dataclass(frozen=True)
class FindingOut:
    code: str
    severity: str
    message: str
    evidence: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """One copy (document or image appearance) as the rules see it."""

    url: str
    own_site: SiteFacts
    credits: tuple[CreditFacts, ...]
    originals: tuple[OriginalFacts, ...]
    disclaimers: tuple[str, ...] = ()
    outbound_links: tuple[str, ...] = ()
    embedded_credit: tuple[tuple[str, str], ...] = ()  # image copies only
    same_bytes_as_original: bool = False


def _third_party(facts: Facts) -> list[CreditFacts]:
    """Credits that name someone other than the copying site itself (a site crediting itself attributes nothing)."""
    return [c for c in facts.credits if (c.name or c.url) and not facts.own_site.named_by(c.name, c.url)]


def _names(credits: list[CreditFacts]) -> str:
    return ", ".join(dict.fromkeys(c.name or c.url or c.text for c in credits))


def _credited_originals(facts: Facts, credits: list[CreditFacts]) -> list[OriginalFacts]:
    out = []
    links = {u.rstrip("/") for u in facts.outbound_links}
    for o in facts.originals:
        if o.url.rstrip("/") in links or any(o.site.named_by(c.name, c.url) for c in credits):
            out.append(o)
    return out


def attribution_findings(facts: Facts, kind: str, substantial: float | None) -> list[FindingOut]:
    """Findings for one copy. `substantial` is the containment threshold (None: not applied, e.g. images)."""
    credits = _third_party(facts)
    found: list[FindingOut] = []
    what = "text" if kind == "document" else "image"
    if facts.originals:
        best = facts.originals[0]
        credited = _credited_originals(facts, credits)
        if credited:
            o = credited[0]
            found.append(FindingOut("credited_ok", "info", f"Credits {o.site.name} for the {what} matched to {o.url}.",
                                    {"original": o.url, "credited": _names(credits) or o.site.name}))
        elif credits:
            found.append(FindingOut(
                "misattributed", "high",
                f"Credits {_names(credits)}, but the {what} matches {best.site.name}'s original at {best.url}.",
                {"original": best.url, "credited": _names(credits)},
            ))
        else:
            found.append(FindingOut("missing_credit", "high",
                                    f"Credits no one for {'an' if what == 'image' else 'a'} {what} copied from {best.site.name} ({best.url}).",
                                    {"original": best.url}))
            if facts.disclaimers:
                found.append(FindingOut(
                    "disclaimer_only", "medium",
                    "Relies on a generic disclaimer instead of naming the source: "
                    f"\u201c{facts.disclaimers[0][:160]}\u201d.",
                    {"disclaimer": facts.disclaimers[0]},
                ))
        if substantial is not None and best.containment >= substantial:
            found.append(FindingOut(
                "substantial_copy", "low" if credited else "medium",
                f"Reproduces {best.containment:.0%} of {best.site.name}'s text "
                f"(policy threshold {substantial:.0%}).",
                {"containment": round(best.containment, 4), "threshold": substantial, "original": best.url},
            ))
        stripped = _stripped(facts, best)
        if stripped:
            found.append(stripped)
    elif credits:
        found.append(FindingOut(
            "unverified_credit", "low",
            f"Credits {_names(credits)}, but no original was found in the crawled corpus.",
            {"credited": _names(credits)},
        ))
    return found


def _stripped(facts: Facts, best: OriginalFacts) -> FindingOut | None:
    """metadata_stripped: the original carried credit-bearing embedded fields; the copy lost all of them."""
    if not best.embedded_credit or facts.same_bytes_as_original:
        return None
    copy_values = {v.strip().casefold() for _, v in facts.embedded_credit}
    if any(v.strip().casefold() in copy_values for _, v in best.embedded_credit):
        return None
    fields = ", ".join(k for k, _ in best.embedded_credit)
    return FindingOut(
        "metadata_stripped", "medium",
        f"The original image carries embedded credit ({fields}); this copy has lost it.",
        {"original_fields": dict(best.embedded_credit), "copy_fields": dict(facts.embedded_credit)},
    )
