"""Fixture data for takedown letters, statements of reasons and the transparency report."""

from __future__ import annotations

import copy
from typing import Any

SENDER = {"name": "Harbour Digest", "contact": "copyright@digest.example", "agent": "Dana Agent",
          "address": "1 Quay Street, Portsmouth", "policy_url": "https://digest.example/takedown"}

LETTER: dict[str, Any] = {
    "date": "2025-11-24",
    "ticket": {"id": 12, "kind": "notice", "regime": "dmca", "received_at": "2025-11-24T15:02:00Z"},
    "sender": SENDER,
    "parties": {"complainant": "Northgate Post", "agent": "Jane Complainant", "uploader": "Sam Uploader"},
    "works": ["Harbour shelter cats find homes (Northgate Post, 3 March 2025)"],
    "urls": {"infringing": ["https://digest.example/articles/harbour-shelter-cats.html"],
             "original_work": ["https://northgate.example/stories/shelter-cats.html"]},
    "copies": [{"url": "https://digest.example/articles/harbour-shelter-cats.html", "found_by": "listed",
                "distance": 0},
               {"url": "https://digest.example/amp/harbour-shelter-cats.html", "found_by": "simhash",
                "distance": 3},
               {"url": "https://digest.example/media/c9d4-cat.jpg", "found_by": "image_hash", "distance": 6}],
    "missing": ["signature", "good_faith"],
    "decision": {"outcome": "removed", "reason": "The article reproduces the original text without licence."},
    "counter_notice": {"text": "I, Sam Uploader, swear under penalty of perjury...\nSigned: /s/ Sam"},
    "dates": {"cure_deadline": "2025-12-09", "decided_at": "2025-11-25T10:00:00Z",
              "counter_received_at": "2025-11-19T16:30:00Z", "putback_earliest": "2025-12-04",
              "putback_latest": "2025-12-10", "restored_at": "2025-12-05T09:00:00Z",
              "complaint_deadline": "2026-05-25"},
}


def letter(**changes: Any) -> dict[str, Any]:
    """A deep copy of LETTER with top-level keys replaced."""
    data = copy.deepcopy(LETTER)
    data.update(changes)
    return data


def dsa_letter() -> dict[str, Any]:
    data = letter()
    data["ticket"]["regime"] = "dsa"
    data["missing"] = ["dsa_explanation", "dsa_notifier_identity"]
    return data


SOR: dict[str, Any] = {
    "date": "2025-11-25",
    "ticket": {"id": 12, "regime": "dsa", "received_at": "2025-11-24T15:02:00Z"},
    "item": {"id": "doc-17", "url": "https://digest.example/articles/harbour-shelter-cats.html",
             "content_type": "text", "content_date": "2025-03-04", "language": "en"},
    "decision": {"visibility": "removed", "ground": "illegal",
                 "legal_ground": "Copyright: reproduction without authorisation (Directive 2001/29/EC Art. 2)",
                 "explanation": "The page reproduces the complainant's article almost word for word.",
                 "application_date": "2025-11-25", "territorial_scope": "EEA"},
    "facts": ("Notice from Jane Complainant (jane@northgate.example, +44 20 7946 0958) of Northgate Post. "
              "The text matched the original at simhash distance 3 on 2025-11-24."),
    "source": "article_16",
    "automated": {"detection": True, "decision": "not", "means": "text fingerprint (simhash) matching"},
    "sender": SENDER,
    "parties": {"complainant": "Northgate Post", "agent": "Jane Complainant", "uploader": "Sam Uploader",
                "email": "jane@northgate.example", "phone": "+44 20 7946 0958"},
    "redress": {"complaint_deadline": "2026-05-25"},
}


TRANSPARENCY: dict[str, Any] = {
    "generated_at": "2026-01-05T09:00:00Z",
    "period": {"from": "2025-07-01", "to": "2025-12-31"},
    "provider": {"name": "Harbour Digest", "contact": "copyright@digest.example"},
    "calendar": "US federal",
    "notices": {"total": 14, "by_kind": {"notice": 10, "counter_notice": 2, "retraction": 1, "other": 1},
                "by_regime": {"dmca": 9, "dsa": 4, "other": 1},
                "by_outcome": {"removed": 6, "disabled": 1, "rejected": 2, "credit_fixed": 1, "pending": 4},
                "cure_requests_sent": 3},
    "counter_notices": {"received": 2, "forwarded": 2, "restored": 1, "court_action_reported": 0},
    "copies": {"listed": 12, "found_beyond_listed": 5, "by_method": {"simhash": 3, "image_hash": 2}},
    "automation": {"detected_by_fingerprint": 5, "detected_manually": 12, "decided_automatically": 0},
    "timing": {"to_action": {"n": 7, "median_hours": 20.5, "p90_hours": 47.0, "median_business_days": 1,
                             "p90_business_days": 2},
               "to_decision": {"n": 10, "median_hours": 26.25, "p90_hours": 71.5, "median_business_days": 1,
                               "p90_business_days": 3}},
    "dsa": {"art15_1_b": {"notices_by_category": {"STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": 4},
                          "trusted_flagger_notices": 0, "actions_on_legal_ground": 3,
                          "actions_on_contractual_ground": 0, "processed_by_automated_means": 0,
                          "median_hours_to_action": 18.0},
            "art24_1_a": {"disputes_submitted": 0, "outcomes": {}, "median_days_to_complete": None,
                          "share_implemented": None},
            "art24_1_b": {"manifestly_illegal_content": 0, "manifestly_unfounded_notices": 0,
                          "manifestly_unfounded_complaints": 0}},
    "method": ["time to action runs from receipt of a complete notice"],
}
