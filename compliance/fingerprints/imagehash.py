"""Perceptual image fingerprints (64-bit pHash, numpy DCT) plus the bytes' SHA-256, from untrusted bytes.

pHash was chosen over PDQ (256-bit) by measurement (`benchmarks/bench_imagehash.py`, RESULTS.md): 22 real photos
x 10 edits (resize 50/75/90 %, JPEG q40/60/85, 5 % crops centred and one-sided, a caption bar, greyscale). With
no false match among the 231 different-photo pairs, pHash finds 92 % of edits at 12/64 bits (95 % at 16) and PDQ
75 % at its customary 31/256 (87 % at 64): PDQ misses every 5 % crop (median 47 and 97 of 256 bits). Neither
separates fully (worst edit, a caption bar: pHash 28/64, PDQ 124/256; closest different photos: 20/64, 106/256).
MATCH_THRESHOLD = 12 keeps an 8-bit margin under the closest different pair. Bits equal imagehash.phash's.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from compliance.errors import ComplianceError

METHOD = "phash"
HASH_BITS = 64
MATCH_THRESHOLD = 12
MAX_PIXELS = 50_000_000  # refuse larger images before decoding: decompression bombs cost memory, not bytes


class ImageDecodeError(ComplianceError):
    """The bytes are not an image we can decode (truncated download, unknown format, bomb)."""


@dataclass(frozen=True)
class ImageFingerprint:
    """What identifies an image: its exact bytes and its appearance."""

    sha256: str
    width: int
    height: int
    format: str
    phash: str
    method: str


def decode_upright(data: bytes, mode: str, draft_side: int | None = None) -> Image.Image:
    """Decode untrusted bytes to an upright image in `mode`, or raise ImageDecodeError in one line (nothing else
    escapes). Images over MAX_PIXELS and decompression bombs are refused before their pixels are read; with
    `draft_side`, a JPEG is decoded at the smallest DCT scale that keeps that many pixels a side (far cheaper).
    Peak memory is the decoded image plus one converted copy: rotated in place, never copied to stay as it is."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise ImageDecodeError(
                    f"image is {width}x{height} ({width * height / 1e6:.0f} MP), over the "
                    f"{MAX_PIXELS // 1_000_000} MP limit: not decoded (decompression-bomb guard).", BOMB_HINT,
                )
            fmt = im.format or "unknown"
            if draft_side is not None and fmt == "JPEG":
                im.draft(mode, (draft_side, draft_side))
            im.load()
            ImageOps.exif_transpose(im, in_place=True)
            out = im if im.mode == mode else im.convert(mode)
            out.format = fmt
            return out
    except ImageDecodeError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(exc) from None
    except UnidentifiedImageError:
        raise ImageDecodeError(f"is not an image in a format we read ({describe_bytes(data)}).",
                               "the address serves something else than an image; check it in a browser.") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError, struct.error... on bad bytes
        detail = " ".join(_REPR.sub("", str(exc)).split()).rstrip(".") or type(exc).__name__
        raise ImageDecodeError(
            f"cannot decode image ({len(data):,} bytes): {detail}.",
            "the file is truncated or not an image; fetch it again.",
        ) from None


BOMB_HINT = "nothing to do unless this image matters: fingerprint a smaller rendition of it instead."
_PIXELS = re.compile(r"\((\d+) pixels\)")
_REPR = re.compile(r" ?<[^<>]* object at 0x[0-9a-fA-F]+>")


def _bomb(exc: BaseException) -> ImageDecodeError:
    """Pillow's own decompression-bomb refusal (raised while reading the header) as our one-line reason."""
    found = _PIXELS.search(str(exc))
    size = f"{int(found.group(1)) / 1e6:,.0f} MP" if found else "more pixels than Pillow decodes"
    return ImageDecodeError(f"image declares {size}, over the {MAX_PIXELS // 1_000_000} MP limit: not decoded "
                            "(decompression-bomb guard).", BOMB_HINT)


def describe_bytes(data: bytes) -> str:
    """What bytes that are no image look like, for a reason a person reads (never the bytes themselves)."""
    head = data[:512].lstrip().lower()
    if not data:
        return "the body is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head:
        return f"the {len(data):,} bytes are an HTML page"
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        return f"the {len(data):,} bytes are XML or SVG"
    if head.startswith((b"{", b"[")):
        return f"the {len(data):,} bytes look like JSON"
    return f"the {len(data):,} bytes start with {data[:8].hex(' ')}"


def decode(data: bytes) -> Image.Image:
    """Decode to upright RGB, or raise ImageDecodeError in one line (nothing else escapes from untrusted bytes)."""
    return decode_upright(data, "RGB")


def _dct_matrix(n: int) -> npt.NDArray[np.float64]:
    """Unnormalised DCT-II basis (scipy.fftpack.dct's, up to a factor of 2 that the median test ignores)."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    return np.cos(np.pi * k * (2 * i + 1) / (2 * n))


_DCT32 = _dct_matrix(32)


def phash_bits(im: Image.Image) -> npt.NDArray[np.uint8]:
    """pHash (Zauner 2010, as imagehash.phash): 8x8 lowest DCT frequencies of a 32x32 grey copy vs their median."""
    grey = np.asarray(im.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    dct = _DCT32 @ grey @ _DCT32.T
    low = dct[:8, :8]
    bits: npt.NDArray[np.uint8] = (low > np.median(low)).astype(np.uint8).ravel()
    return bits


def bits_to_hex(bits: npt.NDArray[np.uint8]) -> str:
    """Hex of the bit vector, first bit most significant (the form stored and compared)."""
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def fingerprint_image(data: bytes) -> ImageFingerprint:
    """Fingerprint image bytes: SHA-256 for exact copies, pHash for edited ones."""
    im = decode(data)
    bits = phash_bits(im)
    return ImageFingerprint(
        sha256=hashlib.sha256(data).hexdigest(),
        width=im.width,
        height=im.height,
        format=im.format or "unknown",
        phash=bits_to_hex(bits),
        method=METHOD,
    )


def image_distance(a_hex: str, b_hex: str) -> int:
    """Hamming distance between two perceptual hashes of the same method (hex of equal length)."""
    if len(a_hex) != len(b_hex):
        raise ValueError(f"hashes of different lengths cannot be compared: {len(a_hex)} vs {len(b_hex)} hex digits")
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()


def hex_to_int(h: str) -> int:
    """The hash as an int, the form HammingIndex stores."""
    return int(h, 16)
