"""End to end: images whose URLs need percent-encoding are stored once, fingerprinted and linked.

A page writes `<img src="img/photo one.jpg">`; Scrapy requests `img/photo%20one.jpg`. Both spellings must meet on one
image row, or the appearance (raw spelling) never gets the fingerprint (encoded spelling) and no copy is linked.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from PIL import Image

from tests.cli_helpers import REPO, crawl_and_link

SITES = REPO / "compliance" / "demo" / "sites"
NAMES = ["photo one.jpg", "café.jpg", "a[1].jpg", "a|b.jpg", "plain.jpg"]
TEXT = " ".join(
    f"Sentence {i} of the harbour report says the council approved plan {i * 7} after a long debate about ferries."
    for i in range(40)
)


def _page(title: str, images: list[str]) -> str:
    imgs = "\n".join(f'<figure><img src="img/{name}" alt="photo {i}"></figure>' for i, name in enumerate(images))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1><p>{TEXT}</p>{imgs}</article></body></html>")


def _site(root: Path, title: str, resize: float) -> None:
    (root / "img").mkdir(parents=True)
    photos = sorted([*SITES.glob("northgate/images/*.jpg"), *SITES.glob("harbour/img/*.jpg")])[: len(NAMES)]
    assert len(photos) == len(NAMES)
    for photo, name in zip(photos, NAMES):
        if resize == 1.0:
            shutil.copy(photo, root / "img" / name)
        else:
            with Image.open(photo) as im:
                im.resize((int(im.width * resize), int(im.height * resize))).save(root / "img" / name, quality=85)
    (root / "article.html").write_text(_page(title, NAMES), encoding="utf-8")


def test_encoded_image_urls_are_fingerprinted_and_linked(tmp_path: Path) -> None:
    _site(tmp_path / "pub", "Harbour plan approved", 1.0)
    _site(tmp_path / "agg", "Harbour plan approved (aggregated)", 0.5)
    db = tmp_path / "p.db"
    crawl_and_link(tmp_path, db, {"pub": ("publisher", tmp_path / "pub", ["article.html"]),
                                  "agg": ("aggregator", tmp_path / "agg", ["article.html"])})
    con = sqlite3.connect(db)
    try:
        rows = con.execute("select i.url, i.phash is not null, count(a.id) from image i "
                           "left join image_appearance a on a.image_id = i.id group by i.id").fetchall()
        matches = con.execute("select count(*) from match where kind = 'image'").fetchone()[0]
    finally:
        con.close()
    assert len(rows) == 2 * len(NAMES), rows  # one row per image: no raw/encoded twins
    assert all(hashed and shown == 1 for _url, hashed, shown in rows), rows
    assert any("%20" in url for url, _, _ in rows) and any("%5B1%5D" in url for url, _, _ in rows)
    assert matches == len(NAMES)
