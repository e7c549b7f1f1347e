"""The address guard inside real Scrapy crawls: refused at every redirect hop, before any connection.

Each crawl runs `crawler.capture.capture_urls` in a subprocess (Twisted's reactor cannot restart in pytest).
A "canary" TCP listener on 127.0.0.1 (and ::1 when available) counts connection attempts: the redirect
targets point at it, so a refusal is proven by the canary seeing nothing, and a control crawl that allowlists
the canary proves the same redirect would otherwise have reached it.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[2]

CAPTURE_SCRIPT = """
import dataclasses, json, sys
from crawler.capture import capture_urls
args = json.loads(sys.argv[1])
outcomes = capture_urls(args["urls"], db=args["db"], warc_dir=args["warc_dir"], allow=args["allow"])
assert all(o.run_id == outcomes.run_id for o in outcomes)
print(json.dumps([dataclasses.asdict(o) for o in outcomes]))
"""


class Canary:
    """A listener that accepts and counts connections, closing each at once (it never speaks HTTP)."""

    def __init__(self, family: socket.AddressFamily, host: str) -> None:
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.hits = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary(socket.AF_INET, "127.0.0.1")
    yield c
    c.close()


@pytest.fixture
def canary6() -> Iterator[Canary | None]:
    try:
        c = Canary(socket.AF_INET6, "::1")
    except OSError:
        yield None  # no IPv6 loopback here: the [::1] case still runs, against a port nothing listens on
        return
    yield c
    c.close()


def run_capture(tmp_path: Path, urls: list[str], allow: list[str]) -> list[dict[str, Any]]:
    """capture_urls in a fresh interpreter; its outcomes as dicts."""
    args = {"urls": urls, "db": f"sqlite:///{tmp_path / 'provenance.db'}", "warc_dir": str(tmp_path / "warc"),
            "allow": allow}
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("PROVENANCE_ALLOW_HOSTS", None)
    proc = subprocess.run([sys.executable, "-c", CAPTURE_SCRIPT, json.dumps(args)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    outcomes: list[dict[str, Any]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return outcomes


def warc_text(tmp_path: Path) -> str:
    return "".join(gzip.open(p, "rt", encoding="latin-1").read() for p in (tmp_path / "warc").glob("*.warc.gz"))


def warc_records(tmp_path: Path) -> list[tuple[str, str, bytes]]:
    """(type, target URI, content) of every record the crawls wrote."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for path in (tmp_path / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                out.append((record.rec_type, uri, record.content_stream().read()))
    return out


def hop(faults: str, target: str) -> str:
    return f"{faults}/redirect?to={quote(target, safe=':/[]')}"


def test_redirects_to_internal_addresses_are_refused_at_the_hop(
    mockserver: dict[str, str], tmp_path: Path, canary: Canary, canary6: Canary | None
) -> None:
    faults = mockserver["faults"]
    faults_origin = faults.split("//", 1)[1]
    port6 = canary6.port if canary6 else canary.port
    targets = {
        "metadata": ("http://169.254.169.254/latest/meta-data/", "link-local address (169.254.169.254) is not public"),
        "ipv6": (f"http://[::1]:{port6}/", "loopback address (::1) is not public"),
        "decimal": (f"http://2130706433:{canary.port}/", "loopback address (127.0.0.1) is not public"),
        "hex": (f"http://0x7f.1:{canary.port}/", "loopback address (127.0.0.1) is not public"),
        "mapped": (f"http://[::ffff:127.0.0.1]:{canary.port}/", "embedded in IPv4-mapped"),
        "plain": (f"http://127.0.0.1:{canary.port}/", "loopback address (127.0.0.1) is not public"),
    }
    page = f"{faults}/page"
    direct = f"http://127.0.0.1:{canary.port}/direct"
    urls = [page, *(hop(faults, t) for t, _ in targets.values()), direct]
    outcomes = {o["url"]: o for o in run_capture(tmp_path, urls, allow=[faults_origin])}

    assert canary.hits == 0 and (canary6 is None or canary6.hits == 0), "a refused address was contacted"

    captured = outcomes[page]
    assert captured["error"] is None and captured["status"] == 200 and not captured["refused"]
    body = urllib.request.urlopen(page, timeout=10).read()
    assert captured["sha256"] == hashlib.sha256(body).hexdigest()
    assert captured["warc_file"] and Path(captured["warc_file"]).is_file() and captured["warc_offset"] is not None

    for name, (target, reason) in targets.items():
        out = outcomes[hop(faults, target)]
        assert out["refused"], (name, out)
        assert out["status"] is None and out["sha256"] is None and out["final_url"] is None, (name, out)
        assert reason in out["error"], (name, out["error"])
        assert out["error"].startswith("refused http"), (name, out["error"])
        assert "redirect hop 1 from" in out["error"], (name, out["error"])
        assert len(out["redirect_chain"]) == 2, (name, out)

    assert outcomes[direct]["refused"]
    assert outcomes[direct]["error"] == f"refused {direct}: loopback address (127.0.0.1) is not public"
    assert outcomes[direct]["redirect_chain"] == []

    warc = warc_text(tmp_path)
    assert "WARC-Target-URI: " + page in warc
    records = warc_records(tmp_path)
    for target, reason in targets.values():
        # Never asked: no request or response record; the refusal itself is kept as a metadata record.
        assert not [r for r in records if r[1] == target and r[0] in ("request", "response", "revisit")]
        refusals = [json.loads(r[2]) for r in records if r[1] == target and r[0] == "metadata" and b'"request"' in r[2]]
        assert refusals and all(not r["request"]["sent"] and reason in r["error"] for r in refusals), refusals


def test_control_the_same_redirect_reaches_the_canary_when_allowlisted(
    mockserver: dict[str, str], tmp_path: Path, canary: Canary
) -> None:
    """Sensitivity: without a refusal the redirect does connect, so canary.hits == 0 above means something."""
    faults = mockserver["faults"]
    target = f"http://127.0.0.1:{canary.port}/"
    url = hop(faults, target)
    [out] = run_capture(tmp_path, [url], allow=[faults.split("//", 1)[1], f"127.0.0.1:{canary.port}"])
    assert canary.hits >= 1
    assert not out["refused"] and out["redirect_chain"][-1] == target


def test_all_refused_needs_no_crawl_and_is_recorded(tmp_path: Path, canary: Canary) -> None:
    urls = [f"http://127.0.0.1:{canary.port}/", "file:///etc/passwd", f"http://{2130706433}:{canary.port}/"]
    outcomes = run_capture(tmp_path, urls, allow=[])
    assert [o["refused"] for o in outcomes] == [True, True, True]
    assert "scheme 'file'" in outcomes[1]["error"]
    assert canary.hits == 0
    assert len({o["run_id"] for o in outcomes}) == 1 and outcomes[0]["capture_id"] is not None


# --- the middleware and its wiring, without a reactor ---------------------------------------------------------


def _crawler(**settings: Any) -> Any:
    from scrapy.settings import Settings

    from crawler import settings as project_settings

    s = Settings()
    s.setmodule(project_settings, priority="project")
    s.setdict(settings, priority="cmdline")
    return SimpleNamespace(settings=s)


def test_registered_before_robots_redirects_and_warc() -> None:
    from crawler import settings as project_settings

    prio = project_settings.DOWNLOADER_MIDDLEWARES["crawler.guard.PublicAddressGuardMiddleware"]
    assert 0 < prio < 100 < 600  # RobotsTxtMiddleware is 100, RedirectMiddleware 600 (Scrapy's base list)
    assert project_settings.DOWNLOADER_MIDDLEWARES["crawler.middlewares.WarcEvidenceMiddleware"] == 950
    assert project_settings.PROVENANCE_GUARD == "off-site"


def test_middleware_off_unless_enabled_and_refuses_robots_and_hops() -> None:
    from scrapy import Request
    from scrapy.exceptions import NotConfigured

    from crawler.guard import PublicAddressGuardMiddleware

    with pytest.raises(NotConfigured):
        PublicAddressGuardMiddleware.from_crawler(_crawler(PROVENANCE_GUARD="off"))
    mw = PublicAddressGuardMiddleware.from_crawler(
        _crawler(PROVENANCE_GUARD=True, PROVENANCE_GUARD_ALLOW=["127.0.0.1:8123"])
    )
    assert mw.refusal(Request("http://127.0.0.1:8123/robots.txt", meta={"dont_obey_robotstxt": True})) is None
    robots = mw.refusal(Request("http://10.1.2.3/robots.txt", meta={"dont_obey_robotstxt": True}))
    assert robots == "refused http://10.1.2.3/robots.txt: private address (10.1.2.3) is not public"
    hop_reason = mw.refusal(Request("http://[::1]/x", meta={"redirect_urls": ["http://127.0.0.1:8123/r"]}))
    assert hop_reason == "refused http://[::1]/x: loopback address (::1) is not public (redirect hop 1 from " \
                         "http://127.0.0.1:8123/r)"


def test_describe_failure_keeps_the_guard_sentence() -> None:
    from twisted.python.failure import Failure

    from crawler.guard import RefusedAddress
    from crawler.spiders.sites import describe_failure

    text = "refused http://10.0.0.1/redirect-size: private address (10.0.0.1) is not public"
    assert describe_failure(Failure(RefusedAddress(text)), 20) == text


def test_outcome_is_a_dataclass_with_the_evidence_fields() -> None:
    from compliance.runs import CaptureOutcome

    names = {f.name for f in dataclasses.fields(CaptureOutcome)}
    assert {"url", "final_url", "status", "sha256", "warc_file", "warc_offset", "error", "refused"} <= names
