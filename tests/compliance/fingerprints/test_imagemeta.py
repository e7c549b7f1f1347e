"""Embedded credit and C2PA state from the real fixtures, including corrupt and truncated files."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.fingerprints.imagemeta import credit_fields, is_junk_credit, read_c2pa, read_embedded

IPTC_COPYRIGHT = "Copyright (Notice) 2021.1 IPTC - www.iptc.org  (ref2021.1)"
BJORN = "Bjørn Erik Pedersen"


@pytest.fixture(scope="module")
def images(shared_dir: Path) -> Path:
    return shared_dir / "data/images"


@pytest.fixture
def time_limit() -> Iterator[None]:
    """Fail instead of hanging: corrupt IFD chains must not loop."""

    def fail(*_: object) -> None:
        raise TimeoutError("parsing took over 5 s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def read(images: Path, rel: str) -> dict[str, str]:
    return read_embedded((images / rel).read_bytes())


def test_iptc_reference_image_every_field(images: Path) -> None:
    assert read(images, "iptc/IPTC-PhotometadataRef-Std2021.1.jpg") == {
        "exif_artist": "Creator1 (ref2021.1)", "exif_copyright": IPTC_COPYRIGHT,
        "iptc_byline": "Creator1 (ref2021.1)", "iptc_credit": "Credit Line (ref2021.1)",
        "iptc_source": "Source (ref2021.1)", "iptc_copyright": IPTC_COPYRIGHT,
        "xmp_creator": "Creator1 (ref2021.1)", "xmp_rights": IPTC_COPYRIGHT, "xmp_credit": "Credit Line (ref2021.1)",
    }


@pytest.mark.parametrize(("name", "keys"), [
    ("sunrise.jpg", {"exif_artist", "exif_copyright", "iptc_byline", "iptc_copyright", "xmp_creator", "xmp_rights"}),
    ("sunrise.png", {"exif_artist", "exif_copyright"}),
    ("sunrise.webp", {"exif_artist", "exif_copyright", "xmp_creator", "xmp_rights"}),
])
def test_sunrise_credit_with_mojibake_fixed(images: Path, name: str, keys: set[str]) -> None:
    assert read(images, f"exif/{name}") == {k: BJORN for k in keys}


@pytest.mark.parametrize(("name", "value"), [
    ("2007-06-26-10-13-04-sep-2007-06-26-10-13-04a.jpg", "Copyright2004"),
    ("2007-11-07-11-40-44-sep-2007-11-07-11-40-44a.jpg", "    "),
    ("2008-06-02-10-03-57-sep-2008-06-02-10-03-57a.jpg", "Copyright 2006"),
    ("2012-12-21-11-15-19-sep-IMG_0001.jpg", ""),
])
def test_truncated_files_still_give_raw_exif_and_junk_is_dropped(images: Path, name: str, value: str) -> None:
    got = read(images, f"exif/{name}")
    assert got["exif_copyright"] == value
    assert "Truncated" in got["_error"]
    assert credit_fields(got) == {}


@pytest.mark.parametrize("value", ["", "   ", "Copyright2004", "Copyright 2006", "(c)", "©", "All rights reserved",
                                   "Copyright (c) 2006. All Rights Reserved.", "unknown"])
def test_junk(value: str) -> None:
    assert is_junk_credit(value)


@pytest.mark.parametrize("value", [BJORN, "© 2020 Reuters", "AP Photo/Jane Doe", "Credit Line (ref2021.1)"])
def test_not_junk(value: str) -> None:
    assert not is_junk_credit(value)


@pytest.mark.parametrize("name", ["huge_tag_exif.jpg", "infinite_loop_exif.jpg", "max_uint32_exif.jpg"])
def test_corrupt_exif_never_raises_or_hangs(images: Path, name: str, time_limit: None) -> None:
    got = read(images, f"corrupt/{name}")
    assert credit_fields(got) == {}
    assert set(got) <= {"_error"}
    assert "\n" not in got.get("_error", "")


@pytest.mark.parametrize("data", [b"", b"\xff\xd8", b"\xff\xd8\xff\xe1\xff\xffExif\x00\x00MM\x00*", b"garbage" * 100])
def test_garbage_never_raises(data: bytes, time_limit: None) -> None:
    assert set(read_embedded(data)) <= {"_error"}


def test_no_credit_files(images: Path) -> None:
    for rel in ("exif/has-lens-info.jpg", "exif/geodegrees_as_string.jpg", "c2pa/A.jpg", "c2pa/C.jpg"):
        assert credit_fields(read(images, rel)) == {}


@pytest.mark.parametrize(("name", "state", "author"), [
    ("C.jpg", "valid", "Adobe make_test"), ("CA.jpg", "valid", "John Doe"),
    ("XCA.jpg", "invalid", "John Doe"), ("E-sig-CA.jpg", "invalid", "John Doe"),
])
def test_c2pa_signed_states(images: Path, name: str, state: str, author: str) -> None:
    got = read_c2pa((images / "c2pa" / name).read_bytes(), "image/jpeg")
    assert (got["present"], got["state"], got["author"]) == (True, state, author)
    assert "signingCredential.untrusted" in got["errors"]
    assert got["generator"].startswith("make_test_")


def test_c2pa_tamper_codes(images: Path) -> None:
    assert "assertion.dataHash.mismatch" in read_c2pa((images / "c2pa/XCA.jpg").read_bytes(), "image/jpeg")["errors"]
    assert "claimSignature.mismatch" in read_c2pa((images / "c2pa/E-sig-CA.jpg").read_bytes(), "image/jpeg")["errors"]


def test_c2pa_absent_remote_and_unparseable(images: Path) -> None:
    absent = read_c2pa((images / "c2pa/A.jpg").read_bytes(), "image/jpeg")
    assert (absent["present"], absent["state"]) == (False, "absent")
    remote = read_c2pa((images / "c2pa/cloud.jpg").read_bytes(), "image/jpeg")
    assert remote["state"] == "remote"
    assert remote["remote_url"].startswith("https://cai-manifests.adobe.com/manifests/adobe-urn-uuid-")
    cut = read_c2pa((images / "exif/FailedHash-NoDate-sep-remembory.jpg").read_bytes(), "image/jpeg")
    assert cut["state"] == "error" and cut["errors"]


def test_c2pa_missing_library_is_an_error_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "c2pa", None)  # makes `import c2pa` raise ImportError
    got = read_c2pa(b"\xff\xd8", "image/jpeg")
    assert got["state"] == "error" and "c2pa unavailable" in got["errors"][0]
