"""Scrapy settings for provenance audits: bounded, polite and evidence-keeping. Overridable per crawl.

Politeness: robots.txt by RFC 9309 (crawler.robots), AutoThrottle on, per-domain concurrency and delay set by
`crawl --concurrency/--delay`, and 429/503 retried only after the server's Retry-After (crawler.politeness).
"""

BOT_NAME = "provenance"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "provenance-audit/0.1 (+content provenance and takedown compliance)"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8  # crawl --concurrency
DOWNLOAD_DELAY = 0.0  # crawl --delay: the least wait between two requests to one host (AutoThrottle's floor)
# AutoThrottle adapts each host's delay to its latency: a slow or struggling server gets fewer requests. Its
# stock start delay (5 s) and target (1 request in flight) would make a small site take minutes; 4 in flight per
# host still backs off as latency grows.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.1
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = 20
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 10
# Bounded bodies: a hostile server cannot exhaust memory (also bounds gzip decompression).
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Every status is evidence: the spider records 4xx/5xx captures itself.
HTTPERROR_ALLOW_ALL = True
COOKIES_ENABLED = False
# StorePipeline only queues items (a writer thread stores them in batches), so item concurrency buys nothing;
# Scrapy (2.13+) starts CONCURRENT_ITEMS asyncio tasks for every response's output, which at the default 100
# cost more than the extraction itself on pages with many images (benchmarks/crawl_realpages.py).
CONCURRENT_ITEMS = 4

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100), redirects (600) and the download: refuses non-public addresses at every hop.
    "crawler.guard.PublicAddressGuardMiddleware": 50,
    # RFC 9309: a robots.txt answering 5xx (or not at all) disallows the host; each refusal says why.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsPolicyMiddleware": 100,
    # Just before RetryMiddleware (550) on the way back: 429/503 wait for Retry-After or are not retried.
    "crawler.politeness.RetryAfterMiddleware": 560,
    # Close to the network, so it sees raw bytes and every redirect hop.
    "crawler.middlewares.WarcEvidenceMiddleware": 950,
}
EXTENSIONS = {
    "crawler.progress.ProgressLine": 500,
}
ITEM_PIPELINES = {
    "crawler.pipelines.StorePipeline": 300,
}

# Set per crawl by crawler.runner.
PROVENANCE_DB = None
PROVENANCE_RUN_ID = None
PROVENANCE_WARC_DIR = None
PROVENANCE_MAX_PAGES = 200
PROVENANCE_DEPTH = 3
# Refuse non-public addresses (SSRF guard, crawler.guard): "off-site" for `crawl` (its own sites may be on an
# intranet; images, redirects and refreshes elsewhere are checked), "all" for captures of URLs a notice names.
PROVENANCE_GUARD = "off-site"
PROVENANCE_OWN_ORIGINS: list[str] = []  # set by crawler.runner: the origins of the sites being crawled
PROVENANCE_ALLOW_PRIVATE: list[str] = []  # crawl --allow-private HOST: off-site hosts an intranet audit may reach
PROVENANCE_GUARD_ALLOW: list[str] = []  # exact "host:port" origins let through: tests and demo only
# Extraction and fingerprinting in worker processes (crawler.workers): how many ("auto": the usable cores, at
# most 4; 0: in the crawl's own thread), started once this many pages were parsed (small crawls never pay).
PROVENANCE_WORKERS = "auto"
PROVENANCE_WORKERS_AFTER = 20
# Batched writes (crawler.pipelines): items per transaction, the longest an item waits, retries of a failed
# batch and how long a SQLite write waits for another writer's lock.
PROVENANCE_BATCH_SIZE = 50
PROVENANCE_BATCH_SECONDS = 0.5
PROVENANCE_STORE_RETRIES = 3
PROVENANCE_STORE_BUSY_TIMEOUT = 30.0
# Discovery (crawler.spiders.discover): robots.txt Sitemap: lines, sitemaps and feeds; entries dated before
# PROVENANCE_SINCE (crawl --since) are skipped. Scope: the start URLs' registrable domain plus these hosts.
PROVENANCE_DISCOVERY = True
PROVENANCE_SINCE = None
PROVENANCE_SCOPE_ALLOW: list[str] = []
# Retry-After (crawler.politeness): the longest wait honoured before a retry; the backoff when none is given.
PROVENANCE_RETRY_AFTER_MAX = 120.0
PROVENANCE_RETRY_WAIT = 1.0
# A live progress line on stderr (set by the CLI when stderr is a terminal and --quiet is not given).
PROVENANCE_PROGRESS = False

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
