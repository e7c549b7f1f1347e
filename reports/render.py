"""Render the attribution report (plain data in the JSON contract) as HTML, JSON, CSV or Markdown.

Every string from a crawled page is untrusted: templates autoescape, links are made only for
http(s) URLs, Markdown text is backslash-escaped and CSV cells are formula-neutralised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from reports.csvsafe import write_rows

FORMATS = ("html", "json", "csv", "md")

SEVERITIES = ("high", "medium", "low", "info")

# The stable codes and their meaning, as in DESIGN.md "Attribution findings".
CODE_MEANINGS: dict[str, str] = {
    "credited_ok": "the copy credits the source of the original it was matched to",
    "missing_credit": "a copy of a publisher's article or image that credits no one for it",
    "misattributed": "the credit names a different source than the matched original's",
    "unverified_credit": "a credit is given but no original was found in the crawled corpus",
    "disclaimer_only": 'the page leans on a generic "aggregated from public sources" disclaimer'
    " instead of attribution",
    "metadata_stripped": "the original image carried embedded credit that the copy has lost",
    "substantial_copy": "most of the original's text is reproduced (containment above the policy"
    " threshold)",
}

CSV_HEADER = (
    "subject", "url", "page_url", "site", "title_or_credit", "code", "severity", "message",
    "original_url", "original_site", "method", "distance", "score",
)

_EMBEDDED_LABELS = {
    "exif_artist": "EXIF Artist",
    "exif_copyright": "EXIF Copyright",
    "iptc_byline": "IPTC By-line",
    "iptc_credit": "IPTC Credit Line",
    "iptc_copyright": "IPTC Copyright Notice",
    "iptc_source": "IPTC Source",
    "xmp_creator": "XMP creator",
    "xmp_rights": "XMP rights",
    "xmp_credit": "XMP Credit",
}

_HASH_BITS = {"pdq": 256, "phash": 64, "simhash": 64}

# Bidi overrides/isolates, zero-width and other invisible format characters can make a crawled
# URL or credit read as something else (CVE-2021-42574, "Trojan Source"): show them instead.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHITESPACE_RUN = re.compile(r"[\t\n\r\f\v\u2028\u2029]+")
_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+\Z", re.IGNORECASE)
# Markdown-significant punctuation in inline text (CommonMark 2.4 backslash escapes): links and
# images need `[`, HTML needs `<`, entities `&`; values never start a line, so `-`, `+`, `.` are safe.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#])")


def _visible(text: str) -> str:
    """Replace invisible and control characters by a visible marker such as `⟨U+202E⟩`."""
    text = _INVISIBLE.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)
    return _CONTROL.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)


def clean(value: object) -> str:
    """One-line display text for an untrusted value (newlines folded, invisibles shown)."""
    if value is None:
        return ""
    return _visible(_WHITESPACE_RUN.sub(" ", str(value))).strip()


def web_url(value: object) -> str | None:
    """The URL if it is a plain http(s) URL safe to link or load, else None."""
    if not isinstance(value, str) or _INVISIBLE.search(value) or not _WEB_URL.match(value):
        return None
    return value


def link(url: object, text: object = None) -> Markup:
    """An `<a>` for http(s) URLs; anything else (javascript:, data:, relative) as inert text."""
    label = clean(url if text is None or text == "" else text) or clean(url)
    safe = web_url(url)
    if safe is None:
        return Markup('<span class="inert" title="not a web link">{}</span>').format(label)
    return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(safe, label)


def md(value: object) -> Markup:
    """Markdown text for an untrusted value: no links, emphasis or HTML can come through."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", clean(value)))


def md_code(value: object) -> Markup:
    """A Markdown code span; content is literal there, so only a backtick could break out."""
    text = clean(value).replace("`", "'").replace("|", "\\|")  # GFM splits table cells on |
    return Markup(f"`{text or ' '}`")


def md_url(value: object) -> Markup:
    """A Markdown autolink for an http(s) URL, escaped inert text for anything else."""
    safe = web_url(value)
    if safe is None:
        return md(value) if value else Markup("")
    return Markup(f"<{safe}>")


def pct(value: object) -> str:
    """0.91 -> "91%"; None -> "—"."""
    if not isinstance(value, (int, float)):
        return "—"
    return f"{value * 100:.0f}%"


def num(value: object) -> str:
    """A score or distance for display; None -> "—"."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return clean(value)


def label(key: object) -> str:
    """A readable name for an embedded-credit field key."""
    text = clean(key)
    return _EMBEDDED_LABELS.get(text, text.replace("_", " "))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,  # every template, the Markdown one too (its filters return Markup)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(clean=clean, link=link, md=md, md_code=md_code, md_url=md_url,
                        pct=pct, num=num, label=label)
    env.globals.update(web_url=web_url)
    return env


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _flat(value: object) -> str | None:
    """An embedded metadata value (XMP bags are lists, some fields maps) as one line of text."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_flat(v) or ''}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(filter(None, map(_flat, value))) or None
    return str(value)


def _severity_rank(finding: Mapping[str, Any]) -> int:
    severity = finding.get("severity")
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _findings(raw: object) -> list[dict[str, Any]]:
    out = []
    for item in _list(raw):
        f = _dict(item)
        code = f.get("code") or ""
        out.append({**f, "code": code, "severity": f.get("severity") or "info",
                    "message": f.get("message") or "", "meaning": CODE_MEANINGS.get(code, "")})
    return sorted(out, key=_severity_rank)


def _originals(raw: object) -> list[dict[str, Any]]:
    keys = ("url", "page_url", "site", "method", "distance", "score", "containment")
    return [{k: _dict(o).get(k) for k in keys} | {"embedded_credit": _dict(_dict(o).get(
        "embedded_credit"))} for o in _list(raw)]


def _document(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    capture = _dict(raw.get("capture"))
    return {
        "anchor": f"doc-{index}", "kind": "document", "url": raw.get("url"),
        "site": raw.get("site"), "role": raw.get("role"), "title": raw.get("title"),
        "published": raw.get("published"), "first_seen": raw.get("first_seen"),
        "credits": _list(raw.get("credits")),
        "credit_lines": [{"text": c.get("text"), "kind": c.get("kind"), "url": c.get("url")}
                         for c in map(_dict, _list(raw.get("credit_lines")))],
        "disclaimers": _list(raw.get("disclaimers")),
        "alternates": [{"url": a.get("url"), "lang": a.get("lang"), "text": a.get("text")}
                       for a in map(_dict, _list(raw.get("alternates")))],
        "capture": {k: capture.get(k) for k in
                    ("status", "fetched_at", "sha256", "warc_file", "warc_offset")},
        "originals": _originals(raw.get("originals")),
        "findings": _findings(raw.get("findings")),
    }


def _image(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    originals = _originals(raw.get("originals"))
    copy_credit = _dict(raw.get("embedded_credit"))
    original_credit = originals[0]["embedded_credit"] if originals else {}
    fields = list(dict.fromkeys([*copy_credit, *original_credit]))
    c2pa = _dict(raw.get("c2pa"))
    return {
        "anchor": f"img-{index}", "kind": "image", "url": raw.get("url"),
        "page_url": raw.get("page_url"), "site": raw.get("site"), "role": raw.get("role"),
        "credit": raw.get("credit"), "credited_source": raw.get("credited_source"),
        "alt": raw.get("alt"), "sha256": raw.get("sha256"), "width": raw.get("width"),
        "height": raw.get("height"),
        "embedded": [{"field": k, "copy": _flat(copy_credit.get(k)),
                      "original": _flat(original_credit.get(k))} for k in fields],
        "c2pa": {"present": c2pa.get("present"), "state": c2pa.get("state")},
        "originals": originals,
        "findings": _findings(raw.get("findings")),
    }


def _policy_lines(policy: Mapping[str, Any]) -> list[str]:
    lines = []
    if isinstance(policy.get("containment_threshold"), (int, float)):
        lines.append(f"substantial copy = containment ≥ {pct(policy['containment_threshold'])}"
                     " of the original's text")
    if isinstance(policy.get("simhash_radius"), int):
        lines.append(f"text match = simhash distance ≤ {policy['simhash_radius']} of 64 bits")
    if isinstance(policy.get("confirm_containment"), (int, float)):
        lines.append(f"text match confirmed when ≥ {pct(policy['confirm_containment'])} of word 5-shingles are shared")
    if isinstance(policy.get("image_threshold"), int):
        method = clean(policy.get("image_method") or "perceptual hash")
        bits = _HASH_BITS.get(method.lower())
        lines.append(f"image match = {method.upper()} distance ≤ {policy['image_threshold']}"
                     + (f" of {bits} bits" if bits else ""))
    return lines


def _view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The template context: the contract's data with optional fields defaulted."""
    summary = _dict(data.get("summary"))
    by_code = {str(k): v for k, v in _dict(summary.get("by_code")).items()}
    codes = [*CODE_MEANINGS, *sorted(set(by_code) - set(CODE_MEANINGS))]
    documents = [_document(_dict(d), i) for i, d in enumerate(_list(data.get("documents")), 1)]
    images = [_image(_dict(m), i) for i, m in enumerate(_list(data.get("images")), 1)]
    attention = sorted(
        ({"item": item, "finding": f} for item in [*documents, *images]
         for f in item["findings"] if f["severity"] in ("high", "medium")),
        key=lambda a: _severity_rank(a["finding"]),
    )
    runs = _dict(data.get("runs"))
    return {
        "generated_at": data.get("generated_at"),
        "policy": _policy_lines(_dict(data.get("policy"))),
        "summary": {k: summary.get(k) for k in ("documents", "images", "copies", "matches")},
        "by_code": [{"code": c, "count": by_code.get(c, 0), "meaning": CODE_MEANINGS.get(c, "")}
                    for c in codes],
        "sites": [{"name": s.get("name"), "role": s.get("role"),
                   "origins": _list(s.get("origins")), "aliases": _list(s.get("aliases")),
                   "documents": s.get("documents"), "images": s.get("images")}
                  for s in map(_dict, _list(data.get("sites")))],
        "crawl_runs": [{"id": r.get("id"), "started_at": r.get("started_at"),
                        "finished_at": r.get("finished_at"), "status": r.get("status"),
                        "start_urls": _list(r.get("start_urls")), "counts": _dict(r.get("counts"))}
                       for r in map(_dict, _list(runs.get("crawl_runs")))],
        "audit_run": _dict(runs.get("audit_run")),
        "documents": documents,
        "images": images,
        "attention": attention,
    }


def _csv(data: Mapping[str, Any]) -> str:
    rows: list[list[object]] = [list(CSV_HEADER)]
    for subject, items in (("document", data.get("documents")), ("image", data.get("images"))):
        for item in map(_dict, _list(items)):
            best = _dict(_list(item.get("originals"))[0]) if _list(item.get("originals")) else {}
            described = item.get("title") if subject == "document" else item.get("credit")
            base = [subject, item.get("url"), item.get("page_url"), item.get("site"), described]
            tail = [best.get("url"), best.get("site"), best.get("method"), best.get("distance"),
                    best.get("score")]
            findings = _list(item.get("findings")) or [{}]
            for f in map(_dict, findings):
                rows.append([*base, f.get("code"), f.get("severity"), f.get("message"), *tail])
    return write_rows(rows)


def render_attribution(data: dict[str, Any], fmt: str) -> str:
    """Render the attribution report `data` (DESIGN.md JSON contract) in format `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if fmt == "csv":
        return _csv(data)
    template = _environment().get_template(f"attribution.{fmt}.j2")
    return template.render(**_view(data))


__all__ = ["CODE_MEANINGS", "CSV_HEADER", "FORMATS", "render_attribution"]
