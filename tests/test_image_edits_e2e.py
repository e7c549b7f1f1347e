"""End to end: an aggregator's flipped, cropped and credit-banded copies of a publisher's photos are linked, and the
plain placeholders both sites show (a solid colour, a near-uniform banner) link to nothing.

Real Scrapy against a real HTTP server on 127.0.0.1, a real SQLite file, the `crawl` and `link` commands.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from tests.cli_helpers import REPO, crawl_and_link

SITES = REPO / "compliance" / "demo" / "sites"
TEXT = " ".join(
    f"Sentence {i} of the ferry report says the council approved timetable {i * 3} after a debate about piers."
    for i in range(40)
)


def _flip(im: Image.Image) -> Image.Image:
    return ImageOps.mirror(im)


def _crop(im: Image.Image) -> Image.Image:
    w, h = im.size
    return im.crop((int(w * 0.1), int(h * 0.1), int(w * 0.9), int(h * 0.9)))


def _band(im: Image.Image) -> Image.Image:
    w, h = im.size
    out = Image.new("RGB", (w, h + h // 8), (255, 255, 255))
    out.paste(im, (0, 0))
    ImageDraw.Draw(out).text((8, h + 4), "Photo: Harbour Times / all rights reserved", fill=(0, 0, 0))
    return out


EDITS = {"flipped.jpg": _flip, "cropped.jpg": _crop, "banded.jpg": _band}


def _page(title: str, names: list[str]) -> str:
    imgs = "\n".join(f'<figure><img src="img/{n}" alt="photo {i}"></figure>' for i, n in enumerate(names))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1><p>{TEXT}</p>{imgs}</article></body></html>")


def _placeholders(folder: Path, shade: int) -> None:
    Image.new("RGB", (400, 300), (shade, shade, shade)).save(folder / "grey.png")
    banner = Image.new("RGB", (728, 90), (20, 60, 160 + shade % 40))
    ImageDraw.Draw(banner).text((300, 40), "Subscribe" if shade % 2 else "Advertise", fill=(255, 255, 255))
    banner.save(folder / "banner.png")


def test_flipped_cropped_and_banded_copies_link_and_placeholders_do_not(tmp_path: Path) -> None:
    photos = sorted(SITES.glob("northgate/images/*.jpg"))[: len(EDITS)]
    pub, agg = tmp_path / "pub" / "img", tmp_path / "agg" / "img"
    pub.mkdir(parents=True)
    agg.mkdir(parents=True)
    for photo, (name, edit) in zip(photos, EDITS.items()):
        with Image.open(photo) as im:
            im.convert("RGB").save(pub / name, quality=90)
            edit(im.convert("RGB")).save(agg / name, quality=80)
    _placeholders(pub, 240)
    _placeholders(agg, 231)
    names = [*EDITS, "grey.png", "banner.png"]
    (pub.parent / "article.html").write_text(_page("Ferry timetable approved", names), encoding="utf-8")
    (agg.parent / "article.html").write_text(_page("Ferry timetable approved (digest)", names), encoding="utf-8")
    db = tmp_path / "p.db"
    crawl_and_link(tmp_path, db, {"pub": ("publisher", pub.parent, ["article.html"]),
                                  "agg": ("aggregator", agg.parent, ["article.html"])})
    con = sqlite3.connect(db)
    try:
        linked = con.execute(
            "select ci.url, oi.url, m.method, m.distance from match m "
            "join image_appearance ca on ca.id = m.copy_id join image ci on ci.id = ca.image_id "
            "join image_appearance oa on oa.id = m.original_id join image oi on oi.id = oa.image_id "
            "where m.kind = 'image'").fetchall()
        plain = con.execute("select url from image where low_information").fetchall()
    finally:
        con.close()
    pairs = {(c.rsplit("/", 1)[1], o.rsplit("/", 1)[1]) for c, o, _m, _d in linked}
    assert pairs == {(name, name) for name in EDITS}, linked  # each edit to its own original, nothing else
    assert all(method == "phash-windows" and distance <= 8 for _c, _o, method, distance in linked), linked
    assert sorted(u.rsplit("/", 1)[1] for (u,) in plain) == ["banner.png", "banner.png", "grey.png", "grey.png"]
