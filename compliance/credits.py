"""When a credit names a site: name keys, host keys and origins (DESIGN.md "Rules that the codes rely on")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from compliance.urls import host_key, port_of

# Words that never distinguish one outlet from another ("BBC News" is "BBC"), dropped from the end of a name.
AGENCY_SUFFIXES = frozenset(
    "news online media group ltd limited inc incorporated llc plc corp corporation co company gmbh ag sa pty "
    "holdings network networks digital newsroom website".split()
)
# Host labels that are registry suffixes, not names ("bbc.co.uk" is "bbc").
_HOST_SUFFIXES = frozenset(
    "com net org co uk us news info io biz gov edu ac de fr es it nl be ch at cn hk tw jp kr in au nz ca ie eu "
    "ru ua br mx za sg my ph id tv fm me online media".split()
)
_PREFIXES = re.compile(
    r"^(?:(?:photo(?:graph)?|image|picture|pic|illustration|video)s?\s*(?:credit)?\s*(?:by|from)?|credits?|"
    r"sources?|via|courtesy(?:\s+of)?|originally\s+published\s+(?:by|in|on|at)|published\s+by|from)\s*[:：]?\s+",
    re.I,
)
_NOISE = re.compile(r"©|\(c\)|℗|\bcopyright\b|\ball rights reserved\b|\b(?:19|20)\d{2}\b", re.I)
_HOSTLIKE = re.compile(r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?::\d+)?(?:/\S*)?", re.I)
_SEGMENTS = re.compile(r"\s*(?:/|\||;|,|\s[-–—]\s|\bvia\b|\bfor\b|\band\b|&)\s*", re.I)


def _host_words(host: str) -> list[str]:
    """The distinctive labels of a host name ("www.bbc.co.uk" -> ["bbc"])."""
    labels = [part for part in host.casefold().strip(".").split(".") if part]
    if labels and labels[0] == "www":
        labels = labels[1:]
    while len(labels) > 1 and labels[-1] in _HOST_SUFFIXES:
        labels.pop()
    return labels


def source_key(name: str) -> str:
    """Comparison key for a source name: case, punctuation, "The", (c), years, "via", agency suffixes aside."""
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    text = _NOISE.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _PREFIXES.sub("", text.strip())
    bare = text.strip(" .,:;|/-–—\"'()[]")
    if bare and " " not in bare and _HOSTLIKE.fullmatch(bare):
        host = _HOSTLIKE.fullmatch(bare)
        return " ".join(_host_words(host.group(1))) if host else bare
    words = re.findall(r"\w+", text)
    while words and words[0] in ("the", "via", "by"):
        words.pop(0)
    words = [w for i, w in enumerate(words) if not (w == "the" and i > 0)]
    while len(words) > 1 and words[-1] in AGENCY_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[-1] == "com":
        words.pop()
    return " ".join(words)


def _same_host(host: str, site_host: str) -> bool:
    """Equal hosts, or host a subdomain of the site's ("news.bbc.co.uk" under "bbc.co.uk")."""
    return bool(host and site_host) and (host == site_host or host.endswith("." + site_host))


def _names(credit_key: str, segments: list[str], site_key: str) -> bool:
    """Key equality with the credit or one of its parts, or the whole multi-word site key inside the credit."""
    if not site_key:
        return False
    if credit_key == site_key or site_key in segments:
        return True
    # Containment only for multi-word keys: a one-word site name ("times") would be found inside any longer credit
    # that happens to contain the word.
    return " " in site_key and re.search(rf"(?<!\w){re.escape(site_key)}(?!\w)", credit_key) is not None


def _link_matches(url: str, origins: list[str], hosts: list[str]) -> bool:
    """The URL points into one of the site's origins (host and port; http and https alike) or hosts."""
    host, port = host_key(url), port_of(url)
    if not host:
        return False
    default_port = port in (None, 80, 443)
    for origin in origins:
        o_host, o_port = host_key(origin), port_of(origin)
        same_port = (o_port in (None, 80, 443)) if default_port else o_port == port
        if same_port and _same_host(host, o_host):
            return True
    for site_host in hosts:
        explicit = ":" in site_host.split("//")[-1].split("/")[0]
        if explicit and port_of(site_host) != port and not default_port:
            continue
        if not default_port and not explicit:
            continue  # "127.0.0.1" alone cannot tell two local sites on different ports apart
        if _same_host(host, host_key(site_host)):
            return True
    return False


def credit_names_site(
    credit_name: str | None,
    credit_url: str | None,
    site_names: Iterable[str],
    site_origins: Iterable[str],
    site_hosts: Iterable[str],
) -> bool:
    """True when a credit names the site by name or alias, by host ("bbc.co.uk"), or links into its origins."""
    names, origins, hosts = list(site_names), list(site_origins), list(site_hosts)
    if credit_url and _link_matches(credit_url, origins, hosts):
        return True
    if not credit_name or not credit_name.strip():
        return False
    credit_key = source_key(credit_name)
    segments = [source_key(s) for s in _SEGMENTS.split(credit_name) if s.strip()]
    if any(_names(credit_key, segments, source_key(n)) for n in names if n and n.strip()):
        return True
    site_hostnames = [host_key(h) for h in hosts] + [host_key(o) for o in origins]
    for match in _HOSTLIKE.finditer(credit_name):
        mentioned = host_key(match.group(1))
        if "." in mentioned and any(_same_host(mentioned, h) for h in site_hostnames):
            return True
    return False
