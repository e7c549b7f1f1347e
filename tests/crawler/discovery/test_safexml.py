"""Hostile sitemap and feed bodies stay bounded: gzip bombs refused, entities never expanded, nothing read outside."""

from __future__ import annotations

import gzip
import time
import zlib
from pathlib import Path

import pytest

from crawler.discovery.safexml import (
    DocumentProblem,
    inflate,
    iterparse,
    release,
    text_of,
)


def test_inflate_reads_plain_and_gzip_bodies() -> None:
    body = b"<urlset/>"
    assert inflate(body, 100) == body
    assert inflate(gzip.compress(body), 100) == body
    assert inflate(gzip.compress(b"<urlset>") + gzip.compress(b"</urlset>"), 100) == b"<urlset></urlset>"


def test_a_gzip_bomb_is_refused_at_the_cap_in_bounded_time() -> None:
    bomb = gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9)  # 256 MiB from ~250 KiB
    assert len(bomb) < 300_000
    started = time.perf_counter()
    with pytest.raises(DocumentProblem, match="inflates past 1,048,576 bytes"):
        inflate(bomb, 1024 * 1024)
    assert time.perf_counter() - started < 1.0


def test_truncated_gzip_keeps_what_inflated_and_garbage_is_refused() -> None:
    body = b"<urlset>" + b"<url><loc>http://a.example/1</loc></url>" * 1000
    packed = gzip.compress(body)
    assert body.startswith(inflate(packed[: len(packed) // 2], 10**6)[:100])
    with pytest.raises(DocumentProblem, match="not valid gzip"):
        inflate(b"\x1f\x8b" + b"not gzip at all", 10**6)
    with pytest.raises(DocumentProblem, match="larger than"):
        inflate(b"x" * 101, 100)
    assert zlib.crc32(inflate(packed, 10**6)) == zlib.crc32(body)


def _texts(data: bytes, errors: list[str] | None = None) -> list[str]:
    out = []
    for event, element in iterparse(data, frozenset(("loc",)), errors):
        if event == "end":
            out.append(text_of(element))
            release(element)
    return out


def test_billion_laughs_stays_inert() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    doc = f'<?xml version="1.0"?><!DOCTYPE urlset [{entities}]><urlset><url><loc>&lol9;</loc></url>' \
          '<url><loc>http://a.example/ok</loc></url></urlset>'
    started = time.perf_counter()
    errors: list[str] = []
    texts = _texts(doc.encode(), errors)
    assert time.perf_counter() - started < 1.0
    assert all("lol" not in t for t in texts)
    assert errors and errors[0].startswith("is broken XML from line 1")  # libxml2 stops at the amplification


def test_internal_entities_are_not_expanded() -> None:
    doc = b'<!DOCTYPE urlset [<!ENTITY a "http://expanded.example/">]><urlset><loc>&a;</loc><loc>http://b.example/</loc></urlset>'
    assert _texts(doc) == ["", "http://b.example/"]


def test_external_entities_read_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<urlset><url><loc>&xxe;</loc></url></urlset>')
    assert all("TOP-SECRET" not in t for t in _texts(doc.encode()))


def test_no_root_is_a_problem() -> None:
    for junk in (b"", b"   ", b"\x00\x01\x02 binary", b"just words"):
        with pytest.raises(DocumentProblem):
            list(iterparse(junk, frozenset(("loc",))))
