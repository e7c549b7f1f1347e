"""The window pHashes on real photos (scikit-image data): edited copies match, other photos do not."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageOps
from skimage import data as skdata

from compliance.fingerprints import imagematch
from compliance.fingerprints.imagehash import (
    ImageDecodeError,
    decode,
    fingerprint_image,
    phash_bits,
)


def _jpeg(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _photo(name: str) -> Image.Image:
    return Image.fromarray(getattr(skdata, name)()).convert("RGB")


def _print(im: Image.Image) -> imagematch.ImageMatchPrint:
    return imagematch.match_print(_jpeg(im))


def _crop_centre(im: Image.Image, share: float) -> Image.Image:
    dx, dy = round(im.width * share / 2), round(im.height * share / 2)
    return im.crop((dx, dy, im.width - dx, im.height - dy))


def _band_under(im: Image.Image) -> Image.Image:
    bar = round(im.height * 0.09)
    out = Image.new("RGB", (im.width, im.height + bar), (28, 28, 28))
    out.paste(im, (0, 0))
    ImageDraw.Draw(out).text((8, im.height + 4), "Photo: Example Agency / Jane Doe", fill=(240, 240, 240))
    return out


EDITS = {
    "flip": ImageOps.mirror,
    "crop 10% centred": lambda im: _crop_centre(im, 0.10),
    "crop 15% one side": lambda im: im.crop((0, 0, round(im.width * 0.85), im.height)),
    "credit band under": _band_under,
    "rotate 4 degrees": lambda im: im.rotate(4, resample=Image.Resampling.BICUBIC),
    "resize 25%": lambda im: im.resize((im.width // 4, im.height // 4), Image.Resampling.LANCZOS),
}


@pytest.mark.parametrize("photo", ["astronaut", "coffee", "chelsea", "rocket"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_edited_copies_match_their_original(photo: str, edit: str) -> None:
    original = _photo(photo)
    a, b = _print(original), _print(EDITS[edit](original))
    assert imagematch.match_distance(a, b) <= imagematch.MATCH_THRESHOLD
    assert imagematch.is_match(a, b) and imagematch.is_match(b, a)


@pytest.mark.parametrize("edit", ["flip", "crop 15% one side", "credit band under"])
def test_the_single_phash_misses_what_the_windows_find(edit: str) -> None:
    """Guards the point of the module: if the windows fall back to the plain pHash, these edits stop matching."""
    original = _photo("astronaut")
    copy = EDITS[edit](original)
    plain = int(fingerprint_image(_jpeg(original)).phash, 16) ^ int(fingerprint_image(_jpeg(copy)).phash, 16)
    assert plain.bit_count() > imagematch.MATCH_THRESHOLD
    assert imagematch.is_match(_print(original), _print(copy))


def test_different_photos_do_not_match() -> None:
    names = ["astronaut", "coffee", "chelsea", "rocket", "camera", "coins", "brick", "grass", "gravel", "moon"]
    prints = {n: _print(_photo(n)) for n in names}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not imagematch.is_match(prints[a], prints[b]), (a, b)


def test_non_overlapping_halves_of_one_scene_do_not_match() -> None:
    im = _photo("coffee")
    left = im.crop((0, 0, im.width * 45 // 100, im.height))
    right = im.crop((im.width * 55 // 100, 0, im.width, im.height))
    assert not imagematch.is_match(_print(left), _print(right))


def test_whole_window_is_the_stored_phash_of_the_decoded_grey_image() -> None:
    grey = imagematch.decode_grey(_jpeg(_photo("chelsea")), imagematch.HASH_SIDE)
    whole = int(imagematch.match_print_image(grey).hashes[0])
    assert whole == int.from_bytes(np.packbits(phash_bits(grey)).tobytes(), "big")


def test_the_stored_phash_is_unchanged() -> None:
    """imagehash.fingerprint_image keeps its bits: stored hashes were made with it."""
    data = _jpeg(_photo("astronaut"))
    assert fingerprint_image(data).phash == "".join(
        f"{b:02x}" for b in np.packbits(phash_bits(decode(data))).tobytes()
    )


def test_decode_refuses_garbage_in_one_line() -> None:
    with pytest.raises(ImageDecodeError):
        imagematch.match_print(b"\xff\xd8\xff not a jpeg")


def test_draft_decode_keeps_at_least_the_asked_side() -> None:
    grey = imagematch.decode_grey(_jpeg(_photo("astronaut")), 128)
    assert grey.mode == "L" and min(grey.size) == 128


@given(st.lists(st.integers(0, 2**64 - 1), min_size=imagematch.N_HASHES, max_size=imagematch.N_HASHES))
def test_hex_round_trip_and_self_distance(words: list[int]) -> None:
    p = imagematch.ImageMatchPrint(np.array(words, dtype=np.uint64))
    back = imagematch.ImageMatchPrint.from_hex(p.to_hex())
    assert back.hashes.tolist() == words
    assert imagematch.match_distance(p, back) == 0


@given(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1))
def test_distance_of_single_words_is_their_hamming_distance(a: int, b: int) -> None:
    pa = imagematch.ImageMatchPrint(np.full(imagematch.N_HASHES, a, dtype=np.uint64))
    pb = imagematch.ImageMatchPrint(np.full(imagematch.N_HASHES, b, dtype=np.uint64))
    assert imagematch.match_distance(pa, pb) == (a ^ b).bit_count()


def test_plain_images_are_too_plain_to_fingerprint_and_photos_are_not() -> None:
    banner = Image.new("RGB", (728, 90), (20, 60, 160))
    ImageDraw.Draw(banner).text((300, 40), "Subscribe", fill=(255, 255, 255))
    gradient = Image.linear_gradient("L").resize((400, 300))
    for plain in (Image.new("RGB", (400, 300), (240, 240, 240)), banner, gradient):
        assert _print(plain).low_information
    for name in ("camera", "brick", "gravel", "moon"):
        assert not _print(_photo(name)).low_information, name
