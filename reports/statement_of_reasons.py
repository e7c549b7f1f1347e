"""DSA Article 17 statements of reasons: a text for the uploader and a personal-data-free record for the EU database.

`data` (every string untrusted):

    {"date": "2025-11-25",
     "ticket": {"id": 12, "regime": "dsa", "received_at": "2025-11-24T15:02:00Z"},
     "item": {"id": "doc-17", "url": "...", "content_type": "text"|"image"|..., "content_date": "2025-03-04",
              "language": "en"},
     "decision": {"visibility": "removed"|"disabled"|"demoted"|... (or a DECISION_VISIBILITY_* key),
                  "ground": "illegal"|"incompatible", "legal_ground": "...", "explanation": "...",
                  "contractual_ground": "...", "contractual_explanation": "...", "reference_url": "https://...",
                  "application_date": "2025-11-25", "end_date": null,
                  "territorial_scope": "EU"|"EEA"|"worldwide"|["DE", "FR"]},
     "facts": "facts and circumstances (multi-line)",
     "source": "article_16"|"trusted_flagger"|"voluntary"|"other_notification",
     "automated": {"detection": true, "decision": "not"|"partially"|"fully", "means": "text fingerprint"},
     "category": "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",       # the default
     "redress": {"complaint_deadline": "2026-05-25", "complaint_contact": "...", "out_of_court": "..."},
     "sender": {"name": "...", "contact": "..."},
     "parties": {...}}             # used only to scrub the parties' names from the database record

The JSON uses the attribute names and enumeration keys of the DSA Transparency Database API
(transparency.dsa.ec.europa.eu, "API and Schema"; Statement model and StatementStoreRequest rules).
Art. 24(5) forbids personal data in what is submitted: free text is scrubbed of e-mail addresses,
phone numbers and the parties' names, and no URL, notifier identity or contact is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from compliance.errors import ReportError
from reports.environment import environment
from reports import tdb_rules as tdb
from reports.filters import as_dict, iso_day

VISIBILITY = {"removed": "DECISION_VISIBILITY_CONTENT_REMOVED", "disabled": "DECISION_VISIBILITY_CONTENT_DISABLED",
              "demoted": "DECISION_VISIBILITY_CONTENT_DEMOTED",
              "age_restricted": "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
              "interaction_restricted": "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
              "labelled": "DECISION_VISIBILITY_CONTENT_LABELLED", "other": "DECISION_VISIBILITY_OTHER"}
VISIBILITY_WORDS = {"DECISION_VISIBILITY_CONTENT_REMOVED": "removal of the content",
                    "DECISION_VISIBILITY_CONTENT_DISABLED": "disabling access to the content",
                    "DECISION_VISIBILITY_CONTENT_DEMOTED": "demotion of the content",
                    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED": "age restriction of the content",
                    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED": "restricting interaction with the content",
                    "DECISION_VISIBILITY_CONTENT_LABELLED": "labelling of the content",
                    "DECISION_VISIBILITY_OTHER": "another restriction of the content"}
GROUND = {"illegal": "DECISION_GROUND_ILLEGAL_CONTENT", "incompatible": "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
SOURCE = {"article_16": "SOURCE_ARTICLE_16", "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
          "voluntary": "SOURCE_VOLUNTARY", "other_notification": "SOURCE_TYPE_OTHER_NOTIFICATION"}
SOURCE_WORDS = {"SOURCE_ARTICLE_16": "a notice submitted under Article 16",
                "SOURCE_TRUSTED_FLAGGER": "a notice submitted by a trusted flagger (Article 22)",
                "SOURCE_VOLUNTARY": "our own initiative",
                "SOURCE_TYPE_OTHER_NOTIFICATION": "another type of notification"}
AUTOMATED_DECISION = {"not": "AUTOMATED_DECISION_NOT_AUTOMATED", "partially": "AUTOMATED_DECISION_PARTIALLY",
                      "fully": "AUTOMATED_DECISION_FULLY"}
CONTENT_TYPES = ("app", "audio", "image", "product", "synthetic_media", "text", "video", "other")
DEFAULT_CATEGORY = "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
      "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
EEA = tuple(sorted((*EU, "IS", "LI", "NO")))

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\w/.])\+?\(?\d[\d\s().-]{5,}\d(?![\w/])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_PUID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
PRIVATE = "[private]"


def _enum(value: object, table: Mapping[str, str], prefix: str, what: str) -> str:
    """A short name ("removed") or one of the database's own keys ("DECISION_VISIBILITY_CONTENT_REMOVED")."""
    raw = str(value or "").strip()
    if raw in table.values():
        return raw
    if raw.lower() in table:
        return table[raw.lower()]
    raise ReportError(f"Unknown {what} {raw!r} for a statement of reasons.", f"use one of {', '.join(table)}")


def _scope(value: object) -> list[str]:
    # The database only knows EU/EEA member states: a worldwide decision is reported as the EEA.
    if value in (None, "", "worldwide", "global", "EEA", "eea"):
        return list(EEA)
    if value in ("EU", "eu"):
        return list(EU)
    codes = [str(c).upper() for c in (value if isinstance(value, (list, tuple)) else [value])]
    bad = [c for c in codes if c not in EEA]
    if bad:
        raise ReportError(f"Territorial scope {', '.join(bad)} is not an EU/EEA country code.",
                          "use two-letter codes such as DE, or EU, EEA or worldwide")
    return sorted(set(codes))


def _numbers(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        s = m.group()
        digits = sum(ch.isdigit() for ch in s)
        return s if digits < 7 or _ISO_DATE.match(s.strip()) else PRIVATE

    return _PHONE.sub(repl, text)


def _names(data: Mapping[str, Any]) -> list[str]:
    """Strings that identify a party: their full values, then their capitalised words ("Doe" alone)."""
    values = [str(v).strip() for v in as_dict(data.get("parties")).values() if isinstance(v, str)]
    words = {w for v in values for w in re.findall(r"\b[^\W\d_][\w'-]{2,}", v) if w[0].isupper()}
    full = sorted({v for v in values if len(v) >= 3}, key=len, reverse=True)
    return full + sorted(words - set(full), key=len, reverse=True)


def scrub(text: object, names: Iterable[str] = ()) -> str:
    """Text for a public record: e-mail addresses, phone numbers and the given names replaced by [private].

    Full names match in any case; single capitalised words only as capitalised ("Doe", not "doe").
    """
    out = _EMAIL.sub(PRIVATE, str(text or ""))
    out = _numbers(out)
    for name in names:
        if not name or name == PRIVATE:
            continue
        flags = re.IGNORECASE if re.search(r"\s", name) or not name[:1].isupper() else 0
        out = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", PRIVATE, out, flags=flags)
    return " ".join(out.split())


def _safe_id(value: str) -> str:
    """An id in the puid alphabet, injectively: other characters written as _XX hex ("doc.17" -> "doc_2e17")."""
    return _PUID_UNSAFE.sub(lambda m: "".join(f"_{b:02x}" for b in m.group().encode("utf-8")), value)


def _puid(data: Mapping[str, Any], names: list[str]) -> str:
    # Our ids only (ticket, item, decision): the database keeps each puid per platform forever, so a second decision
    # about the same item (after a complaint, a restoration) needs its own; no personal data ever goes in it.
    ticket_id = str(as_dict(data.get("ticket")).get("id") or "").strip()
    if not ticket_id:
        raise ReportError("A statement of reasons needs ticket.id (its puid is built from it).",
                          "pass the ticket's id in the statement data")
    item_id = scrub(as_dict(data.get("item")).get("id"), names).replace(PRIVATE, "x")
    decision_id = str(as_dict(data.get("decision")).get("id") or "").strip()
    raw = f"ticket-{_safe_id(ticket_id)}" + (f"-item-{_safe_id(item_id)}" if item_id else "")
    raw += f"-decision-{_safe_id(decision_id)}" if decision_id else ""
    return raw[:500]


def _content_types(value: object) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value or "text"]
    out = []
    for item in items:
        key = str(item).strip()
        if key in tdb.CONTENT_TYPES:
            out.append(key)
        elif key.lower() in CONTENT_TYPES:
            out.append(f"CONTENT_TYPE_{key.upper()}")
        else:
            raise ReportError(f"Unknown content type {key!r}.", f"use one of {', '.join(CONTENT_TYPES)}")
    return sorted(set(out))


def _normalised(data: Mapping[str, Any]) -> dict[str, Any]:
    decision = as_dict(data.get("decision"))
    automated = as_dict(data.get("automated"))
    item = as_dict(data.get("item"))
    return {
        "visibility": _enum(decision.get("visibility") or "removed", VISIBILITY, "DECISION_VISIBILITY_",
                            "decision visibility"),
        "ground": _enum(decision.get("ground") or "illegal", GROUND, "DECISION_GROUND_", "decision ground"),
        "source": _enum(data.get("source") or "article_16", SOURCE, "SOURCE_", "information source"),
        "automated_decision": _enum(automated.get("decision") or "not", AUTOMATED_DECISION, "AUTOMATED_DECISION_",
                                    "automated decision"),
        "automated_detection": _yes(automated.get("detection")),
        "scope": _scope(decision.get("territorial_scope")),
        "content_types": _content_types(item.get("content_type")),
        "application_date": iso_day(decision.get("application_date") or data.get("date")),
        "end_date": iso_day(decision.get("end_date")),
        "content_date": iso_day(item.get("content_date")),
        "category": _category(data.get("category")),
    }


def _yes(value: object) -> bool:
    """A yes/no answer however it is written ("false" and "no" are no, as False is)."""
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "true", "1", "y")
    return bool(value)


def _category(value: object) -> str:
    category = str(value or DEFAULT_CATEGORY).strip()
    if category not in tdb.CATEGORIES:
        raise ReportError(f"Unknown statement category {category!r}.",
                          "use one of the database's STATEMENT_CATEGORY_* keys")
    return category


def statement_of_reasons_json(data: dict[str, Any]) -> dict[str, Any]:
    """The statement as a DSA Transparency Database submission (no personal data; see the module docstring)."""
    n = _normalised(data)
    if not n["content_date"] or not n["application_date"]:
        raise ReportError("A statement of reasons needs item.content_date and decision.application_date.",
                          "pass the content's posting (or first-seen) date and the decision date as YYYY-MM-DD")
    names = _names(data)
    decision = as_dict(data.get("decision"))
    out: dict[str, Any] = {
        "decision_visibility": [n["visibility"]],
        "decision_ground": n["ground"],
        "category": n["category"],
        "content_type": n["content_types"],
        "territorial_scope": n["scope"],
        "content_date": n["content_date"],
        "application_date": n["application_date"],
        "end_date_visibility_restriction": n["end_date"],
        "decision_facts": (scrub(data.get("facts"), names)
                           or "Decision taken on a notice about reproduced content.")[:5000],
        "source_type": n["source"],
        "automated_detection": "Yes" if n["automated_detection"] else "No",
        "automated_decision": n["automated_decision"],
        "puid": _puid(data, names),
    }
    if n["category"] == DEFAULT_CATEGORY:
        out["category_specification"] = ["KEYWORD_COPYRIGHT_INFRINGEMENT"]
    if n["ground"] == GROUND["illegal"]:
        out["illegal_content_legal_ground"] = (scrub(decision.get("legal_ground"), names)
                                               or "Copyright infringement")[:500]
        out["illegal_content_explanation"] = scrub(decision.get("explanation"), names)[:2000]
    else:
        out["incompatible_content_ground"] = scrub(decision.get("contractual_ground"), names)[:500]
        out["incompatible_content_explanation"] = scrub(decision.get("contractual_explanation"), names)[:2000]
        out["incompatible_content_illegal"] = "Yes" if decision.get("legal_ground") else "No"
    for key, field in (("DECISION_VISIBILITY_OTHER", "visibility_other"), ("CONTENT_TYPE_OTHER", "content_type_other")):
        if key in out["decision_visibility"] + out["content_type"]:
            out["decision_visibility_other" if field == "visibility_other" else field] = scrub(
                decision.get(field) or as_dict(data.get("item")).get(field), names)[:500]
    reference = decision.get("reference_url")
    if isinstance(reference, str) and len(reference) <= 500 and tdb.url_accepted(reference):
        out["decision_ground_reference_url"] = reference  # a URL over 500 characters is dropped, never cut
    language = str(as_dict(data.get("item")).get("language") or "").split("-")[0].upper()
    if language in tdb.LANGUAGES:
        out["content_language"] = language
    errors = tdb.store_request_errors(out)
    if errors:
        raise ReportError(f"The statement of reasons would be refused by the DSA Transparency Database: "
                          f"{'; '.join(errors)}.", "correct the decision data (see reports/tdb_rules.py)")
    return out


def render_statement_of_reasons(data: dict[str, Any]) -> str:
    """The Art. 17(3)(a)-(f) statement as plain text, for the recipient of the decision."""
    n = _normalised(data)
    decision = as_dict(data.get("decision"))
    redress = as_dict(data.get("redress"))
    view = {
        "date": data.get("date"), "ticket": as_dict(data.get("ticket")),
        "sender": {k: as_dict(data.get("sender")).get(k) for k in ("name", "contact")},
        "item": {k: as_dict(data.get("item")).get(k) for k in ("url", "content_date")},
        "restriction": VISIBILITY_WORDS.get(n["visibility"], n["visibility"]),
        "scope": "the European Economic Area" if n["scope"] == list(EEA) else
                 "the European Union" if n["scope"] == list(EU) else ", ".join(n["scope"]),
        "worldwide": decision.get("territorial_scope") in ("worldwide", "global"),
        "application_date": n["application_date"], "end_date": n["end_date"],
        "facts": data.get("facts"), "source": SOURCE_WORDS.get(n["source"], n["source"]),
        "notice": n["source"] in ("SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER"),
        "detection": n["automated_detection"], "automated_decision": n["automated_decision"],
        "means": as_dict(data.get("automated")).get("means"),
        "illegal": n["ground"] == GROUND["illegal"],
        "legal_ground": decision.get("legal_ground"), "explanation": decision.get("explanation"),
        "contractual_ground": decision.get("contractual_ground"),
        "contractual_explanation": decision.get("contractual_explanation"),
        "complaint_deadline": redress.get("complaint_deadline"),
        "complaint_contact": redress.get("complaint_contact") or as_dict(data.get("sender")).get("contact"),
        "out_of_court": redress.get("out_of_court"),
    }
    return environment().get_template("letters/statement_of_reasons.txt.j2").render(**view)


__all__ = ["DEFAULT_CATEGORY", "EEA", "EU", "render_statement_of_reasons", "scrub", "statement_of_reasons_json"]
