"""The sites registry on a real SQLite file: sites without a crawl, conflicts refused unless asked, evidence kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from compliance.db import open_db, session_scope
from compliance.errors import InputError
from compliance.models import Capture, CrawlRun, Site
from compliance.records import SiteSpec
from compliance.sites import SiteConflict, add_aliases, list_sites, operated_sites, register, remove_site


@pytest.fixture()
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_db(str(tmp_path / "s.db"))


def _add(engine, name: str, role: str = "unknown", *origins: str, operated: bool = False,  # type: ignore[no-untyped-def]
         update: bool = False) -> None:
    with session_scope(engine) as session:
        register(session, SiteSpec(name, role, list(origins), operated=operated), update=update)


def test_sites_exist_without_a_crawl_and_the_operated_ones_come_first(engine) -> None:  # type: ignore[no-untyped-def]
    _add(engine, "Harbour Times", "publisher", "https://harbour.example")
    _add(engine, "News Roundup", "aggregator", "https://www.newsroundup.example", "HTTPS://M.NewsRoundup.example:443/x",
         operated=True)
    with session_scope(engine) as session:
        sites = list_sites(session)
        assert [s.name for s in sites] == ["News Roundup", "Harbour Times"]
        assert sites[0].origins == ["https://m.newsroundup.example", "https://www.newsroundup.example"]
        assert [s.name for s in operated_sites(session)] == ["News Roundup"]


def test_a_known_origin_under_a_new_name_is_refused_then_renamed_on_update(engine) -> None:  # type: ignore[no-untyped-def]
    _add(engine, "Herald", "publisher", "https://herald.example")
    with pytest.raises(SiteConflict) as info:
        _add(engine, "The Herald", "publisher", "https://herald.example")
    assert "rename site 'Herald'" in info.value.one_line() and "--update" in info.value.one_line()
    with session_scope(engine) as session:
        assert [s.name for s in list_sites(session)] == ["Herald"]  # nothing split, nothing changed
    _add(engine, "The Herald", "publisher", "https://herald.example", update=True)
    with session_scope(engine) as session:
        [site] = list_sites(session)
        assert (site.name, site.aliases, site.origins) == ("The Herald", ["Herald"], ["https://herald.example"])


def test_a_known_site_under_another_role_is_refused_unless_updated(engine) -> None:  # type: ignore[no-untyped-def]
    _add(engine, "Herald", "publisher", "https://herald.example")
    with pytest.raises(SiteConflict) as info:
        _add(engine, "Herald", "aggregator", "https://herald.example")
    assert "from publisher to aggregator" in info.value.one_line()
    _add(engine, "Herald", "unknown", "https://herald.example")  # unknown never overrides a known role
    _add(engine, "Herald", "aggregator", "https://herald.example", update=True)
    with session_scope(engine) as session:
        assert list_sites(session)[0].role == "aggregator"


def test_an_origin_moves_between_known_sites_only_on_update(engine) -> None:  # type: ignore[no-untyped-def]
    _add(engine, "A", "publisher", "https://a.example", "https://shared.example")
    _add(engine, "B", "publisher", "https://b.example")
    with pytest.raises(SiteConflict):
        _add(engine, "B", "publisher", "https://shared.example")
    _add(engine, "B", "publisher", "https://shared.example", update=True)
    with session_scope(engine) as session:
        by_name = {s.name: s.origins for s in list_sites(session)}
    assert by_name == {"A": ["https://a.example"], "B": ["https://b.example", "https://shared.example"]}


def test_aliases_and_removal_keep_evidence(engine) -> None:  # type: ignore[no-untyped-def]
    _add(engine, "Typo", "unknown", "https://typo.example")
    _add(engine, "Crawled", "publisher", "https://crawled.example")
    with session_scope(engine) as session:
        assert add_aliases(session, "Crawled", ["Crawled News", "crawled.example"]).aliases == [
            "Crawled News", "crawled.example"]
        run = CrawlRun(request={}, settings={}, status="finished")
        session.add(run)
        session.flush()
        site_id = session.scalars(select(Site.id).where(Site.name == "Crawled")).one()
        session.add(Capture(run_id=run.id, site_id=site_id, requested_url="https://crawled.example/", kind="page"))
    with session_scope(engine) as session:
        remove_site(session, "Typo")
        with pytest.raises(InputError) as info:
            remove_site(session, "Crawled")
    assert "evidence is never deleted" in info.value.one_line()
    with session_scope(engine) as session:
        assert [s.name for s in list_sites(session)] == ["Crawled"]
        with pytest.raises(InputError):
            remove_site(session, "Nope")
