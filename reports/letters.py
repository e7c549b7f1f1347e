"""Plain-text takedown letters from plain ticket data, citing the provision behind every step.

`render_letter(kind, data)` for the kinds in `LETTER_KINDS`. `data` (every string untrusted):

    {"date": "2025-11-24",                                   # the letter's date (required)
     "ticket": {"id": 12, "kind": "notice", "regime": "dmca"|"dsa"|"other",
                "received_at": "2025-11-24T15:02:00Z"},
     "sender": {"name": "Harbour Digest", "contact": "copyright@digest.example",   # name, contact required
                "address": "...", "agent": "designated agent's name", "policy_url": "https://..."},
     "recipient": {"name": "...", "contact": "..."},        # optional; default from parties
     "parties": {"complainant": "...", "agent": "...", "uploader": "..."},
     "works": ["the copyrighted work as described"],
     "urls": {"infringing": ["..."], "original_work": ["..."]},
     "copies": [{"url": "...", "found_by": "listed"|"simhash"|"image_hash", "distance": 0}],
     "missing": ["signature", {"element": "good_faith", "label": "...", "cite": "..."}],
     "decision": {"outcome": "removed"|"disabled"|"rejected"|"credit_fixed", "reason": "multi-line text"},
     "counter_notice": {"text": "the counter-notice as received (multi-line)"},
     "restoration": {"reason": "why restored (multi-line); default: the 512(g)(2)(C) period ran out"},
     "dates": {"cure_deadline", "decided_at", "counter_received_at", "putback_earliest",
               "putback_latest", "restored_at", "complaint_deadline"},     # ISO strings or date(time)s
     "disclose_complainant": true}                           # notice_to_uploader; default: regime dmca

Deadlines are computed by `compliance.takedown.clock` and passed in; this module only words them. The DSA
statement of reasons lives in `reports.statement_of_reasons` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.errors import ReportError
from reports.statement_of_reasons import render_statement_of_reasons, statement_of_reasons_json
from reports.environment import environment
from reports.filters import as_dict, as_list

LETTER_KINDS = ("acknowledgement", "cure_request", "decision_complainant", "notice_to_uploader", "complaint_decision",
                "counter_forwarded", "restoration")
OUTCOMES = ("removed", "disabled", "rejected", "credit_fixed", "upheld", "reversed")

# Plain words for each element a notice must contain, with the provision that names it.
NOTICE_ELEMENTS: dict[str, tuple[str, str]] = {
    "signature": ("a physical or electronic signature of a person authorised to act for the copyright owner",
                  "17 U.S.C. 512(c)(3)(A)(i)"),
    "copyrighted_work": ("identification of the copyrighted work you say is infringed",
                         "17 U.S.C. 512(c)(3)(A)(ii)"),
    "infringing_material": (("identification of the material you say infringes, with enough information to "
                            "locate it (for example its exact URL)"), "17 U.S.C. 512(c)(3)(A)(iii)"),
    "contact_info": (("information that lets us contact you, such as an address, telephone number or e-mail "
                     "address"), "17 U.S.C. 512(c)(3)(A)(iv)"),
    "good_faith": (("a statement that you believe in good faith that the use is not authorised by the "
                   "copyright owner, its agent or the law"), "17 U.S.C. 512(c)(3)(A)(v)"),
    "accuracy_under_perjury": (("a statement that the notice is accurate and, under penalty of perjury, that "
                               "you are authorised to act for the copyright owner"), "17 U.S.C. 512(c)(3)(A)(vi)"),
    "dsa_explanation": ("a sufficiently substantiated explanation of why you consider the content illegal",
                        "DSA Art. 16(2)(a)"),
    "dsa_exact_location": ("the exact electronic location of the content, such as its exact URL",
                           "DSA Art. 16(2)(b)"),
    "dsa_notifier_identity": ("your name and e-mail address", "DSA Art. 16(2)(c)"),
    "dsa_bona_fide_statement": (("a statement that you believe in good faith that the information and "
                                "allegations in the notice are accurate and complete"), "DSA Art. 16(2)(d)"),
}
COUNTER_ELEMENTS: dict[str, tuple[str, str]] = {
    "signature": ("your physical or electronic signature", "17 U.S.C. 512(g)(3)(A)"),
    "material_identified": (("identification of the material that was removed or disabled and where it "
                            "appeared before"), "17 U.S.C. 512(g)(3)(B)"),
    "mistake_statement_under_perjury": (("a statement under penalty of perjury that you believe in good faith "
                                        "the material was removed or disabled by mistake or misidentification"),
                                        "17 U.S.C. 512(g)(3)(C)"),
    "subscriber_contact": ("your name, address and telephone number", "17 U.S.C. 512(g)(3)(D)"),
    "consent_to_jurisdiction": (("a statement that you consent to the jurisdiction of the Federal District "
                                "Court for the judicial district of your address (or, if you are outside the "
                                "United States, any judicial district in which we may be found)"),
                                "17 U.S.C. 512(g)(3)(D)"),
    "accept_service_of_process": (("a statement that you will accept service of process from the person who "
                                  "sent the notice, or that person's agent"), "17 U.S.C. 512(g)(3)(D)"),
}

_FOUND_BY = {"listed": "listed in the notice", "simhash": "found by text fingerprint",
             "image_hash": "found by image fingerprint", "manual": "found by our review"}

# What each letter cannot be written without (dotted paths into `data`).
_REQUIRED: dict[str, tuple[str, ...]] = {
    "acknowledgement": ("ticket.received_at",),
    "cure_request": ("missing", "dates.cure_deadline"),
    "decision_complainant": ("decision.outcome",),
    "notice_to_uploader": ("decision.outcome",),
    "counter_forwarded": ("dates.counter_received_at", "dates.putback_earliest", "dates.putback_latest"),
    "restoration": ("dates.restored_at",),
    "complaint_decision": ("decision.outcome", "decision.reason"),
}
_COMMON = ("date", "ticket.id", "sender.name", "sender.contact")


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def element_label(name: str, counter: bool = False) -> dict[str, str]:
    """{"element", "label", "cite"} for an element name of DESIGN.md's completeness check."""
    tables = (COUNTER_ELEMENTS, NOTICE_ELEMENTS) if counter else (NOTICE_ELEMENTS, COUNTER_ELEMENTS)
    for table in tables:
        if name in table:
            words, cite = table[name]
            return {"element": name, "label": words, "cite": cite}
    return {"element": name, "label": name.replace("_", " "), "cite": ""}


def _missing(raw: object, counter: bool) -> list[dict[str, str]]:
    out = []
    for item in as_list(raw):
        if isinstance(item, Mapping):
            base = element_label(str(item.get("element") or ""), counter)
            out.append({**base, **{k: str(item[k]) for k in ("label", "cite") if item.get(k)}})
        elif item:
            out.append(element_label(str(item), counter))
    return out


def _copies(raw: object) -> dict[str, list[dict[str, Any]]]:
    listed: list[dict[str, Any]] = []
    found: list[dict[str, Any]] = []
    for c in map(as_dict, as_list(raw)):
        how = str(c.get("found_by") or "listed")
        row = {"url": c.get("url"), "how": _FOUND_BY.get(how, how.replace("_", " ")), "distance": c.get("distance")}
        (listed if how == "listed" else found).append(row)
    return {"listed": listed, "found": found}


def _view(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    ticket = as_dict(data.get("ticket"))
    parties = as_dict(data.get("parties"))
    regime = str(ticket.get("regime") or "dmca")
    counter = ticket.get("kind") == "counter_notice"
    to_uploader = kind in ("notice_to_uploader", "restoration")
    recipient = as_dict(data.get("recipient"))
    known = recipient.get("name") or (parties.get("uploader") if to_uploader else
                                      parties.get("complainant") or parties.get("agent"))
    # A name the notice gave is used; without one the letter is addressed, not misnamed ("Dear the complainant").
    recipient["name"] = known or ("the uploader" if to_uploader else "the complainant")
    greeting = known or "Sir or Madam"
    urls = as_dict(data.get("urls"))
    copies = _copies(data.get("copies"))
    infringing = as_list(urls.get("infringing"))
    affected = [c["url"] for c in copies["listed"] + copies["found"]] or infringing
    missing = _missing(data.get("missing"), counter)
    decision = as_dict(data.get("decision"))
    outcome = str(decision.get("outcome") or "")
    if outcome and outcome not in OUTCOMES:
        raise ReportError(f"Unknown decision outcome {outcome!r} for a {kind} letter.",
                          f"use one of {', '.join(OUTCOMES)}")
    return {
        "kind": kind, "date": data.get("date"), "regime": regime, "dsa": regime == "dsa",
        "ticket": {"id": ticket.get("id"), "kind": ticket.get("kind") or "notice",
                   "received_at": ticket.get("received_at"), "remedy": str(ticket.get("remedy") or "remove")},
        "sender": {k: as_dict(data.get("sender")).get(k) for k in ("name", "contact", "address", "agent",
                                                                    "policy_url")},
        "recipient": {"name": recipient.get("name"), "contact": recipient.get("contact"), "greeting": greeting},
        "remedy": str(ticket.get("remedy") or "remove"),
        "parties": {k: parties.get(k) for k in ("complainant", "agent", "uploader")},
        "disclose_complainant": bool(data.get("disclose_complainant", regime == "dmca")),
        "works": as_list(data.get("works")),
        "infringing": infringing, "original_work": as_list(urls.get("original_work")),
        "copies": copies, "affected": affected,
        "missing": missing,
        # 512(c)(3)(B)(ii): only a notice with (ii)-(iv) present earns a request to cure.
        "substantial": not {m["element"] for m in missing} & {"copyrighted_work", "infringing_material",
                                                              "contact_info"},
        "counter_elements": [element_label(n, counter=True) for n in COUNTER_ELEMENTS],
        "decision": {"outcome": outcome, "reason": decision.get("reason")},
        "counter_text": as_dict(data.get("counter_notice")).get("text"),
        "restoration_reason": as_dict(data.get("restoration")).get("reason"),
        "parent_ticket": data.get("parent_ticket"),
        "dates": {k: as_dict(data.get("dates")).get(k) for k in (
            "cure_deadline", "decided_at", "counter_received_at", "putback_earliest", "putback_latest",
            "restored_at", "complaint_deadline")},
    }


def render_letter(kind: str, data: dict[str, Any]) -> str:
    """Render letter `kind` for the ticket `data` (shape in the module docstring) as plain text.

    `kind="statement_of_reasons"` renders the DSA Art. 17 statement from its own data shape.
    """
    if kind == "statement_of_reasons":  # same call site as the letters; takes the statement's data shape
        return render_statement_of_reasons(data)
    if kind not in LETTER_KINDS:
        raise ReportError(f"Unknown letter kind {kind!r}.", f"use one of {', '.join(LETTER_KINDS)}")
    needed = [p for p in (*_COMMON, *_REQUIRED[kind]) if _lookup(data, p) in (None, "", [], {})]
    if kind == "notice_to_uploader" and as_dict(data.get("ticket")).get("regime") == "dsa":
        needed += [p for p in ("dates.complaint_deadline",) if not _lookup(data, p)]
    if needed:
        raise ReportError(f"The {kind} letter needs {', '.join(needed)}.", "pass them in the letter data")
    return environment().get_template(f"letters/{kind}.txt.j2").render(**_view(kind, data))


__all__ = ["COUNTER_ELEMENTS", "LETTER_KINDS", "NOTICE_ELEMENTS", "OUTCOMES", "element_label", "render_letter",
           "render_statement_of_reasons", "statement_of_reasons_json"]
