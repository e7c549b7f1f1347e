"""An item's fingerprints computed in one call (what crawl workers send) equal what the store computes itself."""

from __future__ import annotations

from compliance.fingerprints.passages import winnow
from compliance.fingerprints.prints import analyse_image, text_prints, text_sha256
from compliance.fingerprints.simhash import simhash_text

TEXT = ("The harbour council approved the new flood barrier on Tuesday after a long debate about costs. "
        "Engineers said the barrier would protect four hundred homes along the river.") * 3


def test_text_prints_are_the_stored_fingerprints() -> None:
    prints = text_prints(TEXT)
    assert prints.simhash == simhash_text(TEXT)
    assert prints.winnowed == sorted({fp.value for fp in winnow(TEXT)})
    assert prints.sha256 == text_sha256("  " + TEXT.upper() + "\n")  # spacing and case make no new version


def test_analyse_image_records_undecodable_bytes_instead_of_raising() -> None:
    fields = analyse_image(b"<html>not an image</html>", "image/png")
    assert fields["error"] and "sha256" not in fields


def test_a_page_served_at_an_image_address_is_not_an_image_with_its_content_type() -> None:
    page = b"<!DOCTYPE html><html><body><h1>Not found</h1></body></html>"
    fields = analyse_image(page, "text/html; charset=utf-8")
    assert fields["error"].startswith("is not an image (Content-Type: text/html; charset=utf-8; the 59 bytes are an "
                                      "HTML page). Fix: ")
    assert analyse_image(page, "image/png")["error"].startswith("is not an image (served as image/png; the 59 bytes")
    assert " at 0x" not in fields["embedded"].get("_error", "")


def test_analyse_image_hashes_a_real_photo() -> None:
    import io

    import skimage.data
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(skimage.data.astronaut()).save(buffer, format="JPEG", quality=85)
    fields = analyse_image(buffer.getvalue(), "image/jpeg")
    assert fields["error"] is None and fields["width"] == 512 and fields["phash"] is not None
    assert fields["window_print"] and fields["low_information"] is False
