"""Downloader middleware that refuses non-public addresses at every hop, so a notice cannot steer us inside.

It runs before the download (priority 50 in `DOWNLOADER_MIDDLEWARES`), which means it sees start requests,
each request that RedirectMiddleware creates for a redirect hop, image requests, and the robots.txt requests
that RobotsTxtMiddleware sends through the engine. Enabled by `PROVENANCE_GUARD = True`; exact test/demo origins
may be let through with `PROVENANCE_GUARD_ALLOW` ("host:port" list, see `compliance.netguard`).
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from compliance.netguard import AddressGuard, BlockedAddressError

logger = logging.getLogger(__name__)


class RefusedAddress(IgnoreRequest):
    """IgnoreRequest whose text is the guard's one-line reason, recorded as the capture's error."""


class PublicAddressGuardMiddleware:
    """Checks each request's URL with AddressGuard; a refusal becomes IgnoreRequest before any connection."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublicAddressGuardMiddleware:
        if not crawler.settings.getbool("PROVENANCE_GUARD"):
            raise NotConfigured("PROVENANCE_GUARD is off")
        return cls(AddressGuard(allow=crawler.settings.getlist("PROVENANCE_GUARD_ALLOW")))

    def refusal(self, request: Request) -> str | None:
        """The reason to refuse this request (naming the redirect it came from), or None to let it go."""
        try:
            self.guard.check_url(request.url)
        except BlockedAddressError as exc:
            chain = request.meta.get("redirect_urls") or []
            if chain:
                return f"{exc.message} (redirect hop {len(chain)} from {chain[0]})"
            return exc.message
        return None

    async def process_request(self, request: Request) -> None:
        # Name resolution blocks, so it runs in a thread rather than stalling the reactor.
        reason = await maybe_deferred_to_future(deferToThread(self.refusal, request))
        if reason is not None:
            logger.warning("address guard: %s", reason)
            raise RefusedAddress(reason)
