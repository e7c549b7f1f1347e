"""robots.txt by RFC 9309 in a real Scrapy crawl: 5xx and no answer mean disallow-all, 4xx allow-all, each refusal says why.

One small HTTP server per robots.txt behaviour (robots.txt is per host and port), all on 127.0.0.1. The crawl runs
in a fresh interpreter (Twisted's reactor cannot restart in pytest) with the project's settings, the middleware
swapped in through DOWNLOADER_MIDDLEWARES as the crawler settings will do, and a probe spider that records each
URL's status or refusal. A control crawl with Scrapy's stock middleware shows the 500 case it fixes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
RULES = b"User-agent: *\nDisallow: /private\n"

CRAWL_SCRIPT = """
import json, sys
from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
import crawler.settings as project
from crawler.spiders.sites import describe_failure

args = json.loads(sys.argv[1])
outcomes = {}

class Probe(Spider):
    name = "probe"

    async def start(self):
        for url in args["urls"]:
            yield Request(url, callback=self.ok, errback=self.failed, dont_filter=True)

    def ok(self, response):
        outcomes[response.request.meta.get("redirect_urls", [response.url])[0]] = {"status": response.status}

    def failed(self, failure):
        outcomes[failure.request.url] = {"error": str(failure.value), "type": type(failure.value).__name__,
                                         "recorded": describe_failure(failure, 10)}

settings = Settings()
settings.setmodule(project)
middlewares = dict(project.DOWNLOADER_MIDDLEWARES)
middlewares["crawler.middlewares.WarcEvidenceMiddleware"] = None
if args["stock"]:  # the control: Scrapy's own middleware where the project puts RFC 9309's
    middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = 100
    middlewares["crawler.robots.RobotsPolicyMiddleware"] = None
settings.set("DOWNLOADER_MIDDLEWARES", middlewares)
settings.set("ITEM_PIPELINES", {})
settings.set("PROVENANCE_GUARD", "off")  # a probe spider of 127.0.0.1 servers, not a crawl of registered sites
settings.set("DOWNLOAD_TIMEOUT", 10)
settings.set("LOG_LEVEL", "ERROR")
process = CrawlerProcess(settings)
process.crawl(Probe)
process.start()
print(json.dumps(outcomes))
"""


class RobotsSite(ThreadingHTTPServer):
    """One site whose robots.txt behaves as `behaviour` says; every other path is a small page."""

    daemon_threads = True

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.robots_hits = 0
        super().__init__(("127.0.0.1", 0), RobotsHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class RobotsHandler(BaseHTTPRequestHandler):
    server: RobotsSite

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads outcomes, not access logs."""

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/plain", location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        behaviour, path = self.server.behaviour, self.path
        if path == "/robots.txt" or path.startswith("/robots-hop"):
            self.server.robots_hits += 1
            self._robots(behaviour, path)
            return
        self._send(200, b"<html><body><p>page</p></body></html>", "text/html")

    def _robots(self, behaviour: str, path: str) -> None:
        if behaviour == "rules":
            self._send(200, RULES)
        elif behaviour.startswith("status-"):
            status = int(behaviour.split("-")[1])
            self._send(status, b"<html><body><h1>Something went wrong</h1></body></html>", "text/html")
        elif behaviour == "redirect-3":  # /robots.txt -> /robots-hop-1 -> /robots-hop-2 -> /robots-hop-3 (rules)
            hop = 0 if path == "/robots.txt" else int(path.rsplit("-", 1)[1])
            if hop == 3:
                self._send(200, RULES)
            else:
                self._send(302, location=f"/robots-hop-{hop + 1}")
        elif behaviour == "redirect-forever":
            hop = 0 if path == "/robots.txt" else int(path.rsplit("-", 1)[1])
            self._send(302, location=f"/robots-hop-{hop + 1}")
        elif behaviour == "drop":  # no answer at all: the connection closes before any response
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)


BEHAVIOURS = ["rules", "status-500", "status-503", "status-429", "status-404", "status-403", "redirect-3",
              "redirect-forever", "drop"]


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, RobotsSite]]:
    servers = {b: RobotsSite(b) for b in BEHAVIOURS}
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
               for s in servers.values()]
    for thread in threads:
        thread.start()
    yield servers
    for server in servers.values():
        server.shutdown()
        server.server_close()


def crawl(urls: list[str], stock: bool = False) -> dict[str, dict[str, Any]]:
    """Each URL's outcome in a real crawl: {"status": n} or {"error", "type", "recorded"}."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-c", CRAWL_SCRIPT, json.dumps({"urls": urls, "stock": stock})],
                          check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    outcomes: dict[str, dict[str, Any]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return outcomes


def test_rfc_9309_status_handling_in_a_real_crawl(sites: dict[str, RobotsSite]) -> None:
    urls = [f"{s.url}{p}" for s in sites.values() for p in ("/page", "/private/x")]
    out = crawl(urls)

    def page(behaviour: str, path: str = "/page") -> dict[str, Any]:
        return out[sites[behaviour].url + path]

    # 2xx: the rules apply; the refusal names the file.
    assert page("rules") == {"status": 200}
    refused = page("rules", "/private/x")
    assert refused["type"] == "RobotsRefusal"
    assert refused["error"] == f"forbidden by robots.txt ({sites['rules'].url}/robots.txt disallows it for this crawler)"
    # 5xx and 429: disallow-all, every request refused with the status and the RFC section.
    for behaviour, status in (("status-500", 500), ("status-503", 503), ("status-429", 429)):
        for path in ("/page", "/private/x"):
            got = page(behaviour, path)
            assert got.get("type") == "RobotsRefusal", (behaviour, path, got)
            assert got["error"].startswith(f"robots.txt answered HTTP {status}"), got
            assert got["error"].endswith("treated as disallow-all (RFC 9309 2.3.1.4)"), got
    assert page("status-500")["error"] == (
        f"robots.txt answered HTTP 500 at {sites['status-500'].url}/robots.txt: treated as disallow-all "
        "(RFC 9309 2.3.1.4)")
    # No answer at all: unreachable, disallow-all, with why it could not be fetched.
    dropped = page("drop", "/page")
    assert dropped["type"] == "RobotsRefusal", dropped
    assert dropped["error"].startswith("closed the connection"), dropped
    assert f"when asked for its robots.txt ({sites['drop'].url}/robots.txt)" in dropped["error"], dropped
    assert "closed the connection" in dropped["error"] and dropped["error"].endswith("(RFC 9309 2.3.1.4)")
    # 4xx: unavailable, everything may be crawled.
    for behaviour in ("status-404", "status-403"):
        assert page(behaviour) == page(behaviour, "/private/x") == {"status": 200}, behaviour
    # Redirects: followed (three hops here, and the rules at the end apply) ...
    assert page("redirect-3") == {"status": 200}
    assert page("redirect-3", "/private/x")["type"] == "RobotsRefusal"
    assert sites["redirect-3"].robots_hits == 4
    # ... but no more than five: then robots.txt is unavailable (RFC 9309 2.3.1.2) and nothing is refused.
    assert page("redirect-forever") == page("redirect-forever", "/private/x") == {"status": 200}
    assert sites["redirect-forever"].robots_hits == 6
    # robots.txt is fetched once per site however many requests wait on it.
    assert sites["status-500"].robots_hits == 2  # the first answer and the one retry of a server error
    assert sites["rules"].robots_hits == 1


def test_stock_scrapy_reads_a_500_as_allow_all(sites: dict[str, RobotsSite]) -> None:
    """The control: without this middleware, the 500 site is crawled as if robots.txt allowed everything."""
    url = sites["status-500"].url + "/page"
    assert crawl([url], stock=True)[url] == {"status": 200}
