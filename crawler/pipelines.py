"""Thin pipeline: each item goes to one compliance.store function."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from compliance.db import make_engine
from compliance.records import ImageItem, PageItem
from compliance.store import store_image, store_page


class StorePipeline:
    """Hands pages and images to compliance.store within the crawl's run."""

    def __init__(self, db_url: str, run_id: int) -> None:
        self.engine = make_engine(db_url)
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePipeline":
        return cls(crawler.settings.get("PROVENANCE_DB"), crawler.settings.getint("PROVENANCE_RUN_ID"))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            store_page(self.engine, self.run_id, item)
        elif isinstance(item, ImageItem):
            store_image(self.engine, self.run_id, item)
        return item

    def close_spider(self) -> None:
        self.engine.dispose()
