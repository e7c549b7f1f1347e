"""Credit embedded in image files (EXIF, IPTC IIM, XMP, C2PA), read defensively from untrusted bytes.

`metadata_stripped` needs to know what credit an original carried, so everything here returns what it could read
and never raises: corrupt or truncated files give the fields found so far plus an `_error` line.
"""

from __future__ import annotations

import io
import json
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from PIL import Image, ImageFile, IptcImagePlugin

from compliance.fingerprints.imagehash import MAX_PIXELS

CREDIT_KEYS = (
    "exif_artist", "exif_copyright", "iptc_byline", "iptc_credit", "iptc_source", "iptc_copyright",
    "xmp_creator", "xmp_rights", "xmp_credit",
)
_EXIF_TAGS = {315: "exif_artist", 33432: "exif_copyright"}
_IPTC_TAGS = {(2, 80): "iptc_byline", (2, 110): "iptc_credit", (2, 115): "iptc_source", (2, 116): "iptc_copyright"}
_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}
_MAX_XMP = 1 << 20  # a real XMP packet is kilobytes; bound parse work on hostile input
_MAX_VALUE = 2000  # credit lines are short; longer values are cut
_MAX_SEGMENTS = 64
_EXIF_HEADER = b"Exif\x00\x00"
_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_REMOTE_URL = re.compile(r"https?://\S+")
_JUNK = re.compile(r"copyright|\(c\)|©|all rights reserved|[\W\d_]", re.IGNORECASE)
_JUNK_WORDS = {"", "unknown", "none", "n/a", "na", "null", "anonymous", "owner", "artist"}


def _fix_mojibake(value: str) -> str:
    """EXIF ASCII tags often hold UTF-8 that Pillow decodes as Latin-1 ("BjÃ¸rn"); undo that when it round-trips."""
    try:
        fixed = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value
    return fixed


def _text(raw: object) -> str:
    """A bounded, NUL-free string from whatever a parser handed back."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    return str(raw).replace("\x00", "")[:_MAX_VALUE]


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) of JPEG header segments up to the image data, tolerant of truncation."""
    if not data.startswith(b"\xff\xd8"):
        return
    pos, seen = 2, 0
    while pos + 4 <= len(data) and seen < _MAX_SEGMENTS:
        if data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            return
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2:
            return
        yield marker, data[pos + 4 : pos + 2 + length]
        pos += 2 + length
        seen += 1


def _read_exif(exif: Image.Exif, out: dict[str, str]) -> None:
    for tag, key in _EXIF_TAGS.items():
        if tag in exif:
            out[key] = _fix_mojibake(_text(exif[tag]))


def _read_iptc(im: ImageFile.ImageFile, out: dict[str, str]) -> None:
    info = IptcImagePlugin.getiptcinfo(im) or {}
    # IIM 1:90 = ESC % G declares UTF-8; undeclared files are mostly UTF-8 too, else Latin-1 (strict UTF-8 fails).
    for tag, key in _IPTC_TAGS.items():
        raw = info.get(tag)
        if raw is None:
            continue
        values = raw if isinstance(raw, list) else [raw]
        texts = []
        for v in values:
            try:
                texts.append(bytes(v).decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(bytes(v).decode("latin-1"))
        out[key] = _text("; ".join(texts))


def _read_xmp(packet: bytes, out: dict[str, str]) -> None:
    from defusedxml import ElementTree

    packet = packet[:_MAX_XMP].strip(b"\x00 \r\n\t")
    start = packet.find(b"<x:xmpmeta")
    if start < 0:
        start = packet.find(b"<rdf:RDF")
    end_tag = b"</x:xmpmeta>" if packet[start:].startswith(b"<x:xmpmeta") else b"</rdf:RDF>"
    end = packet.rfind(end_tag)
    if start < 0 or end < 0:
        raise ValueError("XMP packet has no rdf:RDF")
    root = ElementTree.fromstring(packet[start : end + len(end_tag)])
    rdf, dc, ps = _NS["rdf"], _NS["dc"], _NS["photoshop"]

    def items(el: Any) -> str:
        """rdf:Seq/Bag/Alt values joined (x-default first for Alt), or the element's own text."""
        lis = el.findall(f".//{{{rdf}}}li")
        if not lis:
            return str(el.text or "").strip()
        lis.sort(key=lambda li: li.get("{http://www.w3.org/XML/1998/namespace}lang") != "x-default")
        return "; ".join(str(li.text or "").strip() for li in lis if (li.text or "").strip())

    for desc in root.iter(f"{{{rdf}}}Description"):
        if f"{{{ps}}}Credit" in desc.attrib:
            out["xmp_credit"] = _text(desc.attrib[f"{{{ps}}}Credit"])
        for tag, key in ((f"{{{dc}}}creator", "xmp_creator"), (f"{{{dc}}}rights", "xmp_rights"),
                         (f"{{{ps}}}Credit", "xmp_credit")):
            el = desc.find(tag)
            if el is not None:
                out[key] = _text(items(el))


def _read_raw_jpeg(data: bytes, out: dict[str, str]) -> None:
    """For JPEGs Pillow refuses (cut-off downloads): parse APP1 Exif and XMP straight from the segments."""
    for marker, payload in _jpeg_segments(data):
        if marker != 0xE1:
            continue
        if payload.startswith(_EXIF_HEADER) and not any(k.startswith("exif_") for k in out):
            exif = Image.Exif()
            exif.load(payload)
            _read_exif(exif, out)
        elif payload.startswith(_XMP_HEADER):
            _read_xmp(payload[len(_XMP_HEADER) :], out)


def read_embedded(data: bytes) -> dict[str, str]:
    """Credit-bearing EXIF/IPTC/XMP fields present in the file; `_error` says what could not be read. Never raises."""
    out: dict[str, str] = {}
    errors: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns on every oversized tag of a corrupt IFD
        try:
            im = Image.open(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - untrusted bytes: any parser failure is data, not a crash
            errors.append(f"image: {_one_line(exc)}")
            try:
                _read_raw_jpeg(data, out)
            except Exception as exc2:  # noqa: BLE001
                errors.append(f"raw exif: {_one_line(exc2)}")
        else:
            # Pillow's PNG getexif() decodes every pixel to look for an eXIf chunk after the image data: for an
            # image over the decode limit (a decompression bomb) only the EXIF bytes already read are used.
            huge = im.width * im.height > MAX_PIXELS
            steps: list[tuple[str, Callable[[], None]]] = [
                ("exif", lambda: _read_exif(_exif_read(im) if huge else im.getexif(), out)),
                ("iptc", lambda: _read_iptc(im, out)),
                ("xmp", lambda: _xmp_from(im, out)),
            ]
            for label, step in steps:
                try:
                    step()
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"{label}: {_one_line(exc)}")
    if errors:
        out["_error"] = "; ".join(errors)
    return out


def _exif_read(im: Image.Image) -> Image.Exif:
    """The EXIF block the header gave (`info["exif"]`), without decoding pixels."""
    exif = Image.Exif()
    raw = im.info.get("exif")
    if isinstance(raw, bytes):
        exif.load(raw)
    return exif


def _xmp_from(im: Image.Image, out: dict[str, str]) -> None:
    packet = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    if packet:
        _read_xmp(packet if isinstance(packet, bytes) else str(packet).encode("utf-8"), out)


_REPR = re.compile(r" ?<[^<>]* object at 0x[0-9a-fA-F]+>")


def _one_line(exc: BaseException) -> str:
    """The exception as one short line, without Python object reprs (`<_io.BytesIO object at 0x...>`)."""
    return " ".join(_REPR.sub("", f"{type(exc).__name__}: {exc}").split())[:300]


def is_junk_credit(value: str) -> bool:
    """True for values that credit no one: empty, whitespace, camera boilerplate ("Copyright2004", "(c)")."""
    rest = _JUNK.sub("", value).casefold()
    return rest in _JUNK_WORDS


def credit_fields(embedded: dict[str, str]) -> dict[str, str]:
    """The credit-bearing fields that actually name someone, stripped (what metadata_stripped compares)."""
    return {k: v.strip() for k, v in embedded.items() if k in CREDIT_KEYS and not is_junk_credit(v)}


def read_c2pa(data: bytes, mime: str) -> dict[str, Any]:
    """C2PA Content Credentials state, offline (remote manifests are reported, never fetched). Never raises."""
    result: dict[str, Any] = {"present": False, "state": "absent", "errors": [], "remote_url": None,
                              "author": None, "generator": None}
    try:
        import c2pa
    except Exception as exc:  # noqa: BLE001 - a missing native library must not break an audit
        return {**result, "state": "error", "errors": [f"c2pa unavailable: {_one_line(exc)}"]}
    reader = None
    try:
        context = c2pa.Context.from_dict({"verify": {"remote_manifest_fetch": False}})
        reader = c2pa.Reader.try_create(mime, io.BytesIO(data), None, context)
        if reader is None:
            return result
        manifest_store = json.loads(reader.json())
        failures = [str(f.get("code")) for f in
                    (reader.get_validation_results() or {}).get("activeManifest", {}).get("failure", [])]
        state = str(reader.get_validation_state() or "")
    except Exception as exc:  # noqa: BLE001
        message = _one_line(exc)
        if "Remote" in message:
            url = _REMOTE_URL.search(str(exc))
            return {**result, "present": True, "state": "remote", "remote_url": url.group(0) if url else None}
        return {**result, "state": "error", "errors": [message]}
    finally:
        if reader is not None:
            try:
                reader.close()
            except Exception:  # noqa: BLE001, S110 - closing is best effort
                pass
    # The test certificate is untrusted without trust anchors; that alone does not make the manifest invalid.
    serious = [f for f in failures if f != "signingCredential.untrusted"]
    invalid = bool(serious) or (state.lower() == "invalid" and set(failures) != {"signingCredential.untrusted"})
    active = manifest_store.get("manifests", {}).get(manifest_store.get("active_manifest"), {})
    return {**result, "present": True, "state": "invalid" if invalid else "valid", "errors": failures,
            "author": _c2pa_author(active), "generator": _c2pa_generator(active)}


def _c2pa_author(manifest: dict[str, Any]) -> str | None:
    names: list[str] = []
    for assertion in manifest.get("assertions", []):
        if "CreativeWork" in str(assertion.get("label", "")):
            authors = (assertion.get("data") or {}).get("author", [])
            for a in authors if isinstance(authors, list) else [authors]:
                name = a.get("name") if isinstance(a, dict) else a
                if name:
                    names.append(str(name))
    return "; ".join(names) or None


def _c2pa_generator(manifest: dict[str, Any]) -> str | None:
    if manifest.get("claim_generator"):
        return str(manifest["claim_generator"])
    info = manifest.get("claim_generator_info") or []
    parts = [f"{i.get('name')}/{i.get('version')}" if i.get("version") else str(i.get("name")) for i in info
             if isinstance(i, dict) and i.get("name")]
    return " ".join(parts) or None
