"""Image fingerprints on real fixtures: cross-format, orientation, C2PA twins, truncated files."""

from __future__ import annotations

import io
from pathlib import Path

import imagehash as imagehash_pkg
import pytest
from PIL import Image

from compliance.fingerprints.imagehash import (
    MATCH_THRESHOLD,
    ImageDecodeError,
    decode,
    fingerprint_image,
    image_distance,
)

TRUNCATED = [
    "2007-06-26-10-13-04-sep-2007-06-26-10-13-04a.jpg", "2007-11-07-11-40-44-sep-2007-11-07-11-40-44a.jpg",
    "2008-06-02-10-03-57-sep-2008-06-02-10-03-57a.jpg", "2008-09-02-17-43-48-sep-2008-09-02-17-43-48a.jpg",
    "2009-06-11-19-23-18-sep-2009-06-11-19-23-18a.jpg", "2010-09-02-08-43-02-sep-2010-09-02-08-43-02a.jpg",
    "2011-01-24-22-06-02-sep-2011-01-24-22-06-02a.jpg", "2011-08-07-19-22-57-sep-2011-08-07-19-22-57a.jpg",
    "2011-10-28-17-50-18-sep-2011-10-28-17-50-18a.jpg", "2012-06-02-10-12-28-sep-2012-06-02-10-12-28.jpg",
    "2012-12-21-11-15-19-sep-IMG_0001.jpg", "2099-08-12-19-59-29-sep-2099-08-12-19-59-29a.jpg",
    "FailedHash-NoDate-sep-remembory.jpg",
]


@pytest.fixture(scope="module")
def images(shared_dir: Path) -> Path:
    return shared_dir / "data/images"


def fp(images: Path, rel: str) -> str:
    return fingerprint_image((images / rel).read_bytes()).phash


def test_fingerprint_fields(images: Path) -> None:
    f = fingerprint_image((images / "exif/sunrise.jpg").read_bytes())
    assert (f.width, f.height, f.format, f.method) == (1024, 640, "JPEG", "phash")
    assert len(f.sha256) == 64 and len(f.phash) == 16


def test_same_picture_across_formats(images: Path) -> None:
    jpg = fp(images, "exif/sunrise.jpg")
    assert image_distance(jpg, fp(images, "exif/sunrise.png")) == 0
    assert image_distance(jpg, fp(images, "exif/sunrise.webp")) <= 2


def test_orientation_is_applied(images: Path) -> None:
    assert fp(images, "exif/f6-exif.jpg") == fp(images, "exif/f1-exif.jpg")
    f6 = fingerprint_image((images / "exif/f6-exif.jpg").read_bytes())
    assert (f6.width, f6.height) == (40, 80)  # stored 80x40, Orientation 6


def test_c2pa_twins_match_and_other_picture_does_not(images: Path) -> None:
    ca = fp(images, "c2pa/CA.jpg")
    for rel in ("c2pa/A.jpg", "c2pa/XCA.jpg", "c2pa/E-sig-CA.jpg"):
        assert image_distance(ca, fp(images, rel)) <= MATCH_THRESHOLD // 2
    assert image_distance(ca, fp(images, "c2pa/C.jpg")) > 2 * MATCH_THRESHOLD


def test_equals_imagehash_package(images: Path) -> None:
    for rel in ("exif/sunrise.jpg", "c2pa/C.jpg", "c2pa/cloud.jpg", "iptc/IPTC-PhotometadataRef-Std2021.1.jpg"):
        assert fp(images, rel) == str(imagehash_pkg.phash(decode((images / rel).read_bytes())))


@pytest.mark.parametrize("name", TRUNCATED)
def test_truncated_goexif_files_give_one_line_error(images: Path, name: str) -> None:
    with pytest.raises(ImageDecodeError) as err:
        fingerprint_image((images / "exif" / name).read_bytes())
    assert "\n" not in err.value.one_line() and "cannot decode" in err.value.message


@pytest.mark.parametrize("data", [b"", b"not an image", b"\xff\xd8\xff\xe0\x00\x10JFIF"])
def test_garbage_gives_decode_error(data: bytes) -> None:
    with pytest.raises(ImageDecodeError):
        fingerprint_image(data)


def test_refuses_over_50_megapixels() -> None:
    buf = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buf, "PNG")  # 56 MP, a few kB of bytes
    with pytest.raises(ImageDecodeError, match="MP limit"):
        fingerprint_image(buf.getvalue())


@pytest.mark.parametrize("side", [10_000, 30_000])  # Pillow's warning (> 89 MP) and its error (> 179 MP)
def test_a_decompression_bomb_is_one_clear_reason(side: int) -> None:
    from tests.mockserver import png_declaring

    with pytest.raises(ImageDecodeError) as err:
        fingerprint_image(png_declaring(side))
    assert err.value.message == (f"image declares {side * side / 1e6:,.0f} MP, over the 50 MP limit: not decoded "
                                 "(decompression-bomb guard).")
    assert "fetch it again" not in err.value.one_line()


def test_bytes_that_are_no_image_say_what_they_are() -> None:
    with pytest.raises(ImageDecodeError) as err:
        fingerprint_image(b"<!DOCTYPE html>\n<html><body><p>Not found</p></body></html>")
    assert err.value.message == "is not an image in a format we read (the 58 bytes are an HTML page)."
    assert " at 0x" not in err.value.one_line()


def test_distance_needs_equal_lengths() -> None:
    assert image_distance("ff00", "00ff") == 16
    with pytest.raises(ValueError):
        image_distance("ff", "ffff")
