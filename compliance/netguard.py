"""Public-address guard: a notice must never make us fetch an internal address (SSRF), however it is spelled.

Every URL fetched because someone else named it (a takedown notice, a redirect) goes through
`AddressGuard.check_url` first. It refuses non-http(s) schemes, user-info in the authority
(`http://public.example@127.0.0.1/`), hosts that are non-public addresses in any spelling a URL parser or
`inet_aton` accepts (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`, `[::ffff:7f00:1]`, NAT64, 6to4, Teredo...),
and names that resolve to any non-public address (every resolved address must be public).

Residual risk, DNS rebinding: the guard resolves a name at request time, and the HTTP client resolves it again
when it connects; a hostile name server can answer "public" to the first lookup and "internal" to the second.
The crawler middleware (`crawler.guard`) re-checks every hop, which bounds but does not close that window.
Closing it fully needs the connection pinned to the checked address (a resolver that applies the same rule).

The allowlist (`allow=`, or `PROVENANCE_ALLOW_HOSTS`) exists ONLY so that tests and the demo can reach their own
127.0.0.1 servers. Each entry is one exact "host:port" origin as spelled in URLs; other spellings of the same
address stay refused, and every request it lets through is logged as a warning.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import TypeAlias
from urllib.parse import unquote, urlsplit

from compliance.errors import ComplianceError

logger = logging.getLogger(__name__)

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOW_ENV = "PROVENANCE_ALLOW_HOSTS"  # the `allow_hosts` setting
NAME_CACHE_SIZE = 10_000

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates): none of these is a public web server.
_IPV4_BLOCKS: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified ('this network')"),  # RFC 791; 0.0.0.0 reaches localhost on Linux
    (_V4("10.0.0.0/8"), "private"),  # RFC 1918
    (_V4("100.64.0.0/10"), "carrier-grade NAT (shared)"),  # RFC 6598
    (_V4("127.0.0.0/8"), "loopback"),  # RFC 1122
    (_V4("169.254.0.0/16"), "link-local"),  # RFC 3927; cloud metadata lives at 169.254.169.254
    (_V4("172.16.0.0/12"), "private"),  # RFC 1918
    (_V4("192.0.0.0/24"), "IETF protocol assignment"),  # RFC 6890
    (_V4("192.0.2.0/24"), "documentation"),  # RFC 5737 TEST-NET-1
    (_V4("192.88.99.0/24"), "6to4 relay anycast"),  # RFC 7526 (deprecated)
    (_V4("192.168.0.0/16"), "private"),  # RFC 1918
    (_V4("198.18.0.0/15"), "benchmarking"),  # RFC 2544
    (_V4("198.51.100.0/24"), "documentation"),  # RFC 5737 TEST-NET-2
    (_V4("203.0.113.0/24"), "documentation"),  # RFC 5737 TEST-NET-3
    (_V4("224.0.0.0/4"), "multicast"),  # RFC 5771
    (_V4("255.255.255.255/32"), "broadcast"),  # RFC 919
    (_V4("240.0.0.0/4"), "reserved"),  # RFC 1112
)

# IANA IPv6 Special-Purpose Address Registry; anything outside 2000::/3 is not global unicast at all.
_IPV6_BLOCKS: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::/128"), "unspecified"),  # RFC 4291
    (_V6("::1/128"), "loopback"),  # RFC 4291
    (_V6("64:ff9b:1::/48"), "local-use NAT64"),  # RFC 8215: not globally reachable
    (_V6("100::/64"), "discard-only"),  # RFC 6666
    (_V6("2001:2::/48"), "benchmarking"),  # RFC 5180
    (_V6("2001:db8::/32"), "documentation"),  # RFC 3849
    (_V6("2001:10::/28"), "ORCHID"),  # RFC 4843 (deprecated)
    (_V6("3fff::/20"), "documentation"),  # RFC 9637
    (_V6("5f00::/16"), "SRv6 segment identifier"),  # RFC 9602
    (_V6("fc00::/7"), "unique-local"),  # RFC 4193
    (_V6("fe80::/10"), "link-local"),  # RFC 4291
    (_V6("fec0::/10"), "site-local"),  # RFC 3879 (deprecated)
    (_V6("ff00::/8"), "multicast"),  # RFC 4291
)
_GLOBAL_UNICAST = _V6("2000::/3")
_MAPPED = _V6("::ffff:0:0/96")  # RFC 4291 IPv4-mapped
_COMPATIBLE = _V6("::/96")  # RFC 4291 IPv4-compatible (deprecated)
_NAT64 = _V6("64:ff9b::/96")  # RFC 6052 well-known prefix
_SIX_TO_FOUR = _V6("2002::/16")  # RFC 3056
_TEREDO = _V6("2001::/32")  # RFC 4380

_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # IDNA label separators
_NUMERIC_PART = re.compile(r"(0[xX][0-9a-fA-F]*|[0-9]+)")
_BAD_HOST_CHARS = re.compile(r"[\s\x00-\x1f\x7f/\\?#@]")


class BlockedAddressError(ComplianceError):
    """A URL was refused because it is not a public http(s) address: never fetched."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"refused {url}: {reason}",
            "only public http(s) addresses are fetched; an internal address named in a notice is never contacted.",
        )
        self.url = url
        self.reason = reason


def _normalise_host(host: str) -> str:
    """Fold a host the way URL parsers do before deciding what it is (percent, width, case, final dot)."""
    text = unicodedata.normalize("NFKC", unquote(host.strip())).translate(_DOTS).lower()
    if text.startswith("[") and text.endswith("]"):
        return text
    return text.rstrip(".")


def _ipv4_number(part: str) -> int | None:
    """One inet_aton/WHATWG IPv4 part: 0x hex, leading-0 octal, or decimal; None when not a number."""
    if not _NUMERIC_PART.fullmatch(part):
        return None
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8) if all(c in "01234567" for c in part) else None
    return int(part, 10)


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG 'IPv4 parser' (as inet_aton): 1-4 parts, the last filling the remaining bytes."""
    parts = host.split(".")
    if len(parts) > 4 or any(p == "" for p in parts):
        return None
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    value = values[-1]
    for index, n in enumerate(values[:-1]):
        value += n << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _ends_in_number(host: str) -> bool:
    """WHATWG: a host whose last label is numeric must be an IPv4 address, or the URL is invalid."""
    last = host.split(".")[-1]
    return bool(last) and (last.isdigit() or last.lower().startswith("0x") and _ipv4_number(last) is not None)


def parse_host_address(host: str) -> IPAddress | None:
    """The address a URL host denotes when it is an IP literal in any accepted spelling; None for a name.

    Raises ValueError for a host that is neither (a malformed literal such as `[zz::1]` or `1.2.3.4.5`).
    """
    text = _normalise_host(host)
    if text.startswith("["):
        if not text.endswith("]"):
            raise ValueError(f"malformed IPv6 literal {host!r}")
        text = text[1:-1]
    elif ":" not in text:
        address = _parse_ipv4(text)
        if address is None and _ends_in_number(text):
            raise ValueError(f"{host!r} ends in a number but is not a valid IPv4 address")
        return address
    literal = text.split("%", 1)[0]  # zone id: fe80::1%eth0, or %25eth0 as written in URLs
    try:
        return ipaddress.IPv6Address(literal)
    except ValueError:
        raise ValueError(f"malformed IPv6 literal {host!r}") from None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 form carries (mapped, compatible, NAT64, 6to4, Teredo client) and its name."""
    if ip in _MAPPED:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "IPv4-mapped"
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip in _COMPATIBLE and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "IPv4-compatible"
    if ip in _SIX_TO_FOUR:
        return ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF), "6to4"
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why an address is not public ("link-local address (169.254.169.254)"), or None when it is public."""
    if isinstance(ip, ipaddress.IPv4Address):
        for network, label in _IPV4_BLOCKS:
            if ip in network:
                return f"{label} address ({ip})"
        if not ip.is_global:  # whatever this Python's registry adds on top of the table
            return f"non-global address ({ip})"
        return None
    ip = ipaddress.IPv6Address(int(ip))  # drop any zone id
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        inner, form = embedded
        problem = address_problem(inner)
        return f"{problem} embedded in {form} address {ip}" if problem else None
    if ip in _TEREDO:
        assert ip.teredo is not None
        for inner in ip.teredo:
            problem = address_problem(inner)
            if problem:
                return f"{problem} embedded in Teredo address {ip}"
        return None
    for network6, label in _IPV6_BLOCKS:
        if ip in network6:
            return f"{label} address ({ip})"
    if ip not in _GLOBAL_UNICAST:
        return f"unallocated (not global unicast) address ({ip})"
    return None


def is_public_ip(ip: IPAddress) -> bool:
    """True only for addresses a public web server can have (embedded IPv4 forms are checked too)."""
    return address_problem(ip) is None


def default_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for a name (what the HTTP client would connect to)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _effective_port(scheme: str, port: int | None) -> int:
    return port if port is not None else (443 if scheme == "https" else 80)


def _origin_key(entry: str) -> tuple[str, int]:
    """An allowlist entry "host:port" as (normalised host, port); a malformed entry is a loud error."""
    text = entry.strip()
    parts = urlsplit(f"http://{text}/")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or "@" in parts.netloc or parts.netloc != text:
        raise ComplianceError(
            f"allowlist entry {entry!r} is not a host:port origin.",
            f"write entries such as 127.0.0.1:8080 or [::1]:8080 (in {ALLOW_ENV} separate them with commas).",
        )
    return _normalise_host(parts.hostname), port


def allow_from_env(environ: Mapping[str, str] | None = None) -> list[str]:
    """Allowlisted origins from PROVENANCE_ALLOW_HOSTS (comma-separated host:port), for test and demo setups."""
    from compliance.settings import resolve

    raw = str(resolve("allow_hosts", environ=environ).value)
    return [item.strip() for item in raw.split(",") if item.strip()]


class AddressGuard:
    """Refuses URLs that are not public http(s) addresses; `allow` names exact test/demo origins to let through.

    `allow` plus PROVENANCE_ALLOW_HOSTS (read when `environ` is None) is meant ONLY for a test or demo server on
    127.0.0.1: the environment is a deliberate operator channel (same trust as the config), but it widens the
    guard for every command in that environment, so each request it lets through is logged as a warning.
    """

    def __init__(
        self,
        resolver: Callable[[str], list[str]] = default_resolver,
        allow: Iterable[str] = (),
        environ: Mapping[str, str] | None = None,
        allow_unresolvable: bool = False,
    ) -> None:
        self.resolver = resolver
        self.allowed = {_origin_key(entry) for entry in [*allow, *allow_from_env(environ)]}
        # A name that resolves to nothing cannot be connected to directly; a crawl lets it through (through a proxy
        # the proxy decides), a capture of a URL a notice names never does.
        self.allow_unresolvable = allow_unresolvable
        # One lookup per name for the guard's life (a crawl): a page's 50 images on one CDN ask the resolver once.
        self._names: dict[str, str | None] = {}

    def check_url(self, url: str) -> None:
        """Return when `url` may be fetched; raise BlockedAddressError (never fetched) otherwise."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise BlockedAddressError(url, f"malformed URL ({exc})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise BlockedAddressError(url, f"scheme '{scheme or 'none'}' is not fetched (only http and https)")
        if "@" in parts.netloc or "\\" in parts.netloc:
            raise BlockedAddressError(url, "the address carries user-info ('...@'), which can disguise the real host")
        if not parts.hostname:
            raise BlockedAddressError(url, "the URL has no host")
        host = _normalise_host(parts.hostname)
        if (host, _effective_port(scheme, port)) in self.allowed:
            logger.warning("address guard: %s let through by the test/demo allowlist", url)
            return
        if _BAD_HOST_CHARS.search(host):
            raise BlockedAddressError(url, "the host contains characters no host name can have")
        try:
            address = parse_host_address(host)
        except ValueError as exc:
            raise BlockedAddressError(url, f"malformed host ({exc})") from None
        if address is not None:
            problem = address_problem(address)
            if problem:
                raise BlockedAddressError(url, f"{problem} is not public")
            return
        if host not in self._names:
            if len(self._names) >= NAME_CACHE_SIZE:
                self._names.clear()
            try:
                self._check_name(url, host)
            except BlockedAddressError as exc:
                self._names[host] = exc.reason
                raise
            self._names[host] = None
        elif (reason := self._names[host]) is not None:
            raise BlockedAddressError(url, reason)

    def _check_name(self, url: str, host: str) -> None:
        """A name is fetched only when every address it resolves to is public (RFC 6761: localhost never is)."""
        if host == "localhost" or host.endswith(".localhost"):
            raise BlockedAddressError(url, f"{host} is a loopback name (RFC 6761) and is not public")
        try:
            answers = self.resolver(host)
        except (OSError, UnicodeError) as exc:
            if self.allow_unresolvable and isinstance(exc, socket.gaierror):
                return
            raise BlockedAddressError(url, f"host name {host} could not be resolved ({exc})") from None
        if not answers:
            if self.allow_unresolvable:
                return
            raise BlockedAddressError(url, f"host name {host} could not be resolved (no addresses)")
        for answer in answers:
            try:
                address = ipaddress.ip_address(answer.split("%", 1)[0])
            except ValueError:
                raise BlockedAddressError(url, f"{host} resolves to {answer!r}, which is not an address") from None
            problem = address_problem(address)
            if problem:
                raise BlockedAddressError(url, f"{host} resolves to {problem}, which is not public")
