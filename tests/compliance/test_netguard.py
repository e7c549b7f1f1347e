"""The public-address guard: every spelling of an internal address is refused, public ones pass."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.errors import ComplianceError
from compliance.netguard import (
    AddressGuard,
    BlockedAddressError,
    address_problem,
    allow_from_env,
    is_public_ip,
    parse_host_address,
)

STUB = {
    "evil.test": ["10.0.0.5"],
    "mixed.test": ["8.8.8.8", "127.0.0.1"],
    "good.test": ["93.184.216.34"],
    "v6evil.test": ["2606:4700:4700::1111", "fe80::1%2"],
    "metadata.test": ["::ffff:169.254.169.254"],
}


def stub_resolver(host: str) -> list[str]:
    """Names the tests know; anything else does not resolve (as a real resolver would say)."""
    if host not in STUB:
        raise OSError(f"[Errno -2] Name or service not known: {host}")
    return STUB[host]


def guard(*allow: str) -> AddressGuard:
    return AddressGuard(resolver=stub_resolver, allow=allow, environ={})


# (URL, a fragment the refusal must contain)
REFUSED = [
    ("http://127.0.0.1/", "loopback address (127.0.0.1)"),
    ("http://2130706433/", "loopback address (127.0.0.1)"),
    ("http://0177.0.0.1/", "loopback address (127.0.0.1)"),
    ("http://0x7f000001/", "loopback address (127.0.0.1)"),
    ("http://0x7F.1/", "loopback address (127.0.0.1)"),
    ("http://127.1/", "loopback address (127.0.0.1)"),
    ("http://127.0.1/", "loopback address (127.0.0.1)"),
    ("http://0177.1/", "loopback address (127.0.0.1)"),
    ("http://017700000001/", "loopback address (127.0.0.1)"),
    ("http://127.0.0.1./", "loopback address (127.0.0.1)"),
    ("http://%31%32%37.0.0.1/", "loopback address (127.0.0.1)"),
    ("http://\uff11\uff12\uff17\u3002\uff10\u3002\uff10\u3002\uff11/", "loopback address (127.0.0.1)"),
    ("http://127.0.0.1:8080/admin", "loopback address (127.0.0.1)"),
    ("http://0.0.0.0/", "address (0.0.0.0)"),
    ("http://0/", "address (0.0.0.0)"),
    ("http://[::1]/", "loopback address (::1)"),
    ("http://[::]/", "unspecified address (::)"),
    ("http://[::ffff:127.0.0.1]/", "loopback address (127.0.0.1) embedded in IPv4-mapped"),
    ("http://[::ffff:7f00:1]/", "loopback address (127.0.0.1) embedded in IPv4-mapped"),
    ("http://[::ffff:a9fe:a9fe]/", "link-local address (169.254.169.254) embedded in IPv4-mapped"),
    ("http://[::127.0.0.1]/", "loopback address (127.0.0.1) embedded in IPv4-compatible"),
    ("http://[64:ff9b::a9fe:a9fe]/", "link-local address (169.254.169.254) embedded in NAT64"),
    ("http://[64:ff9b::10.0.0.1]/", "private address (10.0.0.1) embedded in NAT64"),
    ("http://[64:ff9b:1::a9fe:a9fe]/", "local-use NAT64 address"),
    ("http://[2002:a9fe:a9fe::]/", "link-local address (169.254.169.254) embedded in 6to4"),
    ("http://[2002:7f00:1::1]/", "loopback address (127.0.0.1) embedded in 6to4"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "embedded in Teredo"),  # client 127.0.0.1
    ("http://169.254.169.254/latest/meta-data/", "link-local address (169.254.169.254)"),
    ("http://2852039166/latest/meta-data/", "link-local address (169.254.169.254)"),
    ("http://100.64.0.1/", "carrier-grade NAT (shared) address (100.64.0.1)"),
    ("http://10.0.0.1/", "private address (10.0.0.1)"),
    ("http://172.16.0.1/", "private address (172.16.0.1)"),
    ("http://172.31.255.255/", "private address (172.31.255.255)"),
    ("http://192.168.1.1/", "private address (192.168.1.1)"),
    ("http://198.18.0.1/", "benchmarking address (198.18.0.1)"),
    ("http://192.0.2.1/", "documentation address (192.0.2.1)"),
    ("http://224.0.0.1/", "multicast address (224.0.0.1)"),
    ("http://240.0.0.1/", "reserved address (240.0.0.1)"),
    ("http://255.255.255.255/", "broadcast address (255.255.255.255)"),
    ("http://[fc00::1]/", "unique-local address (fc00::1)"),
    ("http://[fd12:3456::1]/", "unique-local address"),
    ("http://[fe80::1%25eth0]/", "link-local address (fe80::1)"),
    ("http://[fec0::1]/", "site-local address (fec0::1)"),
    ("http://[ff02::1]/", "multicast address (ff02::1)"),
    ("http://[2001:db8::1]/", "documentation address (2001:db8::1)"),
    ("http://localhost/", "localhost is a loopback name"),
    ("http://LOCALHOST./", "localhost is a loopback name"),
    ("http://api.localhost:9000/", "loopback name"),
    ("http://evil.test/", "evil.test resolves to private address (10.0.0.5)"),
    ("http://mixed.test/", "mixed.test resolves to loopback address (127.0.0.1)"),
    ("http://v6evil.test/", "resolves to link-local address (fe80::1)"),
    ("http://metadata.test/", "link-local address (169.254.169.254) embedded in IPv4-mapped"),
    ("http://unknown.test/", "could not be resolved"),
    ("http://user@127.0.0.1/", "user-info"),
    ("http://public.com@127.0.0.1/", "user-info"),
    ("http://127.0.0.1:80@example.com/", "user-info"),
    ("http://good.test\\@127.0.0.1/", "user-info"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme 'gopher'"),
    ("ftp://good.test/", "scheme 'ftp'"),
    ("//good.test/", "scheme 'none'"),
    ("http:///path", "no host"),
    ("http://1.2.3.4.5/", "malformed host"),
    ("http://256.0.0.1/", "malformed host"),
    ("http://[zz::1]/", "malformed"),
    ("http://good.test:99999/", "malformed URL"),
]

ALLOWED = [
    "http://8.8.8.8/",
    "https://1.1.1.1/dns-query",
    "http://[2606:4700:4700::1111]/",
    "http://93.184.216.34/",
    "http://134744072/",  # 8.8.8.8 spelled as one number is still public
    "https://good.test/article?id=1",
    "http://GOOD.TEST./",
    "http://[::ffff:8.8.8.8]/",
    "http://[64:ff9b::808:808]/",
]


@pytest.mark.parametrize(("url", "needle"), REFUSED, ids=[u for u, _ in REFUSED])
def test_refused(url: str, needle: str) -> None:
    with pytest.raises(BlockedAddressError) as info:
        guard().check_url(url)
    message = info.value.message
    assert message.startswith(f"refused {url}: ")
    assert needle in message
    assert "\n" not in message
    assert isinstance(info.value, ComplianceError) and info.value.hint


@pytest.mark.parametrize("url", ALLOWED)
def test_public_allowed(url: str) -> None:
    guard().check_url(url)


def test_message_names_url_and_reason() -> None:
    with pytest.raises(BlockedAddressError) as info:
        guard().check_url("http://169.254.169.254/latest")
    assert info.value.message == (
        "refused http://169.254.169.254/latest: link-local address (169.254.169.254) is not public"
    )


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"), ("10.1", "10.0.0.1"), ("192.168.257", "192.168.1.1"), ("127.0.0.1.", "127.0.0.1"),
        ("[::1]", "::1"), ("::1", "::1"), ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("[fe80::1%25eth0]", "fe80::1"), ("fe80::1%eth0", "fe80::1"),
        ("example.com", None), ("good.test", None), ("0x7f.example", None), ("1e5", None),
    ],
)
def test_parse_host_address(host: str, expected: str | None) -> None:
    got = parse_host_address(host)
    assert (None if got is None else str(got)) == expected


@pytest.mark.parametrize("host", ["1.2.3.4.5", "256.1.1.1", "1.256.1.1", "0x100000000", "089.1.1.1", "[1::2::3]", "[::1"])
def test_parse_host_address_rejects_malformed_literals(host: str) -> None:
    with pytest.raises(ValueError):
        parse_host_address(host)


def test_is_public_ip_table() -> None:
    assert is_public_ip(ipaddress.ip_address("8.8.8.8"))
    assert is_public_ip(ipaddress.ip_address("2606:4700:4700::1111"))
    assert not is_public_ip(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert not is_public_ip(ipaddress.ip_address("4000::1"))  # outside global unicast 2000::/3
    assert address_problem(ipaddress.ip_address("100.127.255.255")) == (
        "carrier-grade NAT (shared) address (100.127.255.255)"
    )


def test_allowlist_is_exact_origin_and_spelling() -> None:
    g = guard("127.0.0.1:8123", "[::1]:9000", "localhost:7000")
    g.check_url("http://127.0.0.1:8123/page")
    g.check_url("http://[::1]:9000/")
    g.check_url("http://LOCALHOST:7000/")
    for url in ("http://127.0.0.1:8124/", "http://127.0.0.1/", "http://2130706433:8123/",
                "http://[::ffff:127.0.0.1]:8123/", "http://user@127.0.0.1:8123/", "file://127.0.0.1:8123/"):
        with pytest.raises(BlockedAddressError):
            g.check_url(url)


def test_allowlist_from_env_and_malformed_entries() -> None:
    assert allow_from_env({"PROVENANCE_ALLOW_HOSTS": " 127.0.0.1:1 , [::1]:2,"}) == ["127.0.0.1:1", "[::1]:2"]
    AddressGuard(resolver=stub_resolver, environ={"PROVENANCE_ALLOW_HOSTS": "127.0.0.1:8123"}).check_url(
        "http://127.0.0.1:8123/"
    )
    for bad in ("127.0.0.1", "127.0.0.1:x", "http://127.0.0.1:80", "a@127.0.0.1:80", "127.0.0.1:80/path"):
        with pytest.raises(ComplianceError, match="host:port"):
            AddressGuard(resolver=stub_resolver, allow=[bad], environ={})


PRIVATE_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
              "100.64.0.0/10", "0.0.0.0/8"]


@st.composite
def private_ipv4(draw: st.DrawFn) -> int:
    network = ipaddress.IPv4Network(draw(st.sampled_from(PRIVATE_V4)))
    return int(network.network_address) + draw(st.integers(0, network.num_addresses - 1))


def spellings(value: int) -> list[str]:
    """Ways URL parsers and inet_aton accept one IPv4 address."""
    octets = value.to_bytes(4, "big")
    return [
        ".".join(str(o) for o in octets),
        str(value),
        hex(value),
        "0x%08X" % value,
        "0" + oct(value)[2:],
        ".".join("0" + oct(o)[2:] for o in octets),
        ".".join(hex(o) for o in octets),
        f"{octets[0]}.{int.from_bytes(octets[1:], 'big')}",
        f"{octets[0]}.{octets[1]}.{int.from_bytes(octets[2:], 'big')}",
        f"[::ffff:{ipaddress.IPv4Address(value)}]",
        f"[64:ff9b::{value >> 16:x}:{value & 0xFFFF:x}]",
        f"[2002:{value >> 16:x}:{value & 0xFFFF:x}::1]",
    ]


@given(private_ipv4())
def test_every_spelling_of_a_private_ipv4_is_refused(value: int) -> None:
    g = guard()
    for spelling in spellings(value):
        assert parse_host_address(spelling) is not None, spelling
        with pytest.raises(BlockedAddressError):
            g.check_url(f"http://{spelling}/x")


@given(st.integers(0, 2**32 - 1))
def test_decimal_hex_octal_spellings_agree(value: int) -> None:
    expected = ipaddress.IPv4Address(value)
    for spelling in spellings(value)[:9]:
        assert parse_host_address(spelling) == expected, spelling
