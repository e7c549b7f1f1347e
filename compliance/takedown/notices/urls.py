"""URLs in notices: find them as written, normalise them for matching, and decide what each one is for."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from compliance.takedown.notices.model import NoticeURL
from compliance.takedown.notices.service import NO_SERVICE, Service
from compliance.urls import host_key, match_key, normalise

# Redaction tokens notice archives put where private data or unactioned URLs were.
REDACTION = r"\[(?:private|invalid|redacted|removed)\]"
_REDACTION_RE = re.compile(REDACTION, re.IGNORECASE)
# A URL body: anything but whitespace, quotes, angle brackets, backticks and CJK punctuation; brackets only as a
# redaction token, parentheses only balanced (Wikipedia-style paths), so `[text](url)` splits cleanly.
_BODY = (r"(?:[^\s<>\"`\[\]()\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f\uff09\uff08\u300c\u300d\u3010\u3011]"
         rf"|{REDACTION}|\[\]|\([^\s()<>\"]*\))")
# Common TLDs only for bare hosts: `.md`, `.py`, `.sh` and friends are file names far more often than hosts.
_TLDS = ("com|net|org|io|co|edu|gov|info|biz|me|cn|ru|de|uk|jp|fr|it|es|nl|br|in|kr|tw|hk|us|ca|au|eu|pl|cz|se|"
         "ch|at|be|dk|fi|no|tv|cc|xyz|app|dev|ly|gl|ir|vn|tr|ua|mx|ar|id|my|sg|th|ro|gr|pt|hu|sk|il|nz|za")
_SCHEME_URL = re.compile(rf"(?i)\bhttps?://{_BODY}+")
_BARE_URL = re.compile(
    rf"(?i)(?<![\w@./:-])(?:www\.(?:[a-z0-9-]+\.)+[a-z]{{2,}}(?:[:/?#]{_BODY}*)?"
    rf"|(?:[a-z0-9-]+\.)+(?:{_TLDS})(?::\d+)?/{_BODY}*)"
)
_TRAILING = ".,;:!?'*\u2019\u201d>"


def _trim(candidate: str) -> str:
    """Strip sentence punctuation and Markdown emphasis a writer put after a URL (but keep balanced parentheses)."""
    url = candidate
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        elif url.endswith(("**", "__")):
            url = url[:-2]
        else:
            break
    return url


_CONTINUATION = re.compile(r"^[\w%~.\-/]*[/.%_-][\w%~.\-/]*$")
_FILE_TAIL = re.compile(r"^ [^\s<>\"`:;,]?[^<>\"`;]*?\.[A-Za-z0-9]{1,5}\s*$")
_LINE_LEAD = re.compile(r"(?i)^\s*(?:[-*+\u2022\u25cf]|\d+[.)]|url\s*:|infringing url\s*:)?\s*$")


def unwrap(text: str) -> str:
    """Rejoin URLs a mail client wrapped over several lines (a line ending in a URL, the next a bare path piece)."""
    out: list[str] = []
    for line in text.split("\n"):
        piece = line.strip()
        if out and piece and _CONTINUATION.match(piece) and not piece.lower().startswith(("http", "www.")):
            previous = out[-1].rstrip()
            last = previous.rsplit(None, 1)[-1] if previous.split() else ""
            wrapped = last.endswith(("/", "-", "_", "%"))
            if re.match(r"(?i)https?://", last) and (wrapped or ("/" in piece and not _BARE_URL.match(piece))):
                out[-1] = previous + piece
                continue
        out.append(line)
    return "\n".join(out)


def extract_urls(text: str) -> list[str]:
    """Every URL in the text as written (minus trailing punctuation), in order of appearance, duplicates kept."""
    text = unwrap(text)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(text):
        url = _trim(match.group(0))
        end = match.start() + len(url)
        url, end = _with_spaces(text, match.start(), url, end)
        pieces = [(match.start() + offset, piece) for offset, piece in _unglue(url)
                  if "." in piece.split("//", 1)[1].split("/", 1)[0]]
        found.extend(pieces)
        if pieces:
            taken.append((match.start(), end))
    for match in _BARE_URL.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        url = _trim(match.group(0))
        if "." in url:
            found.append((match.start(), url))
    found.sort(key=lambda item: item[0])
    return [url for _, url in found]


_GLUED = re.compile(r"(?<=[A-Za-z0-9])https?://", re.IGNORECASE)


def _unglue(url: str) -> list[tuple[int, str]]:
    """Two URLs pasted without a space (`.../ihttps://host/...`) are two; a scheme after `/`, `=` or `%` (an archive or
    redirect URL carrying another) stays part of the URL."""
    cuts = [0] + [m.start() for m in _GLUED.finditer(url, 8)] + [len(url)]
    return [(a, _trim(url[a:b])) for a, b in pairwise(cuts)]


def _with_spaces(text: str, start: int, url: str, end: int) -> tuple[str, int]:
    """A file path with spaces pasted unencoded (`.../Exams/SL paper 1.pdf`) alone on its line is one URL."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail = text[end:line_end]
    last = url.rstrip("/").rsplit("/", 1)[-1]
    if ("." in last or not tail.startswith(" ") or not _FILE_TAIL.match(tail) or "://" in tail
            or not _LINE_LEAD.match(text[line_start:start]) or url.count("/") < 5):
        return url, end
    full = url + tail.rstrip()
    return full, end + len(tail.rstrip())


def is_redacted(url: str) -> bool:
    """True when a redaction marker replaced part of the URL: it cannot be matched to anything."""
    return bool(_REDACTION_RE.search(url))


@lru_cache(maxsize=8192)
def normalise_url(url: str) -> str | None:
    """A URL as a notice writes it, in the one stored spelling (`compliance.urls.normalise`); None when unusable.

    Notices write URLs HTML-escaped (`&amp;`), Markdown-escaped (`\\_`), without a scheme (`www.example.com/x`) or
    redacted (`[private]`): those are undone or refused here, the rest is the shared rule.
    """
    url = html.unescape(url.strip()).replace("\\_", "_").replace("\\*", "*")
    if not url or is_redacted(url):
        return None
    if not re.match(r"(?i)https?://", url):
        if "://" in url or url.startswith(("mailto:", "//")):
            return None
        url = "http://" + url
    norm = normalise(url)
    if norm is None:
        return None
    host = host_key(norm)
    if "." not in host.strip(".") and host != "localhost" and not host.startswith("["):
        return None
    return norm


def written_key(url: str) -> str | None:
    """`compliance.urls.match_key` of a URL as a notice writes it (escaped, scheme-less...): one key per page."""
    norm = normalise_url(url)
    return match_key(norm) if norm else None


# --- roles --------------------------------------------------------------------------------------------------------

# Hosts and paths that are references (the law, licences, databases of notices), never targets; the service's own
# help and policy pages are references too (`Service.reference_paths`).
_REFERENCE = re.compile(
    r"(?i)^(?:https?://)?(?:www\.)?(?:dmca\.copyright\.gov|copyright\.gov|lumendatabase\.org|chillingeffects\.org"
    r"|law\.cornell\.edu|eur-lex\.europa\.eu|opensource\.org|creativecommons\.org"
    r"|(?:www\.)?gnu\.org/licenses|choosealicense\.com)")
# GitHub's web-form questions (with or without Markdown emphasis) decide the role of the answer under them.
_FORM_QUESTIONS = (
    ((r"what work was allegedly infringed|description of the original copyrighted work|identify the copyrighted work"
     r"|where can we see an authorized example"), "original_work"),
    ((r"what files (?:should be|were) taken down|searched for any forks|identify the (?:full repository url|material)"
     r"|location of infringing material"), "infringing"),
    ((r"open source license|best solution for the alleged|alleged infringer'?’?s contact|please confirm that you"
     r"|so that (?:we|the complaining party) can get back|full legal name|anything else you think we should know"
     r"|make changes to your repository|type \(or copy and paste\)|i have taken .{0,80}fair use|i have read and understand"),
     "other"),
)
_FORM_RE = [(re.compile(p, re.IGNORECASE), role) for p, role in _FORM_QUESTIONS]
# Cue phrases; within a line the cue nearest before the URL decides.
_INFRINGING_CUES = (
    r"infring", r"please (?:remove|disable|take down)", r"remov(?:e|al|ed)", r"take ?down", r"taken down", r"disabl",
    r"unauthori[sz]ed", r"violat", r"pirat", r"offending", r"illegal", r"stolen", r"leak", (r"without (?:my |our |any )?"
    r"(?:permission|authori[sz]ation|consent)"), r"can be downloaded", r"reinstat", r"restor", r"re-?enable",
    r"retract", r"withdraw", r"(?:being |been )?distribut(?:ed|ing) (?:on|via|through)", r"rescind", r"in question",
    r"contested", r"forks?\b", r"copies", r"remain offline", r"exact (?:electronic )?location",
    r"location of (?:the )?(?:illegal|infringing|unlawful) (?:content|material)",
)
_ORIGINAL_CUES = (
    r"\boriginal(?:ly)?\b", r"\bour (?:web ?site|site|product|page|official|app|blog|wiki|own)", r"official",
    r"copyrighted work(?:s)? (?:is|are|can be) (?:located|found|available)", r"\bowns?\b",
    r"\bmy (?:own )?(?:site|web ?site|web ?page|project|repo)", r"\bowned by", r"\boperates\b",
    r"belongs? to", r"on behalf of", r"for sale", r"sold (?:at|on|exclusively)", r"purchased?", r"product (?:page|site)",
    r"copied from the (?:project|repo|site|website)", r"authori[sz]ed example", r"claims? ownership",
    r"identification of (?:the )?copyrighted work", r"launch site", r"(?:stolen|taken|copied|lifted|ripped)\s+from",
)
_OTHER_CUES = (
    r"profile", r"\balias\b", r"home ?page", r"\buser(?:name)?\s*:", r"responsible", r"filed by",
    r"licen[cs]e[sd]?\b(?! agreement)", r"terms (?:of use|of service|and conditions)", r"\btou\b", r"see also",
    r"refer(?:ence|ring)? to", r"previous(?:ly)? (?:processed|published|filed)",
    r"in relation to", r"published at:", r"policy", r"^\s*\W{0,3}web(?:site)?\s*:",
)
# The line just before an unmarked URL on the platform names what it is only with these (a profile, a licence).
_PREVIOUS_LINE_OTHER = re.compile(r"(?i)profile|\balias\b|home ?page|responsible|licen[cs]e|terms of|in relation to")
_CUES = ([(re.compile(c, re.IGNORECASE), "infringing") for c in _INFRINGING_CUES]
         + [(re.compile(c, re.IGNORECASE), "original_work") for c in _ORIGINAL_CUES]
         + [(re.compile(c, re.IGNORECASE), "other") for c in _OTHER_CUES])
_INFRINGING_LINE = re.compile("|".join(_INFRINGING_CUES), re.IGNORECASE)
_MARKUP_QUESTION = re.compile(r"^\s*(?:\*{1,2}|_{1,2}|#+\s)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*$")
_REDACTED_ONLY = re.compile(rf"(?i)(?:[-*+•●]|\d+[.)])?[ \t]*(?:url[ \t]*:?[ \t]*)?{REDACTION}")  # fullmatch, stripped


@lru_cache(maxsize=4096)
def _cue_role(text: str) -> str | None:
    """The role named by the cue closest to the end of `text` (the nearest thing said before the URL)."""
    best: tuple[int, int, str] | None = None
    for index, (pattern, role) in enumerate(_CUES):
        for match in pattern.finditer(text):
            rank = (match.end(), -index)
            if best is None or rank > best[:2]:
                best = (rank[0], rank[1], role)
    return best[2] if best else None


def _form_role(line: str) -> str | None:
    """The role a GitHub web-form question assigns to its answer, if the line is one."""
    stripped = line.strip()
    if len(stripped) < 20:
        return None
    for pattern, role in _FORM_RE:
        if pattern.search(stripped) and (stripped.endswith(("?", ":", "**", "__", "*", "?*")) or "?" in stripped
                                         or _MARKUP_QUESTION.match(line)):
            return role
    return None


# A service's own subdomains; any other `<name>.<service host>` is a user's hosted site.
_SERVICE_LABELS = frozenset({"www", "m", "gist", "api", "raw", "help", "docs", "support", "status", "pages", "blog"})
# Code hosts, where `host/<name>` is an account page: who, never the material itself.
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")


def is_root_or_profile(url: str, service: Service) -> bool:
    """A site's home page, or an account page on a code host: who or where, never the material itself.

    The root of a user site hosted on the service (`https://name.github.io/`) is the hosted material, not a home page.
    """
    if is_redacted(url):
        return False
    key = written_key(url) or ""
    parts = [p for p in key.split("?", 1)[0].split("/")[1:] if p]
    host = key.split("/", 1)[0]
    if not parts:
        under = next((h for h in service.hosts if host.endswith("." + h)), None)
        labels = host.removesuffix("." + under).split(".") if under else []
        return not (len(labels) == 1 and labels[0] not in _SERVICE_LABELS)
    return host in _CODE_HOSTS and len(parts) == 1 and service.on_service(url)


def classify_urls(text: str, urls: Sequence[str] | None = None, *, service: Service = NO_SERVICE) -> list[NoticeURL]:
    """Give each URL a role (what to remove, the claimant's own work, a reference), deduplicated per role in order.

    Read relative to the `service` the notice was sent to: an unmarked URL on its sites is a target and never the
    claimant's original; a URL elsewhere is a target only when its own line (or the line introducing its list)
    says so.
    """
    wanted = set(urls) if urls is not None else None
    out: list[NoticeURL] = []
    seen: set[tuple[str, str]] = set()
    section: str | None = None
    context: list[str] = []  # the cue-bearing lines since the last form question, nearest last
    intro: str | None = None  # the role named by the line that introduced the current list (ends with ':')
    platform_intro: str | None = None  # the same, read for URLs on the platform: any infringement named wins
    previous = ""  # the last non-empty line without a URL
    adjacent = False  # whether `previous` is right above the current line
    for line in unwrap(text).splitlines():
        line_urls = extract_urls(line)
        form = _form_role(_SCHEME_URL.sub(" ", line)) if len(line) < 600 else None
        if form is not None:
            section, context, intro = form, [], None
            if not line_urls:
                continue
        if _REDACTED_ONLY.fullmatch(line.strip()) and (intro or section) == "infringing":
            _add(out, seen, NoticeURL(line.strip(" -*+•●"), None, "infringing", True))
            continue
        if not line_urls:
            if line.strip():
                cue = _cue_role(line)
                if cue is not None:
                    context = (context + [line])[-4:]
                if line.rstrip().endswith(":"):
                    intro = cue
                    platform_intro = "infringing" if _INFRINGING_LINE.search(line) else cue
                elif cue is not None:
                    intro = platform_intro = None
            if line.strip():
                previous, adjacent = line, True
            continue
        pos = 0
        for url in line_urls:
            at = line.find(url, pos)
            before = line[pos:at] if at >= 0 else ""
            after = line[at + len(url):] if at >= 0 else ""
            pos = at + len(url) if at >= 0 else pos
            if wanted is not None and url not in wanted:
                continue
            on_platform = service.on_service(url)
            # a sentence that runs on from the line above ("copied from the project\nURL") names the URL's role
            runs_on = adjacent and previous.rstrip()[-1:] not in (".", "!", "?", ":", ";", "")
            continued = _cue_role(previous) if runs_on else None
            role = _role_for(url, before, after, section, context, platform_intro if on_platform else intro, service,
                             previous, continued)
            _add(out, seen, NoticeURL(url, normalise_url(url), role, is_redacted(url)))
        adjacent = False
    return out


def _role_for(url: str, before: str, after: str, section: str | None, context: list[str], intro: str | None,
              service: Service, previous: str, continued: str | None = None) -> str:
    """One URL's role. An operator's own sites (a service that does not host its users' originals) hold the copies
    and nothing else: a link there is never the claimant's original, and a link elsewhere is never material the
    operator can act on (a copy on a third party's site, or the original the letter calls "the article")."""
    role = _read_role(url, before, after, section, context, intro, service, previous, continued)
    if service.hosts and not service.hosts_originals:
        on = service.on_service(url)
        if role == "original_work" and on:
            return "infringing"
        if role == "infringing" and not on:
            return "other"
    return role


def _read_role(url: str, before: str, after: str, section: str | None, context: list[str], intro: str | None,
               service: Service, previous: str, continued: str | None = None) -> str:
    """One URL's role: references and images, then its own line, the form question, the lines before, the host."""
    if (_REFERENCE.match(url) or service.is_reference(url) or _IMAGE.search(before)
            or is_root_or_profile(url, service)):
        return "other"
    on_platform = service.on_service(url)
    same = _cue_role(before[-160:])
    trailing = _cue_role(after[:60])
    if trailing in ("original_work", "other") and re.match(r"(?i)\W{0,3}(?:\(|owned|belong|is our|whose|profile)",
                                                           after.strip()):
        return trailing
    if same == "other":
        return "other"
    # the answer to "what work was infringed" names the original; a link there is a copy only if its own line says so
    # and it is on the platform (an off-platform link under that question is the claimant's own page or download)
    if section is not None and section != "infringing" and not (section == "original_work" and same == "infringing"
                                                                 and on_platform):
        return section
    if same is not None:
        return same
    if section == "infringing":
        return "infringing"
    if continued is not None:
        return continued
    if intro is not None:
        return intro
    if not on_platform:
        return "original_work" if (_cue_role("\n".join(context)) or "original_work") != "other" else "other"
    # a label line just above ("Profile:", "License:") names what the link is; a sentence mentioning a licence does not
    return "other" if len(previous.strip()) <= 80 and _PREVIOUS_LINE_OTHER.search(previous) else "infringing"


def _add(out: list[NoticeURL], seen: set[tuple[str, str]], item: NoticeURL) -> None:
    key = (item.role, written_key(item.as_written) or item.as_written)
    if key not in seen:
        seen.add(key)
        out.append(item)
