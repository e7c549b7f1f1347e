"""Scrapy settings for provenance audits: bounded and evidence-keeping (robots.txt obeyed). Overridable per crawl.

Politeness beyond robots.txt (a delay, AutoThrottle, per-domain concurrency options) is not set yet: Scrapy's
defaults apply.
"""

BOT_NAME = "provenance"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "provenance-audit/0.1 (+content provenance and takedown compliance)"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0.0
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
    # Close to the network, so it sees raw bytes and every redirect hop.
    "crawler.middlewares.WarcEvidenceMiddleware": 950,
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
# Refuse non-public addresses (SSRF guard). Off for `crawl` (auditing one's own intranet site is legitimate);
# crawler.capture turns it on for every capture of a URL named by a notice.
PROVENANCE_GUARD = False
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

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
