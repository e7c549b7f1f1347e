"""URLs: the one spelling every stored URL takes, and the keys URLs are compared by.

A page writes `<img src="photo [1] é.jpg">`, the crawler requests it percent-encoded (`photo%20%5B1%5D%20%C3%A9.jpg`),
a notice quotes it half-encoded: all three must land on one row. `normalise` decides that form, so the page's
reference and the fetched URL agree whichever was written first:

* scheme and host lower-case, the host in IDNA (punycode), a trailing dot dropped, default ports dropped;
* path and query percent-normalised (RFC 3986 6.2.2): escapes upper-cased, escapes of unreserved characters
  decoded, and every character a browser or Scrapy would encode (space, controls, non-ASCII, `"<>[]\\^`{|}`,
  `'` in the query) encoded, so the raw and the encoded spellings agree;
* a backslash in the path read as a slash (WHATWG URL), the fragment dropped (it never reaches the server), an
  empty path written `/`.

Keys for comparison build on it: `match_key` (scheme-less, no `www.`, no trailing slash: spellings of one page),
`host_key` (a host without `www.` or port), `origin_of` (what a site is keyed by), `registrable_domain` and
`same_site` (crawl scope, from the Public Suffix List shipped in a package). Everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from tldextract import TLDExtract

DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
# Characters left as written (RFC 3986 pchar plus "/" in paths, "/?" in queries); everything else is encoded.
# `'` is encoded in queries because browsers and Scrapy (w3lib) encode it there: both spellings must agree.
_PATH_RAW = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_QUERY_RAW = (_UNRESERVED | _SUB_DELIMS | frozenset(":@/?")) - {"'"}
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_WEB = re.compile(r"(?i)https?://")


def _encode(text: str, raw: frozenset[str]) -> str:
    """Percent-normalise one component: decode unreserved escapes, upper-case the rest, encode what must be."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "%":
            escape = _PCT.match(text, i)
            if escape is not None:
                decoded = chr(int(escape.group(1), 16))
                out.append(decoded if decoded in _UNRESERVED else "%" + escape.group(1).upper())
                i += 3
                continue
            out.append("%25")  # a bare "%" is not an escape: encode it so it cannot become one
        elif char in raw:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def idna_host(host: str) -> str | None:
    """The host in lower-case ASCII (IDNA 2008 with UTS 46 mapping, as browsers do); None when it cannot be."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if host.isascii():
        return host
    try:
        import idna

        return str(idna.encode(host, uts46=True).decode("ascii"))
    except (ImportError, idna.IDNAError, UnicodeError, ValueError):
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return None


@lru_cache(maxsize=65536)
def normalise(url: str) -> str | None:
    """The one stored spelling of an absolute http(s) URL (module docstring); None when it is not one."""
    url = url.strip()
    if not _WEB.match(url):
        return None
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port
    except ValueError:
        return None
    host = idna_host(hostname or "")
    if not host:
        return None
    scheme = parts.scheme.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    # WHATWG URL: in an http(s) path a backslash is a slash (browsers and Scrapy both request it so).
    path = _encode(parts.path.replace("\\", "/"), _PATH_RAW) or "/"
    query = _encode(parts.query, _QUERY_RAW)
    return urlunsplit((scheme, netloc, path, query, ""))


def normalise_or_keep(url: str) -> str:
    """`normalise(url)`, or the URL as written when it is not an absolute http(s) URL (kept, never lost)."""
    return normalise(url) or url.strip()


def absolute(href: str | None, base: str) -> str | None:
    """An href resolved against the page's URL and normalised; None for data:, javascript:, mailto:, garbage."""
    from urllib.parse import urljoin

    if not href:
        return None
    href = " ".join(href.split())
    if not href or href.startswith("#"):
        return None
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    return normalise(joined)


def origin_of(url: str) -> str:
    """"scheme://host[:port]" of a URL, lower-case, default ports dropped: what a site is keyed by ("" if none)."""
    norm = normalise(url)
    if norm is None:
        return ""
    parts = urlsplit(norm)
    return f"{parts.scheme}://{parts.netloc}"


def host_key(host_or_url: str) -> str:
    """A host for comparison: lower-case, IDNA, no "www.", no port, no trailing dot ("" if none).

    Accepts a URL or a bare host ("www.BBC.co.uk", "bbc.co.uk:8080").
    """
    raw = (host_or_url or "").strip()
    if not raw:
        return ""
    try:
        parts = urlsplit(raw if "//" in raw else "//" + raw)
        host = idna_host(parts.hostname or "") or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def port_of(host_or_url: str) -> int | None:
    """The explicit or scheme-default port of a URL or "host:port"; None for a bare host."""
    raw = (host_or_url or "").strip()
    try:
        parts = urlsplit(raw if "//" in raw else "//" + raw)
        port = parts.port
    except ValueError:
        return None
    if port is not None:
        return port
    return DEFAULT_PORTS.get(parts.scheme.casefold())


def match_key(url: str) -> str | None:
    """A looser key for "is this the page the notice means": scheme-less, no `www.`, no trailing slash or `.git`.

    Notices and crawled pages spell one page many ways (http/https, with or without `www.` or the last slash,
    a repository with `.git`); `None` when the URL is not an absolute http(s) URL.
    """
    norm = normalise(url)
    if norm is None:
        return None
    rest = norm.split("://", 1)[1]
    rest = rest.removeprefix("www.")
    rest = rest.rstrip("/")
    return rest.removesuffix(".git")


def same_origin(a: str, b: str) -> bool:
    """Both URLs are on one origin (scheme, host and port)."""
    first = origin_of(a)
    return bool(first) and first == origin_of(b)


def _host_of(url_or_host: str) -> str:
    """The lower-case IDNA host of a URL or "host[:port]", "www." kept ("" if none)."""
    raw = (url_or_host or "").strip()
    if not raw:
        return ""
    try:
        parts = urlsplit(raw if "//" in raw else "//" + raw)
        return idna_host(parts.hostname or "") or ""
    except ValueError:
        return ""


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _public_suffixes() -> TLDExtract:
    """The Public Suffix List snapshot shipped inside tldextract: never downloaded, no cache files written."""
    import tldextract

    # suffix_list_urls=() forbids any download (and ignores TLDEXTRACT_* variables); private suffixes (github.io,
    # blogspot.com) count, so two people's pages on one hosting service are two sites, as browsers treat them.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@lru_cache(maxsize=65536)
def registrable_domain(url_or_host: str) -> str:
    """The registrable domain (public suffix plus one label) of a URL or host: "news.bbc.co.uk" -> "bbc.co.uk".

    From the Public Suffix List shipped in a package (never fetched at run time), private suffixes included
    ("alice.github.io" stays "alice.github.io"). An IP address, a single-label name ("localhost") or a public
    suffix itself has none: the host itself is returned. A TLD the list does not know follows the list's
    default rule "*" (its last two labels). "" when there is no host.
    """
    host = _host_of(url_or_host)
    if not host or _is_ip(host) or "." not in host:
        return host
    found = _public_suffixes()(host)
    suffix, domain = str(found.suffix), str(found.domain)
    if not suffix:  # PSL default rule "*": an unlisted TLD is itself a public suffix
        return ".".join(host.split(".")[-2:])
    if not domain:  # the host is a public suffix ("co.uk", "github.io")
        return host
    return f"{domain}.{suffix}"


def site_key(url_or_origin: str) -> str:
    """What same-site scope compares: the registrable domain, or "host:port" for a host without one.

    An IP address or "localhost" names one machine, not a site: several sites may be served from it on
    different ports (a test or demo server, an intranet box), so its port stays part of the key ("" if no host).
    """
    host = _host_of(url_or_origin)
    if host and (_is_ip(host) or "." not in host):
        port = port_of(url_or_origin)
        shown = f"[{host}]" if ":" in host else host
        return f"{shown}:{port}" if port is not None else shown
    return registrable_domain(host) if host else ""


def _allowed(host: str, port: int | None, entry: str) -> bool:
    """An allow-list entry ("example.org", "cdn.example.org:8443", a URL) admits that host and its subdomains."""
    allowed_host = _host_of(entry)
    if not allowed_host or not (host == allowed_host or host.endswith("." + allowed_host)):
        return False
    raw = entry.strip()
    try:
        explicit = urlsplit(raw if "//" in raw else "//" + raw).port
    except ValueError:
        return False
    return explicit is None or explicit == port


def same_site(url: str, origins: Iterable[str], allow: Iterable[str] = ()) -> bool:
    """Whether a URL is within a site's crawl scope: same `site_key` as one of its origins, or allow-listed.

    Subdomains of the site's registrable domain belong to it ("cdn.news.example" for "www.news.example"); an
    IP-address origin covers only its own host and port. `allow` entries are hosts (with their subdomains),
    optionally with a port.
    """
    norm = normalise(url)
    if norm is None:
        return False
    key = site_key(norm)
    if any(key == site_key(origin) for origin in origins):
        return True
    host, port = _host_of(norm), port_of(norm)
    return any(_allowed(host, port, entry) for entry in allow)


__all__ = [
    "DEFAULT_PORTS", "absolute", "host_key", "idna_host", "match_key", "normalise", "normalise_or_keep", "origin_of",
    "port_of", "registrable_domain", "same_origin", "same_site", "site_key",
]
