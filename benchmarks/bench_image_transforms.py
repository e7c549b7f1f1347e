"""Benchmark: which image fingerprint survives flips, crops, bands and rotations (issue "images robust to flips,
crops and bands"), chosen by measurement on real photos.

Run from the repository root (after `pip install -e '.[bench]'`, which brings scikit-image, scikit-learn,
matplotlib, pdqhash, ImageHash and opencv-python-headless):
    python benchmarks/bench_image_transforms.py            # table + one JSON line per method
    python benchmarks/bench_image_transforms.py --quick    # skip the slow "ORB on every pair" row

Originals (25 distinct real photos, all shipped inside installed wheels or this repository's shared data):
  scikit-image `skimage/data/` (16): astronaut, camera, chelsea, coffee, coins, ihc, brick, grass, gravel, moon,
    retina, rocket, motorcycle_left, clock_motion, cell, page; plus hubble_deep_field cut into two halves that do
    not overlap (hubble_left, hubble_right: the same scene and colours, a near-similar pair) = 18;
  scikit-learn `load_sample_images()` (2): china, flower;
  matplotlib `mpl-data/sample_data/grace_hopper.jpg` (1);
  ../shared/data/images (4, see its manifest.csv): c2pa/A.jpg (ribbons), c2pa/cloud.jpg (the Earth),
    exif/sunrise.jpg, exif/geodegrees_as_string.jpg (a garden, 205x102).
Every third original (by name order) is held out: thresholds are chosen on the other two thirds only.

Each original is stored as JPEG q95 bytes (the reference). Transforms (each written as JPEG q90 bytes, q40 for
"jpeg q40", so decoding is part of the cost): resize 50 % and 25 %; JPEG q40; crops of 5/10/15 % centred and from
one side (the side rotates right/left/bottom/top over the originals); a credit band added under and over the image
(a dark strip with a credit line, 9 % of the height); watermark text (translucent, centred and in a corner);
greyscale; brightness +30 %; horizontal flip; rotation by 2-5 degrees (sign alternating, black corners).

Positives: each transform against its own original's reference. Negatives (distractors): every pair of items
(references and transforms) from different originals, plus near-similar distractors that are compared with
everything except their parent: the left and right 45 % of six photos (non-overlapping crops of one scene) and
motorcycle_right (the stereo partner of motorcycle_left; a different shot of the same scene a few pixels apart,
reported on its own line, not counted as a false positive because one can argue either way).
Tuning negatives: pairs within the tuning part. Held-out negatives: every pair with a held-out item in it.

Columns: thr is the loosest setting with zero false positives on the tuning part (Hamming methods accept
<= thr; ORB rows, scored by RANSAC inliers, accept >= thr); heldFP counts held-out negatives it lets through.
Per method: TPR per transform and overall at the largest threshold with zero false positives on the tuning part,
that threshold's TPR and false-positive count on the held-out part, fingerprints/s (decode included, one process)
and, when it is not a plain Hamming distance, the comparison cost.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.fingerprints import imagehash as ih  # noqa: E402
from compliance.fingerprints import imagematch as im_  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "images"
SKIMAGE = ["astronaut", "camera", "chelsea", "coffee", "coins", "ihc", "brick", "grass", "gravel", "moon", "retina",
           "rocket", "motorcycle_left", "clock_motion", "cell", "page"]
SHARED_PHOTOS = {"ribbons": "c2pa/A.jpg", "earth": "c2pa/cloud.jpg", "sunrise": "exif/sunrise.jpg",
                 "garden": "exif/geodegrees_as_string.jpg"}
LOOSE = 14  # the window-hash distance under which the ORB verifier is asked
HALVES_OF = ["sunrise", "china", "motorcycle_left", "retina", "ribbons", "rocket"]


# ---------------------------------------------------------------- the photos

def _skimage_file(name: str) -> Image.Image:
    import skimage.data

    base = Path(skimage.data.__file__).parent
    for ext in (".png", ".jpg"):
        if (base / f"{name}{ext}").exists():
            return Image.open(base / f"{name}{ext}").convert("RGB")
    raise FileNotFoundError(name)


def originals() -> dict[str, Image.Image]:
    import matplotlib
    from sklearn.datasets import load_sample_images

    out: dict[str, Image.Image] = {name: _skimage_file(name) for name in SKIMAGE}
    hubble = _skimage_file("hubble_deep_field")
    w, h = hubble.size
    out["hubble_left"] = hubble.crop((0, 0, int(w * 0.48), h))
    out["hubble_right"] = hubble.crop((int(w * 0.52), 0, w, h))
    sk = load_sample_images()
    for fname, arr in zip(sk.filenames, sk.images):
        out[Path(fname).stem] = Image.fromarray(arr).convert("RGB")
    mpl = Path(matplotlib.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"
    out["grace_hopper"] = Image.open(mpl).convert("RGB")
    for name, rel in SHARED_PHOTOS.items():
        out[name] = ih.decode((SHARED / rel).read_bytes())
    return dict(sorted(out.items()))


def jpeg_bytes(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


# ---------------------------------------------------------------- the transforms

def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


def resize(f: float) -> Callable[[Image.Image, int], Image.Image]:
    return lambda im, _i: im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))),
                                    Image.Resampling.LANCZOS)


def crop_centre(f: float) -> Callable[[Image.Image, int], Image.Image]:
    def edit(im: Image.Image, _i: int) -> Image.Image:
        dx, dy = round(im.width * f / 2), round(im.height * f / 2)
        return im.crop((dx, dy, im.width - dx, im.height - dy))
    return edit


def crop_side(f: float) -> Callable[[Image.Image, int], Image.Image]:
    def edit(im: Image.Image, i: int) -> Image.Image:
        w, h = im.size
        side = i % 4
        box = [(0, 0, round(w * (1 - f)), h), (round(w * f), 0, w, h),
               (0, 0, w, round(h * (1 - f))), (0, round(h * f), w, h)][side]
        return im.crop(box)
    return edit


def credit_band(over: bool) -> Callable[[Image.Image, int], Image.Image]:
    def edit(im: Image.Image, _i: int) -> Image.Image:
        bar = max(14, round(im.height * 0.09))
        out = Image.new("RGB", (im.width, im.height + bar), (28, 28, 28))
        out.paste(im, (0, bar if over else 0))
        y = 0 if over else im.height
        ImageDraw.Draw(out).text((8, y + bar // 5), "Photo: Example Agency / Jane Doe", fill=(240, 240, 240),
                                 font=_font(bar * 3 // 5))
        return out
    return edit


def watermark(im: Image.Image, _i: int) -> Image.Image:
    layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    big = _font(im.width // 9)
    text = "(c) EXAMPLE NEWS"
    tw = draw.textlength(text, font=big)
    draw.text(((im.width - tw) / 2, im.height * 0.45), text, fill=(255, 255, 255, 120), font=big)
    small = _font(im.width // 28)
    draw.text((im.width * 0.62, im.height * 0.92), "example-news.com", fill=(255, 255, 255, 160), font=small)
    return Image.alpha_composite(im.convert("RGBA"), layer).convert("RGB")


def rotate(im: Image.Image, i: int) -> Image.Image:
    angle = (2 + i % 4) * (1 if i % 2 else -1)
    return im.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False)


TRANSFORMS: dict[str, Callable[[Image.Image, int], Image.Image]] = {
    "resize 50%": resize(0.5), "resize 25%": resize(0.25), "jpeg q40": lambda im, _i: im,
    "crop 5% centred": crop_centre(0.05), "crop 10% centred": crop_centre(0.10), "crop 15% centred": crop_centre(0.15),
    "crop 5% side": crop_side(0.05), "crop 10% side": crop_side(0.10), "crop 15% side": crop_side(0.15),
    "band under": credit_band(False), "band over": credit_band(True), "watermark": watermark,
    "greyscale": lambda im, _i: ImageOps.grayscale(im).convert("RGB"),
    "brightness +30%": lambda im, _i: ImageEnhance.Brightness(im).enhance(1.3),
    "flip": lambda im, _i: ImageOps.mirror(im), "rotate 2-5deg": rotate,
}


@dataclass
class Item:
    family: str  # the original it shows
    kind: str  # "reference", a transform name, "half", "stereo"
    data: bytes
    held_out: bool
    excluded: str = ""  # a family this distractor overlaps and is never compared with


def build_suite() -> tuple[list[Item], list[str]]:
    pics = originals()
    names = list(pics)
    held = {n for i, n in enumerate(names) if i % 3 == 2}
    items: list[Item] = []
    for i, (name, im) in enumerate(pics.items()):
        items.append(Item(name, "reference", jpeg_bytes(im, 95), name in held))
        for tname, fn in TRANSFORMS.items():
            items.append(Item(name, tname, jpeg_bytes(fn(im, i), 40 if tname == "jpeg q40" else 90), name in held))
    for name in HALVES_OF:
        im = pics[name]
        w, h = im.size
        for side, box in (("L", (0, 0, int(w * 0.45), h)), ("R", (int(w * 0.55), 0, w, h))):
            items.append(Item(f"{name}/{side}", "half", jpeg_bytes(im.crop(box), 90), name in held, excluded=name))
    right = _skimage_file("motorcycle_right")
    items.append(Item("motorcycle_right", "stereo", jpeg_bytes(right, 90), "motorcycle_left" in held,
                      excluded="motorcycle_left"))
    return items, names


# ---------------------------------------------------------------- the methods

@dataclass
class Method:
    name: str
    fingerprint: Callable[[bytes], Any]
    distance: Callable[[Any, Any], float]  # smaller = more alike
    note: str = ""
    higher_is_closer: bool = False
    fps: float = 0.0
    pair_us: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def popcount_min(a: np.ndarray, b: np.ndarray) -> int:
    """Smallest Hamming distance between any row of a and any row of b (rows: uint64 words)."""
    x = a[:, None, :] ^ b[None, :, :]
    return int(np.bitwise_count(x).sum(axis=2).min())


def phash_current(data: bytes) -> np.ndarray:
    return np.array([[int(ih.fingerprint_image(data).phash, 16)]], dtype=np.uint64)


def phash_dihedral(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    im = ih.decode(data)
    grey = im.convert("L")
    hashes = []
    for k in range(8):
        t = grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if k >= 4 else grey
        t = t.rotate(90 * (k % 4), expand=True) if k % 4 else t
        hashes.append(int(ih.bits_to_hex(ih.phash_bits(t)), 16))
    arr = np.array(hashes, dtype=np.uint64)[:, None]
    return arr[:1], arr


def sym_min(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """A fingerprint is (primary hashes, all variants): distance = the closest primary-to-variant pair."""
    return float(min(popcount_min(a[0], b[1]), popcount_min(a[1], b[0])))


def pdq_dihedral(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    import pdqhash

    img = Image.open(io.BytesIO(data))
    if img.format == "JPEG":
        img.draft("RGB", (256, 256))
    arr = np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(img).convert("RGB"), dtype=np.uint8))
    hashes, _q = pdqhash.compute_dihedral(arr)
    words = np.stack([np.packbits(h.astype(np.uint8)).view(">u8").astype(np.uint64) for h in hashes])
    return words[:1], words


def multi(data: bytes) -> im_.ImageMatchPrint:
    return im_.match_print(data)


class Orb:
    """ORB keypoints (OpenCV) on a draft-decoded copy (short side 512 at most) and on its mirror image.

    With spread=True a match also needs its inliers to span 40 % of the reference's width and of its height:
    without it, two different photos that carry the same credit band or watermark text match on the text.
    """

    def __init__(self, homography: bool, spread: bool = True) -> None:
        import cv2

        self.cv2 = cv2
        self.orb = cv2.ORB_create(nfeatures=500)
        self.bf = cv2.BFMatcher(cv2.NORM_HAMMING)
        self.homography = homography
        self.spread = spread

    def features(self, data: bytes) -> tuple[Any, ...]:
        grey = np.asarray(im_.decode_grey(data, 512))
        out: list[Any] = []
        for g in (grey, np.ascontiguousarray(grey[:, ::-1])):
            kp, des = self.orb.detectAndCompute(g, None)
            out.append((np.float32([k.pt for k in kp]), des))
        return tuple(out)

    def inliers(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> float:
        best = 0
        pa, da = b[0]
        for pq, dq in a:  # the query as is and mirrored: ORB descriptors are not mirror-invariant
            if dq is None or da is None or len(dq) < 8 or len(da) < 8:
                continue
            good = [m for m, *n in self.bf.knnMatch(dq, da, k=2) if n and m.distance < 0.8 * n[0].distance]
            if len(good) < 6:
                continue
            src = pq[[m.queryIdx for m in good]]
            dst = pa[[m.trainIdx for m in good]]
            if self.homography:
                _h, mask = self.cv2.findHomography(src, dst, self.cv2.RANSAC, 5.0)
            else:
                _h, mask = self.cv2.estimateAffinePartial2D(src, dst, method=self.cv2.RANSAC,
                                                            ransacReprojThreshold=5.0)
            if mask is None:
                continue
            inl = dst[mask.ravel().astype(bool)]
            if self.spread and len(inl):
                ext = (inl.max(axis=0) - inl.min(axis=0)) / np.maximum(pa.max(axis=0) - pa.min(axis=0), 1)
                if ext.min() < 0.4:
                    continue
            best = max(best, int(mask.sum()))
        return float(best)


# ---------------------------------------------------------------- evaluation

def pairs(items: Sequence[Item]) -> tuple[list[tuple[int, int]], list[tuple[int, int, bool]], list[tuple[int, int]]]:
    """Positives (transform, its reference); negatives (i, j, in the tuning part); stereo pairs (informational)."""
    ref = {it.family: i for i, it in enumerate(items) if it.kind == "reference"}
    pos = [(i, ref[it.family]) for i, it in enumerate(items) if it.kind in TRANSFORMS]
    neg: list[tuple[int, int, bool]] = []
    stereo: list[tuple[int, int]] = []
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.family == b.family or a.excluded == b.family or b.excluded == a.family:
                continue
            if a.excluded and a.excluded == b.excluded and a.kind == "half" and b.kind == "half":
                pass  # the two halves of one photo: a near-similar pair, counted
            elif a.excluded and a.excluded == b.excluded:
                continue
            if "stereo" in (a.kind, b.kind):
                stereo.append((i, j))
                continue
            neg.append((i, j, not a.held_out and not b.held_out))
    return pos, neg, stereo


def evaluate(m: Method, items: list[Item], pos: list[tuple[int, int]], neg: list[tuple[int, int, bool]],
             stereo: list[tuple[int, int]], candidates: Callable[[int, int], bool] | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    prints = [m.fingerprint(it.data) for it in items]
    best = time.perf_counter() - t0
    for _ in range(2 if best < 5 else 0):  # best of three: the machine is shared, and timings are noisy
        t0 = time.perf_counter()
        for it in items:
            m.fingerprint(it.data)
        best = min(best, time.perf_counter() - t0)
    m.fps = len(items) / best
    sign = -1.0 if m.higher_is_closer else 1.0
    far = float("inf")

    def score(i: int, j: int) -> float:
        if candidates is not None and not candidates(i, j):
            return far
        return sign * m.distance(prints[i], prints[j])

    t0 = time.perf_counter()
    neg_s = [(score(i, j), tune) for i, j, tune in neg]
    n_scored = len(neg) if candidates is None else max(1, sum(s != far for s, _ in neg_s))
    m.pair_us = (time.perf_counter() - t0) / n_scored * 1e6
    pos_s = [(score(i, j), items[i].kind, items[i].held_out) for i, j in pos]
    tune_neg = min((s for s, tune in neg_s if tune), default=far)
    # the largest threshold with zero false positives on the tuning part: just under the closest tuning negative
    cand = sorted({s for s, _k, h in pos_s if not h and s < tune_neg})
    thr = cand[-1] if cand else -far
    res: dict[str, Any] = {"method": m.name, "threshold": thr * sign if abs(thr) != far else None}
    for part, held in (("tune", False), ("held", True)):
        ps = [(s, k) for s, k, h in pos_s if h == held]
        res[f"{part}_tpr"] = sum(s <= thr for s, _ in ps) / len(ps)
        res[f"{part}_per_transform"] = {t: sum(s <= thr for s, k in ps if k == t) / sum(k == t for _s, k in ps)
                                        for t in TRANSFORMS}
    res["tune_positives"] = sum(not h for *_x, h in pos_s)
    res["held_positives"] = sum(h for *_x, h in pos_s)
    res["tune_negatives"] = sum(t for _s, t in neg_s)
    res["held_negatives"] = sum(not t for _s, t in neg_s)
    res["held_fp"] = sum(s <= thr for s, t in neg_s if not t)
    res["closest_tune_negative"] = tune_neg * sign if tune_neg != far else None
    res["stereo_matched"] = sum(score(i, j) <= thr for i, j in stereo)
    res["stereo_pairs"] = len(stereo)
    res["fingerprints_per_s"] = round(m.fps, 1)
    res["compare_us_per_pair"] = round(m.pair_us, 2)
    res["note"] = m.note
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip ORB on every pair (slow)")
    args = ap.parse_args()
    import cv2

    cv2.setNumThreads(1)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    items, names = build_suite()
    pos, neg, stereo = pairs(items)
    held = [n for i, n in enumerate(names) if i % 3 == 2]
    print(f"{len(names)} originals ({len(held)} held out: {', '.join(held)}); {len(items)} items; "
          f"{len(pos)} positives, {len(neg)} negative pairs, {len(stereo)} stereo pairs")

    results: list[dict[str, Any]] = []
    methods = [
        Method("phash (current)", phash_current, lambda a, b: float(popcount_min(a, b)), "full decode, 1 hash"),
        Method("phash dihedral", phash_dihedral, sym_min, "8 orientations of one side, min distance"),
        Method("pdq dihedral", pdq_dihedral, sym_min, "pdqhash.compute_dihedral, 256 bits"),
        Method("multi-phash (imagematch)", multi, lambda a, b: float(im_.match_distance(a, b)),
               f"{im_.N_HASHES} pHashes over windows, draft decode"),
    ]
    for m in methods:
        results.append(evaluate(m, items, pos, neg, stereo))

    # the verifier: ORB inliers on pairs a cheap hash lets through (the window hashes at a loose threshold)
    mp = [im_.match_print(it.data) for it in items]
    dist: dict[tuple[int, int], int] = {}

    def is_candidate(i: int, j: int) -> bool:
        if (i, j) not in dist:
            dist[i, j] = im_.match_distance(mp[i], mp[j])
        return dist[i, j] <= LOOSE

    n_cand = sum(is_candidate(i, j) for i, j, _t in neg)
    for homography, spread in ((False, False), (False, True), (True, True)):
        orb = Orb(homography, spread)
        kind = ("homography" if homography else "similarity") + (", spread" if spread else "")
        m = Method(f"multi<={LOOSE} then ORB {kind}", orb.features, orb.inliers,
                   f"ORB inliers on the {n_cand} negative pairs within {LOOSE} bits", higher_is_closer=True)
        results.append(evaluate(m, items, pos, neg, stereo, candidates=is_candidate))
    orb = Orb(False, True)

    def combined(a: tuple[Any, im_.ImageMatchPrint], b: tuple[Any, im_.ImageMatchPrint]) -> float:
        return 1e6 if im_.match_distance(a[1], b[1]) <= im_.MATCH_THRESHOLD else orb.inliers(a[0], b[0])

    m = Method(f"multi<={im_.MATCH_THRESHOLD}, or <={LOOSE} + ORB", lambda d: (orb.features(d), im_.match_print(d)),
               combined, "window hashes alone when close; ORB similarity+spread inliers in between",
               higher_is_closer=True)
    results.append(evaluate(m, items, pos, neg, stereo, candidates=is_candidate))
    if not args.quick:
        orb = Orb(False, True)
        m = Method("ORB similarity+spread, every pair", orb.features, orb.inliers, "no hash prefilter",
                   higher_is_closer=True)
        results.append(evaluate(m, items, pos, neg, stereo))

    width = 34
    print(f"\n{'method':{width}s} {'thr':>6s} {'tuneTPR':>7s} {'heldTPR':>7s} {'heldFP':>6s} {'stereo':>6s} "
          f"{'fp/s':>7s} {'us/pair':>8s}")
    for r in results:
        thr = "-" if r["threshold"] is None else f"{r['threshold']:g}"
        print(f"{r['method']:{width}s} {thr:>6s} {r['tune_tpr']:7.3f} {r['held_tpr']:7.3f} {r['held_fp']:6d} "
              f"{r['stereo_matched']:>3d}/{r['stereo_pairs']:<2d} {r['fingerprints_per_s']:7.1f} "
              f"{r['compare_us_per_pair']:8.2f}")
    print("\nTPR per transform, tuning / held-out:")
    print(f"{'transform':18s} " + " ".join(f"{r['method'][:16]:>16s}" for r in results))
    for t in TRANSFORMS:
        print(f"{t:18s} " + " ".join(f"{r['tune_per_transform'][t]:7.2f} / {r['held_per_transform'][t]:4.2f}"
                                     for r in results))
    print(f"\npairs: tuning {results[0]['tune_positives']} positives / {results[0]['tune_negatives']} negatives; "
          f"held-out {results[0]['held_positives']} positives / {results[0]['held_negatives']} negatives")
    for r in results:
        print(json.dumps(r, sort_keys=True))


if __name__ == "__main__":
    main()
