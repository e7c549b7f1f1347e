"""Build the JPEGs of the bundled demo sites from scikit-image's public-domain/CC0 photos.

Run from the repository root (needs scikit-image, only for this script):

    python tests/tools/make_demo_images.py

Publisher originals carry embedded credit (EXIF Artist/Copyright, an XMP packet with
dc:creator, dc:rights and photoshop:Credit, and IPTC By-line/Credit/Copyright Notice in a
Photoshop APP13 segment). The aggregator's copies are resized to 85 % and recompressed;
they keep that metadata, except the copy of the `metadata_stripped` case, which has none.
Sources and licences are recorded in compliance/demo/SOURCES.md.
"""

from __future__ import annotations

import io
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "compliance" / "demo" / "sites"

EXIF_IMAGE_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298

MAX_WIDTH = 640
ORIGINAL_QUALITY = 85
COPY_QUALITY = 80
COPY_SCALE = 0.85
MAX_BYTES = 120_000


@dataclass(frozen=True)
class Credit:
    """The embedded credit written into a publisher's original."""

    artist: str
    copyright: str
    credit_line: str
    source: str


@dataclass(frozen=True)
class Original:
    """A publisher's photo: which scikit-image sample it comes from and where it goes."""

    sample: str
    dest: str
    description: str
    credit: Credit


@dataclass(frozen=True)
class Copy:
    """An aggregator copy of an original, resized and recompressed."""

    original: str
    dest: str
    keep_metadata: bool


NORTHGATE = Credit(
    artist="Northgate Herald / A. Reporter",
    copyright="(c) 2026 Northgate Herald",
    credit_line="Northgate Herald",
    source="Northgate Herald",
)
HARBOUR = Credit(
    artist="Harbour Times / M. Quayle",
    copyright="(c) 2026 Harbour Times",
    credit_line="Harbour Times",
    source="Harbour Times",
)
DIGEST = Credit(
    artist="DailyDigest / Staff",
    copyright="(c) 2026 DailyDigest",
    credit_line="DailyDigest",
    source="DailyDigest",
)

ORIGINALS: tuple[Original, ...] = (
    Original("camera", "northgate/images/summit-photographer.jpg",
             "A press photographer at work (file photo).", NORTHGATE),
    Original("rocket", "northgate/images/northsat-launch.jpg",
             "A rocket lifts off from the launch pad.", NORTHGATE),
    Original("coffee", "northgate/images/mill-street-coffee.jpg",
             "A cup of coffee on a cafe table.", NORTHGATE),
    Original("astronaut", "northgate/images/exhibition-portrait.jpg",
             "An astronaut portrait on display at the exhibition.", NORTHGATE),
    Original("chelsea", "harbour/img/shelter-cat.jpg",
             "A tabby cat at the shelter.", HARBOUR),
    Original("hubble_deep_field", "harbour/img/deep-field.jpg",
             "A deep-field image of distant galaxies.", HARBOUR),
    # The aggregator's own photo for its unrelated story (matches nothing).
    Original("retina", "digest/media/f3b6-eye-clinic.jpg",
             "A photograph of the back of the eye.", DIGEST),
)

COPIES: tuple[Copy, ...] = (
    Copy("northgate/images/summit-photographer.jpg", "digest/media/a1f3-summit.jpg", True),
    Copy("northgate/images/northsat-launch.jpg", "digest/media/b7c2-launch.jpg", True),
    Copy("harbour/img/shelter-cat.jpg", "digest/media/c9d4-cat.jpg", True),
    Copy("northgate/images/mill-street-coffee.jpg", "digest/media/d2e8-coffee.jpg", True),
    Copy("northgate/images/exhibition-portrait.jpg", "digest/media/e5a1-portrait.jpg", False),
)


def xmp_packet(credit: Credit, description: str) -> bytes:
    """An XMP packet with dc:creator, dc:rights, dc:description and photoshop:Credit/Source."""
    e = escape
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    photoshop:Credit="{e(credit.credit_line)}"
    photoshop:Source="{e(credit.source)}">
   <dc:creator><rdf:Seq><rdf:li>{e(credit.artist)}</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{e(credit.copyright)}</rdf:li></rdf:Alt></dc:rights>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(description)}</rdf:li></rdf:Alt></dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xml.encode("utf-8")


def exif_block(credit: Credit, description: str) -> bytes:
    """EXIF with Artist, Copyright and ImageDescription."""
    exif = Image.Exif()
    exif[EXIF_ARTIST] = credit.artist
    exif[EXIF_COPYRIGHT] = credit.copyright
    exif[EXIF_IMAGE_DESCRIPTION] = description
    return exif.tobytes()


def iptc_app13(credit: Credit) -> bytes:
    """A Photoshop APP13 segment holding IPTC-IIM By-line, Credit, Source, Copyright Notice."""

    def dataset(number: int, value: str) -> bytes:
        data = value.encode("utf-8")
        return struct.pack(">BBBH", 0x1C, 2, number, len(data)) + data

    iim = struct.pack(">BBBH", 0x1C, 1, 90, 3) + b"\x1b%G"  # coded character set: UTF-8
    iim += struct.pack(">BBBH", 0x1C, 2, 0, 2) + b"\x00\x04"  # record version 4
    iim += dataset(80, credit.artist)  # By-line
    iim += dataset(110, credit.credit_line)  # Credit
    iim += dataset(115, credit.source)  # Source
    iim += dataset(116, credit.copyright)  # Copyright Notice
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def insert_app_segment(jpeg: bytes, segment: bytes) -> bytes:
    """Insert a marker segment after the last APPn segment that follows SOI."""
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    pos = 2
    while jpeg[pos] == 0xFF and 0xE0 <= jpeg[pos + 1] <= 0xEF:
        (length,) = struct.unpack(">H", jpeg[pos + 2 : pos + 4])
        pos += 2 + length
    return jpeg[:pos] + segment + jpeg[pos:]


def load_sample(name: str) -> Image.Image:
    """A scikit-image sample photo as an RGB Pillow image, at most MAX_WIDTH wide."""
    import skimage.data  # only needed when (re)building the images

    array = getattr(skimage.data, name)()
    image = Image.fromarray(array).convert("RGB")
    if image.width > MAX_WIDTH:
        height = round(image.height * MAX_WIDTH / image.width)
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    return image


def encode(image: Image.Image, quality: int, credit: Credit | None, description: str) -> bytes:
    """JPEG bytes, with the embedded credit when `credit` is given, else no metadata."""
    out = io.BytesIO()
    if credit is None:
        image.save(out, "JPEG", quality=quality, optimize=True)
        return out.getvalue()
    image.save(
        out,
        "JPEG",
        quality=quality,
        optimize=True,
        exif=exif_block(credit, description),
        xmp=xmp_packet(credit, description),
    )
    return insert_app_segment(out.getvalue(), iptc_app13(credit))


def write(path: Path, data: bytes) -> None:
    """Write one image and report it; refuse files that break the size budget."""
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{path} is {len(data)} bytes (> {MAX_BYTES})")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with Image.open(path) as check:
        size = f"{check.width}x{check.height}"
    print(f"{path.relative_to(REPO)}  {size}  {len(data)} bytes")


def main() -> int:
    """Build every original, then every aggregator copy from the original's pixels."""
    pixels: dict[str, Image.Image] = {}
    meta: dict[str, Original] = {}
    for original in ORIGINALS:
        image = load_sample(original.sample)
        data = encode(image, ORIGINAL_QUALITY, original.credit, original.description)
        write(SITES / original.dest, data)
        with Image.open(io.BytesIO(data)) as decoded:
            pixels[original.dest] = decoded.convert("RGB")
        meta[original.dest] = original
    for copy in COPIES:
        source = pixels[copy.original]
        size = (round(source.width * COPY_SCALE), round(source.height * COPY_SCALE))
        resized = source.resize(size, Image.Resampling.BICUBIC)
        original = meta[copy.original]
        credit = original.credit if copy.keep_metadata else None
        write(SITES / copy.dest, encode(resized, COPY_QUALITY, credit, original.description))
    return 0


if __name__ == "__main__":
    sys.exit(main())
