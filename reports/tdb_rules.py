"""The EU DSA Transparency Database's own rules for storing a statement of reasons, as a validator.

Read from the database's source (`digital-services-act/transparency-database`, main at 69e80a0, 2026-06-24:
`StatementStoreRequest` rules and the `Statement` model's enumerations; Laravel 12 semantics: strings are trimmed
and "" counts as missing, `date_format:Y-m-d` is exact, `url` accepts only RFC 3986 characters). A statement the
database would refuse with HTTP 422 is refused here first, naming the field, so no decision is recorded with a
statement that cannot be filed. Rules that are ours, not the database's, are marked so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

DECISION_VISIBILITIES = frozenset({
    "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER"})
DECISION_MONETARIES = frozenset({"DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION",
                                 "DECISION_MONETARY_OTHER"})
DECISION_PROVISIONS = frozenset({"DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
                                 "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION"})
DECISION_ACCOUNTS = frozenset({"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"})
ACCOUNT_TYPES = frozenset({"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"})
DECISION_GROUNDS = frozenset({"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"})
CONTENT_TYPES = frozenset({"CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
                           "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO",
                           "CONTENT_TYPE_OTHER"})
CATEGORIES = frozenset(f"STATEMENT_CATEGORY_{c}" for c in (
    "ANIMAL_WELFARE", "CONSUMER_INFORMATION", "CYBER_VIOLENCE", "CYBER_VIOLENCE_AGAINST_WOMEN",
    "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "ILLEGAL_OR_HARMFUL_SPEECH", "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", "NOT_SPECIFIED_NOTICE", "OTHER_VIOLATION_TC",
    "PROTECTION_OF_MINORS", "RISK_FOR_PUBLIC_SECURITY", "SCAMS_AND_FRAUD", "SELF_HARM",
    "UNSAFE_AND_PROHIBITED_PRODUCTS", "VIOLENCE"))
KEYWORDS = frozenset(f"KEYWORD_{k}" for k in (
    "ADULT_SEXUAL_MATERIAL", "AGE_SPECIFIC_RESTRICTIONS", "AGE_SPECIFIC_RESTRICTIONS_MINORS", "ANIMAL_HARM",
    "BIOMETRIC_DATA_BREACH", "BULLYING_AGAINST_GIRLS", "CHILD_SEXUAL_ABUSE_MATERIAL",
    "CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE", "CONTENT_PROMOTING_EATING_DISORDERS", "COORDINATED_HARM",
    "COPYRIGHT_INFRINGEMENT", "CYBER_BULLYING_INTIMIDATION", "CYBER_HARASSMENT", "CYBER_HARASSMENT_AGAINST_WOMEN",
    "CYBER_INCITEMENT", "CYBER_STALKING", "CYBER_STALKING_AGAINST_WOMEN", "DATA_FALSIFICATION", "DEFAMATION",
    "DESIGN_INFRINGEMENT", "DISCRIMINATION", "FEMALE_GENDERED_DISINFORMATION", "GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
    "GEOGRAPHICAL_REQUIREMENTS", "GOODS_SERVICES_NOT_PERMITTED", "GROOMING_SEXUAL_ENTICEMENT_MINORS", "HATE_SPEECH",
    "HIDDEN_ADVERTISEMENT", "HUMAN_EXPLOITATION", "HUMAN_TRAFFICKING", "ILLEGAL_ORGANIZATIONS",
    "IMPERSONATION_ACCOUNT_HIJACKING", "INAUTHENTIC_ACCOUNTS", "INAUTHENTIC_LISTINGS", "INAUTHENTIC_USER_REVIEWS",
    "INCITEMENT_AGAINST_WOMEN", "INCITEMENT_VIOLENCE_HATRED", "INSUFFICIENT_INFORMATION_ON_TRADERS",
    "LANGUAGE_REQUIREMENTS", "MISINFORMATION_DISINFORMATION", "MISLEADING_INFO_CONSUMER_RIGHTS",
    "MISLEADING_INFO_GOODS_SERVICES", "MISSING_PROCESSING_GROUND", "NON_CONSENSUAL_IMAGE_SHARING",
    "NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN", "NON_CONSENSUAL_MATERIAL_DEEPFAKE",
    "NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN", "NONCOMPLIANCE_PRICING", "NUDITY", "PATENT_INFRINGEMENT",
    "PHISHING", "PROHIBITED_PRODUCTS", "PYRAMID_SCHEMES", "RIGHT_TO_BE_FORGOTTEN", "RISK_ENVIRONMENTAL_DAMAGE",
    "RISK_PUBLIC_HEALTH", "SELF_MUTILATION", "STALKING", "SUICIDE", "TERRORIST_CONTENT", "TRADE_SECRET_INFRINGEMENT",
    "TRADEMARK_INFRINGEMENT", "TRAFFICKING_WOMEN_GIRLS", "UNLAWFUL_SALE_ANIMALS", "UNSAFE_CHALLENGES",
    "UNSAFE_PRODUCTS", "VIOLATION_EU_LAW", "VIOLATION_NATIONAL_LAW", "OTHER"))
SOURCE_TYPES = frozenset({"SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION",
                          "SOURCE_VOLUNTARY"})
AUTOMATED_DECISIONS = frozenset({"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
                                 "AUTOMATED_DECISION_NOT_AUTOMATED"})
YES_NO = frozenset({"Yes", "No"})
EEA_COUNTRIES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI "
                          "SK".split())
LANGUAGES = frozenset((
    "AA AB AE AF AK AM AN AR AS AV AY AZ BA BE BG BH BI BM BN BO BR BS CA CE CH CO CR CS CU CV CY DA DE DV DZ EE EL "
    "EN EO ES ET EU FA FF FI FJ FO FR FY GA GD GL GN GU GV HA HE HI HO HR HT HU HY HZ IA ID IE IG II IK IO IS IT IU "
    "JA JV KA KG KI KJ KK KL KM KN KO KR KS KU KV KW KY LA LB LG LI LN LO LT LU LV MG MH MI MK ML MN MR MS MT MY NA "
    "NB ND NE NG NL NN NO NR NV NY OC OJ OM OR OS PA PI PL PS PT QU RM RN RO RU RW SA SC SD SE SG SI SK SL SM SN SO "
    "SQ SR SS ST SU SV SW TA TE TG TH TI TK TL TN TO TR TS TT TW TY UG UK UR UZ VE VI VO WA WO XH YI YO ZA ZH ZU"
).split())
_PUID = re.compile(r"[A-Za-z0-9_-]{1,500}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Laravel's `url` rule: a scheme, a host, then only RFC 3986 characters (a % only as an escape).
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?"
                  r"(?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*"
                  r"(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\[\]]|%[0-9A-Fa-f]{2})*)?"
                  r"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?")
_DATE_RANGES = {"content_date": (date(2000, 1, 1), date(2038, 1, 1)),
                "application_date": (date(2020, 1, 1), date(2038, 1, 1))}
_END_DATES = ("end_date_account_restriction", "end_date_monetary_restriction", "end_date_service_restriction",
              "end_date_visibility_restriction")


def url_accepted(value: str) -> bool:
    """Whether the database's `url` rule accepts this URL."""
    return bool(_URL.fullmatch(value))


def _text(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    return value.strip() or None if isinstance(value, str) else str(value)


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def store_request_errors(body: Mapping[str, Any]) -> list[str]:
    """Why the database would refuse this statement (empty: it would be stored)."""
    errors: list[str] = []

    def need(key: str, what: str = "is required") -> None:
        if _text(body, key) is None:
            errors.append(f"{key} {what}")

    def one_of(key: str, allowed: frozenset[str], *, required: bool = False) -> None:
        value = body.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors.append(f"{key} is required")
        elif not isinstance(value, str) or value not in allowed:
            errors.append(f"{key} {value!r} is not one of the database's values")

    def items(key: str, allowed: frozenset[str], *, required: bool = False) -> list[str]:
        value = body.get(key)
        if value is None:
            if required:
                errors.append(f"{key} is required")
            return []
        if not isinstance(value, list) or (required and not value):
            errors.append(f"{key} must be a non-empty list" if required else f"{key} must be a list")
            return []
        bad = [v for v in value if not isinstance(v, str) or v not in allowed]
        if bad:
            errors.append(f"{key} holds values the database does not know: {bad[:3]}")
        return [v for v in value if isinstance(v, str)]

    def longest(key: str, limit: int) -> None:
        value = _text(body, key)
        if value is not None and len(value) > limit:
            errors.append(f"{key} is longer than {limit} characters")

    visibility = items("decision_visibility", DECISION_VISIBILITIES)
    one_of("decision_monetary", DECISION_MONETARIES)
    one_of("decision_provision", DECISION_PROVISIONS)
    one_of("decision_account", DECISION_ACCOUNTS)
    one_of("account_type", ACCOUNT_TYPES)
    if not visibility and not any(_text(body, k) for k in ("decision_monetary", "decision_provision",
                                                           "decision_account")):
        errors.append("no restriction: decision_visibility, _monetary, _provision or _account is required")
    if "DECISION_VISIBILITY_OTHER" in visibility:
        need("decision_visibility_other", "is required with DECISION_VISIBILITY_OTHER")
    if body.get("decision_monetary") == "DECISION_MONETARY_OTHER":
        need("decision_monetary_other", "is required with DECISION_MONETARY_OTHER")
    one_of("decision_ground", DECISION_GROUNDS, required=True)
    if body.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        need("illegal_content_legal_ground", "is required for illegal content")
        need("illegal_content_explanation", "is required for illegal content")
    if body.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        need("incompatible_content_ground", "is required for content incompatible with the terms")
        need("incompatible_content_explanation", "is required for content incompatible with the terms")
        if "incompatible_content_illegal" in body:
            one_of("incompatible_content_illegal", YES_NO, required=True)
    content_types = items("content_type", CONTENT_TYPES, required=True)
    if "CONTENT_TYPE_OTHER" in content_types:
        need("content_type_other", "is required with CONTENT_TYPE_OTHER")
    one_of("category", CATEGORIES, required=True)
    if "category_addition" in body:
        items("category_addition", CATEGORIES, required=False)
    items("category_specification", KEYWORDS)
    items("territorial_scope", EEA_COUNTRIES)
    if body.get("content_language") is not None:
        one_of("content_language", LANGUAGES)
    for key, (low, high) in _DATE_RANGES.items():
        day = _day(body.get(key))
        if day is None:
            errors.append(f"{key} must be a YYYY-MM-DD date")
        elif not low <= day <= high:
            errors.append(f"{key} {day} is outside {low} to {high}")
    for key in _END_DATES:
        if body.get(key) is not None:
            day = _day(body.get(key))
            if day is None or day > date(2038, 1, 1):
                errors.append(f"{key} must be a YYYY-MM-DD date no later than 2038-01-01")
    need("decision_facts")
    one_of("source_type", SOURCE_TYPES, required=True)
    one_of("automated_detection", YES_NO, required=True)
    one_of("automated_decision", AUTOMATED_DECISIONS, required=True)
    puid = body.get("puid")
    if not isinstance(puid, str) or not _PUID.fullmatch(puid):
        errors.append("puid must be 1-500 characters from A-Z, a-z, 0-9, - and _")
    reference = body.get("decision_ground_reference_url")
    if reference is not None and (not isinstance(reference, str) or len(reference) > 500
                                  or not _URL.fullmatch(reference)):
        errors.append("decision_ground_reference_url is not a URL the database accepts")
    for key, limit in (("decision_visibility_other", 500), ("decision_monetary_other", 500),
                       ("illegal_content_legal_ground", 500), ("illegal_content_explanation", 2000),
                       ("incompatible_content_ground", 500), ("incompatible_content_explanation", 2000),
                       ("content_type_other", 500), ("category_specification_other", 500),
                       ("decision_facts", 5000), ("source_identity", 500)):
        longest(key, limit)
    # Ours, not the database's (it does not check): content cannot postdate the decision about it.
    content, applied = _day(body.get("content_date")), _day(body.get("application_date"))
    if content and applied and content > applied:
        errors.append(f"content_date {content} is after application_date {applied} (our rule)")
    return errors


__all__ = ["url_accepted", "CATEGORIES", "CONTENT_TYPES", "DECISION_GROUNDS", "DECISION_VISIBILITIES", "EEA_COUNTRIES", "KEYWORDS",
           "LANGUAGES", "SOURCE_TYPES", "store_request_errors"]
