"""Image matching robust to flips, crops, credit bands and small rotations: pHashes of 11 windows and the mirror.

Chosen by measurement (`benchmarks/bench_image_transforms.py`) on 25 real photos x 16 transforms
(resize 50/25 %, JPEG q40, crops of 5/10/15 % centred and from one side, a credit band under or over, watermark
text, greyscale, brightness, flip, rotation 2-5 degrees), with every other photo, its transforms and near-similar
pairs (non-overlapping halves of one scene, the Earth against a retina) as distractors, a third held out.
At zero false positives on the tuning part the single pHash finds 63 % (flips 0 %, 15 % crops 6 %), pHash over
8 orientations 59 %, PDQ dihedral 56 %; these windows find 97 % (held out 98 %, no false positive) at 8 bits.
Why windows: a crop or a band shifts the whole-image pHash by 18-30 bits, but the copy's whole image is then
close to one of the original's trimmed windows (or the reverse), and the mirrored hash catches flips.
ORB keypoints as a verifier between 9 and 14 bits reach ~100 % but need OpenCV and the reference's bytes at
match time (~15 ms a candidate pair), so they are left to the caller; shared overlay text fools ORB unless the
inliers must also spread over the picture (see the benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from compliance.fingerprints.imagehash import _dct_matrix, decode_upright

METHOD = "phash-windows-v1"
HASH_SIDE = 128  # the smallest decode that still gives pHash's 32x32 resample real detail in each window

# Windows (left, top, right, bottom as shares of the image) whose pHash each image keeps. The whole image first.
WINDOWS: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 0.0, 1.0, 1.0),  # the whole image: resizes, recompression, greyscale, brightness, watermarks
    (0.05, 0.05, 0.95, 0.95),  # centre 90 % and 80 %: centred crops, and rotations (their corners cut off)
    (0.1, 0.1, 0.9, 0.9),
    *((f, 0.0, 1.0, 1.0) for f in (0.1, 0.15)),  # one side trimmed by 10 and 15 %: crops from one side, and a
    *((0.0, 0.0, 1.0 - f, 1.0) for f in (0.1, 0.15)),  # credit band added (the copy's trimmed window meets the
    *((0.0, f, 1.0, 1.0) for f in (0.1, 0.15)),  # original's whole image)
    *((0.0, 0.0, 1.0, 1.0 - f) for f in (0.1, 0.15)),
)
N_HASHES = len(WINDOWS) + 1  # and the mirrored whole image
MATCH_THRESHOLD = 8  # closest different photos in the tuning part: 10 bits (held out: 12)


# Too little information to fingerprint: a solid colour, a near-uniform banner with a word on it, a smooth gradient.
# Their pHash bits are noise or a single edge, and unrelated sites' stand-in images matched each other by them. Real
# photos measured (skimage's data, brick and gravel textures, a night sky) keep a grey-level spread of 10.8 or more
# on the 32x32 whole-image tile and at most 0.92 of their low-frequency energy in two coefficients; a banner has 4.3,
# a linear gradient 0.998.
MIN_SPREAD = 6.0
MAX_TOP2_ENERGY = 0.97


@dataclass(frozen=True)
class ImageMatchPrint:
    """The pHashes of an image's windows (WINDOWS order, then the mirrored whole image) as 64-bit words, and whether
    the image has too little information for any perceptual match (exact bytes still match)."""

    hashes: npt.NDArray[np.uint64]
    low_information: bool = False

    def to_hex(self) -> str:
        """One hex string, 16 digits per hash, for storage."""
        return "".join(f"{int(h):016x}" for h in self.hashes)

    @classmethod
    def from_hex(cls, text: str) -> ImageMatchPrint:
        """Inverse of to_hex."""
        if len(text) != 16 * N_HASHES:
            raise ValueError(f"a {METHOD} print has {16 * N_HASHES} hex digits, not {len(text)}")
        return cls(np.array([int(text[i : i + 16], 16) for i in range(0, len(text), 16)], dtype=np.uint64))


def low_information(tile: npt.NDArray[np.float64]) -> bool:
    """Whether a 32x32 grey tile is too plain to fingerprint (see MIN_SPREAD, MAX_TOP2_ENERGY)."""
    if float(tile.std()) < MIN_SPREAD:
        return True
    energy = np.sort(((_DCT32 @ tile @ _DCT32.T)[:8, :8].ravel()[1:]) ** 2)[::-1]
    return float(energy[:2].sum() / max(float(energy.sum()), 1e-9)) > MAX_TOP2_ENERGY


def decode_grey(data: bytes, min_side: int) -> Image.Image:
    """Decode to upright grey at no less than min_side a side; JPEG through draft() (DCT scaling, far cheaper)."""
    grey = decode_upright(data, "L", draft_side=min_side)
    scale = min_side / max(1, min(grey.size))
    if scale < 1:  # draft() scales by 1/2, 1/4 or 1/8 only, and PNG or WebP not at all: box-filter the rest
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    return grey


_DCT32 = _dct_matrix(32)


def _tiles(grey: Image.Image) -> list[npt.NDArray[np.float64]]:
    """Each window resampled straight to 32x32 (Pillow's box argument, no crop copy), then the mirrored whole."""
    w, h = grey.size
    tiles = [
        np.asarray(grey.resize((32, 32), Image.Resampling.LANCZOS, box=(x0 * w, y0 * h, x1 * w, y1 * h)), np.float64)
        for x0, y0, x1, y1 in WINDOWS
    ]
    tiles.append(tiles[0][:, ::-1])
    return tiles


def _hashes(tiles: list[npt.NDArray[np.float64]]) -> npt.NDArray[np.uint64]:
    stack = np.stack(tiles)
    low = (_DCT32 @ stack @ _DCT32.T)[:, :8, :8].reshape(len(tiles), 64)
    bits = (low > np.median(low, axis=1, keepdims=True)).astype(np.uint8)
    return np.packbits(bits, axis=1).view(">u8").astype(np.uint64).ravel()


def window_hashes(grey: Image.Image) -> npt.NDArray[np.uint64]:
    """pHash (as phash_bits) of each window and of the mirrored whole image, all 12 in one batch.

    Each window is resampled straight to 32x32 (Pillow's box argument, no crop copy) and the 12 DCTs are one
    matrix product, which keeps a print near 1 ms; mirroring the whole window's 32x32 copy stands for hashing a
    mirrored image (the Lanczos kernel is symmetric).
    """
    return _hashes(_tiles(grey))


def match_print_image(grey: Image.Image) -> ImageMatchPrint:
    """The print of a decoded grey image."""
    tiles = _tiles(grey)
    return ImageMatchPrint(_hashes(tiles), low_information(tiles[0]))


def match_print(data: bytes) -> ImageMatchPrint:
    """The print of image bytes (decode included), or ImageDecodeError."""
    return match_print_image(decode_grey(data, HASH_SIDE))


def _popcounts(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Set bits of each 64-bit word (numpy 1.26 has no bitwise_count)."""
    counts: npt.NDArray[np.int64] = np.unpackbits(words.astype(">u8").view(np.uint8)).reshape(-1, 64).sum(axis=1)
    return counts


def match_distance(a: ImageMatchPrint, b: ImageMatchPrint) -> int:
    """Smallest Hamming distance of one image's whole-image hash to any of the other's hashes, or window to window.

    Whole against window: a crop or a band (one image is a window of the other); window against the same window:
    rotations and edits that spoil the borders of both. Windows against other windows are not compared: every
    extra pair is another chance for two different photos to look alike.
    """
    x, y = a.hashes, b.hashes
    n = len(WINDOWS)
    pairs = np.concatenate((x[0] ^ y, x ^ y[0], x[:n] ^ y[:n]))
    return int(_popcounts(pairs).min())


def is_match(a: ImageMatchPrint, b: ImageMatchPrint) -> bool:
    """Same photo (or an edited copy of it) by the window-hash distance."""
    return match_distance(a, b) <= MATCH_THRESHOLD
