"""Benchmark: PDQ (256-bit) vs pHash (64-bit) on real photos and the edits aggregators make.

Run from the repository root:
    python benchmarks/bench_imagehash.py
Edits: resize 50/75/90 %, JPEG q40/60/85, 5 % crop (centred and one-sided), a caption bar with credit text,
greyscale. Reports, per method, the distance of each edit to its original and the separation between different
photos (max same-photo distance vs min different-photo distance), as bits and as a share of the hash length.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import imagehash as imagehash_pkg
import numpy as np
from PIL import Image, ImageDraw, ImageOps

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compliance.fingerprints.imagehash import MATCH_THRESHOLD, decode, phash_bits  # noqa: E402

IMAGES = REPO.parent / "shared" / "data" / "images"
SKIMAGE = ["astronaut", "coffee", "chelsea", "rocket", "camera", "coins", "hubble_deep_field",
           "immunohistochemistry", "brick", "grass", "gravel", "moon", "clock", "retina", "cell"]
SHARED = ["exif/sunrise.jpg", "c2pa/A.jpg", "c2pa/C.jpg", "c2pa/cloud.jpg", "iptc/IPTC-PhotometadataRef-Std2021.1.jpg",
          "exif/has-lens-info.jpg", "exif/geodegrees_as_string.jpg"]


def photos() -> dict[str, Image.Image]:
    import skimage.data

    out: dict[str, Image.Image] = {}
    for name in SKIMAGE:
        try:
            out[name] = Image.fromarray(getattr(skimage.data, name)()).convert("RGB")
        except Exception as exc:  # noqa: BLE001 - some skimage images need a download
            print(f"skip {name}: {type(exc).__name__}")
    for rel in SHARED:
        path = IMAGES / rel
        if path.exists():
            out[Path(rel).stem] = decode(path.read_bytes())
    return out


def resize(f: float) -> Callable[[Image.Image], Image.Image]:
    return lambda im: im.resize((max(1, int(im.width * f)), max(1, int(im.height * f))), Image.Resampling.LANCZOS)


def jpeg(q: int) -> Callable[[Image.Image], Image.Image]:
    def edit(im: Image.Image) -> Image.Image:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=q)
        return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")

    return edit


def crop_centre(im: Image.Image) -> Image.Image:
    dx, dy = int(im.width * 0.025), int(im.height * 0.025)
    return im.crop((dx, dy, im.width - dx, im.height - dy))


def crop_side(im: Image.Image) -> Image.Image:
    return im.crop((0, 0, int(im.width * 0.95), int(im.height * 0.95)))


def caption(im: Image.Image) -> Image.Image:
    out = im.copy()
    draw = ImageDraw.Draw(out)
    bar = max(12, im.height // 10)
    draw.rectangle((0, im.height - bar, im.width, im.height), fill=(0, 0, 0))
    draw.text((8, im.height - bar + bar // 4), "Photo: Example Agency / Jane Doe", fill=(255, 255, 255))
    return out


def grey(im: Image.Image) -> Image.Image:
    return ImageOps.grayscale(im).convert("RGB")


EDITS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "resize 50%": resize(0.5), "resize 75%": resize(0.75), "resize 90%": resize(0.9),
    "jpeg q40": jpeg(40), "jpeg q60": jpeg(60), "jpeg q85": jpeg(85),
    "crop 5% centred": crop_centre, "crop 5% one side": crop_side,
    "caption bar": caption, "greyscale": grey,
}


def pdq(im: Image.Image) -> int:
    import pdqhash

    bits, _quality = pdqhash.compute(np.asarray(im.convert("RGB"), dtype=np.uint8))
    return int(np.packbits(bits.astype(np.uint8)).tobytes().hex(), 16)


def phash(im: Image.Image) -> int:
    """Ours (numpy DCT); the imagehash package's phash is compared with it in main()."""
    return int(np.packbits(phash_bits(im)).tobytes().hex(), 16)


METHODS: dict[str, tuple[Callable[[Image.Image], int], int]] = {"pdq": (pdq, 256), "phash": (phash, 64)}


def main() -> None:
    pics = photos()
    print(f"{len(pics)} photos: {', '.join(pics)}")
    results: dict[str, dict[str, list[int]]] = {}
    separation: dict[str, tuple[int, int, str, str]] = {}
    timing: dict[str, float] = {}
    pair_d: dict[str, list[int]] = {}
    for method, (fn, _bits) in METHODS.items():
        t0 = time.perf_counter()
        originals = {name: fn(im) for name, im in pics.items()}
        timing[method] = (time.perf_counter() - t0) / len(pics)
        results[method] = {edit: [(originals[n] ^ fn(e(im))).bit_count() for n, im in pics.items()]
                           for edit, e in EDITS.items()}
        names = list(originals)
        pairs = [((originals[a] ^ originals[b]).bit_count(), a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
        d, a, b = min(pairs)
        separation[method] = (d, sorted(p[0] for p in pairs)[len(pairs) // 100], a, b)
        pair_d[method] = [p[0] for p in pairs]
    print(f"\n{'edit':18s} | {'PDQ /256 median':>15s} {'max':>4s} | {'pHash /64 median':>16s} {'max':>4s} | max as share: PDQ pHash")
    worst = {m: 0 for m in METHODS}
    worst_edit = {m: "" for m in METHODS}
    for edit in EDITS:
        row = []
        for method, (_fn, bits) in METHODS.items():
            ds = results[method][edit]
            if max(ds) > worst[method]:
                worst[method], worst_edit[method] = max(ds), edit
            row.append((statistics.median(ds), max(ds), max(ds) / bits))
        (pm, px, ps), (hm, hx, hs) = row
        print(f"{edit:18s} | {pm:15.0f} {px:4d} | {hm:16.0f} {hx:4d} | {ps:6.1%} {hs:6.1%}")
    print()
    for method, (_fn, bits) in METHODS.items():
        all_d = sorted(d for ds in results[method].values() for d in ds)
        d_min, d_p1, a, b = separation[method]
        p97 = all_d[int(0.97 * (len(all_d) - 1))]
        verdict = "separated" if worst[method] < d_min else "OVERLAP"
        print(f"{method:5s}: same-photo max {worst[method]}/{bits} ({worst_edit[method]}), p97 {p97}; "
              f"different photos min {d_min}/{bits} ({a} vs {b}), p1 {d_p1} -> {verdict}; "
              f"{timing[method] * 1000:.1f} ms/image")
        if method == "pdq":
            missed = sum(d > 31 for d in all_d)
            print(f"       PDQ at the customary 31: {missed}/{len(all_d)} edits missed")
    print(f"\nrecall over {sum(len(v) for v in results['pdq'].values())} edits / false matches over "
          f"{len(pics) * (len(pics) - 1) // 2} different-photo pairs, by threshold (share of hash bits):")
    for share in (0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375):
        row = []
        for method, (_fn, bits) in METHODS.items():
            t = int(share * bits)
            all_d = [d for ds in results[method].values() for d in ds]
            false = sum(d <= t for d in pair_d[method])
            row.append(f"{method} <= {t:3d}: recall {sum(d <= t for d in all_d) / len(all_d):4.0%} false {false}")
        print(f"  {share:6.1%}  " + " | ".join(row))
    print(f"chosen: phash, MATCH_THRESHOLD = {MATCH_THRESHOLD} of 64")
    same = sum(int(str(imagehash_pkg.phash(im)), 16) == phash(im) for im in pics.values())
    near = max((int(str(imagehash_pkg.phash(im)), 16) ^ phash(im)).bit_count() for im in pics.values())
    print(f"our numpy pHash == imagehash.phash on {same}/{len(pics)} photos (max difference {near} bits)")


if __name__ == "__main__":
    main()
