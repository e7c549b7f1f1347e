"""Downloader middleware that refuses non-public addresses at every hop, so a notice cannot steer us inside.

It runs before the download (priority 50 in `DOWNLOADER_MIDDLEWARES`), which means it sees start requests,
each request that RedirectMiddleware creates for a redirect hop, image requests, and the robots.txt requests
that RobotsTxtMiddleware sends through the engine. `PROVENANCE_GUARD` says what it checks:

- "all" (or True): every request; captures of URLs a notice names use it.
- "off-site" (the crawl's default): requests to origins other than the crawl's own (`PROVENANCE_OWN_ORIGINS`,
  the origins of the sites being crawled): a page's cross-origin `<img>`, a redirect or meta refresh elsewhere.
  Auditing one's own intranet site stays possible; content the crawl did not ask for cannot steer it inside.
- "off" (or False): nothing.

Exact test/demo origins may be let through with `PROVENANCE_GUARD_ALLOW` ("host:port" list, see
`compliance.netguard`); `PROVENANCE_ALLOW_PRIVATE` (`crawl --allow-private HOST`) lets an intranet audit follow
off-site content to the hosts (any port) or "host:port" origins it names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from compliance.netguard import AddressGuard, BlockedAddressError
from compliance.urls import origin_of

logger = logging.getLogger(__name__)


def guard_mode(value: object) -> str:
    """PROVENANCE_GUARD as one of "all", "off-site", "off" (True and False are the older spellings)."""
    if value is True or str(value).lower() in ("all", "true", "1"):
        return "all"
    if value is False or value is None or str(value).lower() in ("off", "false", "0", ""):
        return "off"
    return "off-site"


class RefusedAddress(IgnoreRequest):
    """IgnoreRequest whose text is the guard's one-line reason, recorded as the capture's error."""


class PublicAddressGuardMiddleware:
    """Checks each request's URL with AddressGuard; a refusal becomes IgnoreRequest before any connection."""

    def __init__(self, guard: AddressGuard, own_origins: Iterable[str] | None = None,
                 allow_private: Iterable[str] = ()) -> None:
        self.guard = guard
        self.own = None if own_origins is None else {origin_of(o) for o in own_origins}
        self.allow_private = {a.strip().lower() for a in allow_private if a.strip()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublicAddressGuardMiddleware:
        mode = guard_mode(crawler.settings.get("PROVENANCE_GUARD"))
        if mode == "off":
            raise NotConfigured("PROVENANCE_GUARD is off")
        allow = crawler.settings.getlist("PROVENANCE_GUARD_ALLOW")
        if mode == "all":
            return cls(AddressGuard(allow=allow))
        guard = AddressGuard(allow=allow, allow_unresolvable=True)
        return cls(guard, crawler.settings.getlist("PROVENANCE_OWN_ORIGINS"),
                   crawler.settings.getlist("PROVENANCE_ALLOW_PRIVATE"))

    def _exempt(self, url: str) -> bool:
        """Off-site mode: the crawl's own origins, and the hosts an intranet audit allowed, are not checked."""
        if self.own is None:
            return False
        if origin_of(url) in self.own:
            return True
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return host in self.allow_private or f"{host}:{parts.port}" in self.allow_private

    def refusal(self, request: Request) -> str | None:
        """The reason to refuse this request (naming the redirect it came from), or None to let it go."""
        if self._exempt(request.url):
            return None
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
            logger.info("address guard: %s", reason)  # recorded as the capture's reason
            raise RefusedAddress(reason)
