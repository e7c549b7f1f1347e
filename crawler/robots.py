"""robots.txt as RFC 9309 says to read it: a server error means "stay out", and every refusal says why.

Scrapy's RobotsTxtMiddleware parses whatever body comes back, so a robots.txt answering HTTP 500 (an HTML error
page, no rules) lets the whole site be crawled. RFC 9309 2.3.1 says otherwise, and this middleware follows it:

* 2xx: the rules apply (2.3.1.1);
* 3xx: followed for up to five hops (2.3.1.2), then the file is taken as unavailable;
* 4xx: unavailable, everything may be crawled (2.3.1.3), except 429 Too Many Requests, which asks us to slow
  down and is treated like a server error (as the large crawlers do);
* 5xx, or no answer at all: unreachable, the crawler must assume complete disallow (2.3.1.4).

Each refused request raises `RobotsRefusal` (an IgnoreRequest) whose text names robots.txt and the reason, e.g.
"robots.txt answered HTTP 500: treated as disallow-all (RFC 9309 2.3.1.4)"; the spider records it as the
capture's error. Enabled in place of Scrapy's middleware (`DOWNLOADER_MIDDLEWARES`, priority 100).

The file is fetched once per host and shared: `robots_wanted` asks for a host's robots.txt before any page needs
it, and `robots_fetched` hands whatever came back (the response, or None) to whoever reads it too (the spider's
sitemap discovery), so a site sees one robots.txt request and the WARC holds one pair.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2: follow at least five consecutive redirects

# Signals. robots_wanted(origin): fetch that origin's robots.txt now; a receiver returns True while its
# robots_fetched is still to come. robots_fetched(robots_url, response): sent once per host after every fetch,
# with the final response (any status) or None when there was none.
robots_wanted = object()
robots_fetched = object()


_UNKNOWN = object()  # a host whose robots.txt nobody asked for yet


class RobotsRefusal(IgnoreRequest):
    """IgnoreRequest whose text is the one-line reason robots.txt refused the request."""


@dataclass(frozen=True)
class DisallowAll:
    """The policy of a host whose robots.txt could not be read: nothing may be fetched, for this reason."""

    reason: str


def status_policy(status: int, robots_url: str) -> DisallowAll | None:
    """What a robots.txt status means when it is not 2xx: None (allow all) or disallow-all with its reason."""
    if status == 429:
        return DisallowAll(f"robots.txt answered HTTP 429 (too many requests) at {robots_url}: "
                           "treated as disallow-all (RFC 9309 2.3.1.4)")
    if 500 <= status or status < 200:
        return DisallowAll(f"robots.txt answered HTTP {status} at {robots_url}: "
                           "treated as disallow-all (RFC 9309 2.3.1.4)")
    return None  # 3xx not followed, 4xx: unavailable, RFC 9309 2.3.1.2-2.3.1.3


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware with RFC 9309's status rules and a recorded reason for every refusal."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._policies: dict[str, DisallowAll] = {}
        crawler.signals.connect(self.wanted, signal=robots_wanted)

    def wanted(self, origin: str) -> bool:
        """Fetch an origin's robots.txt in the background; True unless it was fetched already (its answer is gone)."""
        request = Request(f"{origin}/robots.txt", meta={"dont_obey_robotstxt": True})
        found = self._parsers.get(urlparse_cached(request).netloc, _UNKNOWN)
        if found is _UNKNOWN:
            fetching = deferred_from_coro(self.robot_parser(request))
            fetching.addErrback(lambda failure: logger.error("robots.txt of %s: %s", origin, failure.value))
        return found is _UNKNOWN or isinstance(found, Deferred)

    def _timeout(self) -> float:
        return self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT")

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        netloc = urlparse_cached(request).netloc
        policy = self._policies.get(netloc)
        if policy is not None:
            self._stats.inc_value("robotstxt/forbidden")
            self._stats.inc_value("robotstxt/forbidden/unreachable")
            raise RobotsRefusal(policy.reason)
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            scheme = urlparse_cached(request).scheme
            raise RobotsRefusal(f"forbidden by robots.txt ({scheme}://{netloc}/robots.txt disallows it for "
                                "this crawler)") from None

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots_url = f"{url.scheme}://{netloc}/robots.txt"
            robots_request = Request(
                robots_url,
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True, "redirect_ttl": MAX_REDIRECTS},
                callback=NO_CALLBACK,
            )
            parser: RobotParser | None = None
            response: Response | None = None
            try:
                response = await self.crawler.engine.download_async(robots_request)
            except Exception as exc:  # noqa: BLE001 -- every failure is a policy, never a crash of the crawl
                self._failed(exc, netloc, robots_url)
            else:
                parser = await self._read(response, netloc, robots_url, request)
            self._stats.inc_value("robotstxt/request_count")
            pending = self._parsers[netloc]
            self._parsers[netloc] = parser
            if isinstance(pending, Deferred):
                pending.callback(parser)
            await self.crawler.signals.send_catch_log_async(signal=robots_fetched, robots_url=robots_url,
                                                            response=response)
        found = self._parsers[netloc]
        if isinstance(found, Deferred):
            result: RobotParser | None = await maybe_deferred_to_future(found)
            return result
        return found

    def _policy(self, netloc: str, policy: DisallowAll) -> None:
        self._policies[netloc] = policy
        logger.info("%s", policy.reason)  # recorded as each refused capture's reason

    async def _read(self, response: Response, netloc: str, robots_url: str, request: Request) -> RobotParser | None:
        """A parser for a 2xx answer; None (allow all) or a disallow-all policy for the others."""
        from scrapy import signals

        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if not 200 <= response.status < 300:
            policy = status_policy(response.status, robots_url)
            if policy is not None:
                self._policy(netloc, policy)
            return None
        parser: RobotParser = build_from_crawler(self._parserimpl, self.crawler, response.body)
        await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed, robotparser=parser,
                                                        request=request)
        return parser

    def _failed(self, exc: Exception, netloc: str, robots_url: str) -> None:
        """No robots.txt answer: too many redirects is "unavailable" (allow), anything else "unreachable"."""
        if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
            logger.info("robots.txt at %s redirects more than %d times: treated as unavailable (allow all)",
                        robots_url, MAX_REDIRECTS)
            return  # RFC 9309 2.3.1.2
        from crawler.spiders.sites import describe_failure

        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        why = describe_failure(Failure(exc), self._timeout())  # type: ignore[no-untyped-call]
        self._policy(netloc, DisallowAll(f"{why} when asked for its robots.txt ({robots_url}): an unreachable "
                                         "robots.txt disallows the site (RFC 9309 2.3.1.4)"))


__all__ = ["MAX_REDIRECTS", "DisallowAll", "RobotsPolicyMiddleware", "RobotsRefusal", "robots_fetched", "robots_wanted",
           "status_policy"]
