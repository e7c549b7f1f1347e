"""Scrapy items are the typed records compliance stores (see compliance.records)."""

from compliance.records import CaptureRecord, ImageItem, PageItem

__all__ = ["CaptureRecord", "ImageItem", "PageItem"]
