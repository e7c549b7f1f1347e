"""The sites registry: every site by name, with its origins, aliases, role and whether the operator runs it.

Sites exist without a crawl (`provenance sites add`), and crawls register into the same registry. A site is keyed
by its origins: registering a known origin under another name, or a known site under another role, would silently
split or change it, so it is refused with what would change, unless the caller asks for the update.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.models import Capture, Document, Site, SiteOrigin
from compliance.records import ROLES, SiteSpec
from compliance.urls import origin_of


class SiteConflict(InputError):
    """A registration that would change or split a known site without being asked to."""


@dataclass
class SiteRecord:
    """A site as people read it: what `sites list` shows and what the takedown desk reads notices against."""

    name: str
    role: str
    origins: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    operated: bool = False
    documents: int = 0


def _origins(urls: Iterable[str]) -> list[str]:
    out = []
    for url in urls:
        origin = origin_of(url)
        if not origin:
            raise InputError(f"'{url}' is not an http(s) origin.", "pass --origin https://host[:port].")
        out.append(origin)
    return list(dict.fromkeys(out))


def _site_of_origin(session: Session, origin: str) -> Site | None:
    return session.scalars(select(Site).join(SiteOrigin).where(SiteOrigin.origin == origin)).first()


def register(session: Session, spec: SiteSpec, *, update: bool = False) -> Site:
    """Register (or find) the site `spec` names, merging aliases and origins; conflicts need `update`.

    A known origin under a new name renames the site (the old name kept as an alias) or, when the new name is
    another known site, moves the origin to it; a known site under another role changes the role. A role of
    `unknown` never overrides a known one, and `operated` is only ever set here, never cleared.
    """
    if spec.role not in ROLES:
        raise InputError(f"unknown role '{spec.role}'.", f"use one of {', '.join(ROLES)}.")
    origins = _origins(spec.origins)
    site = session.scalars(select(Site).where(Site.name == spec.name)).first()
    owned = [(row, row.site) for row in session.scalars(select(SiteOrigin).where(SiteOrigin.origin.in_(origins)))
             if site is None or row.site_id != site.id]
    renamed = owned[0][1] if site is None and owned else None  # a known origin under a new name: rename that site
    changes = [f"rename site '{renamed.name}' (which has {owned[0][0].origin}) to '{spec.name}'"] if renamed else []
    changes += [f"move {row.origin} from site '{owner.name}' to '{spec.name}'" for row, owner in owned
                if renamed is None or owner.id != renamed.id]
    existing = site or renamed
    if existing is not None and spec.role != "unknown" and existing.role not in ("unknown", spec.role):
        changes.append(f"change the role of '{existing.name}' from {existing.role} to {spec.role}")
    if changes and not update:
        raise SiteConflict(f"registering '{spec.name}' would {'; '.join(changes)}.",
                           "pass --update to make that change, or use the registered name and role "
                           "(see `provenance sites list`).")
    before = (existing.role, existing.name) if existing is not None else None
    if renamed is not None:
        renamed.aliases = list(dict.fromkeys([*renamed.aliases, renamed.name]))
        renamed.name = spec.name
        site = renamed
    if site is None:
        site = Site(name=spec.name, role=spec.role, aliases=[])
        session.add(site)
        session.flush()
    for row, _owner in owned:
        row.site = site
    if spec.role != "unknown":
        site.role = spec.role
    merged = list(dict.fromkeys([*site.aliases, *(a for a in spec.aliases if a and a != site.name)]))
    if merged != site.aliases:
        site.aliases = merged
    if spec.operated:
        site.operated = True
    if before is not None and before != (site.role, site.name):
        # which page is the original depends on the role and on credits naming the site: link them again
        session.execute(sql_update(Document).where(Document.site_id == site.id).values(linked=False))
    known = {o.origin for o in site.origins}
    for origin in origins:
        if origin not in known and _site_of_origin(session, origin) is None:
            site.origins.append(SiteOrigin(origin=origin))
    session.flush()
    return site


def register_all(engine: Engine, specs: Iterable[SiteSpec], *, update: bool = False) -> dict[str, int]:
    """Register several sites in one unit of work (what a crawl does first); returns their ids by name."""
    from compliance.db import session_scope

    with session_scope(engine) as session:
        return {spec.name: register(session, spec, update=update).id for spec in specs}


def resolve_name(engine: Engine, urls: Iterable[str]) -> str | None:
    """The registered name of the site holding these URLs' origin, if any (a crawl without --name uses it)."""
    from compliance.db import session_scope

    with session_scope(engine) as session:
        return name_for_origins(session, urls)


def name_for_origins(session: Session, urls: Iterable[str]) -> str | None:
    """The registered name of the site holding the first of these origins, if any."""
    for url in urls:
        owner = _site_of_origin(session, origin_of(url))
        if owner is not None:
            return owner.name
    return None


def _record(session: Session, site: Site) -> SiteRecord:
    documents = session.scalar(select(func.count()).select_from(Document).where(Document.site_id == site.id))
    return SiteRecord(site.name, site.role, sorted(o.origin for o in site.origins), list(site.aliases),
                      bool(site.operated), int(documents or 0))


def list_sites(session: Session) -> list[SiteRecord]:
    """Every site, operated ones first, then by name."""
    sites = session.scalars(select(Site).order_by(Site.operated.desc(), Site.name)).all()
    return [_record(session, s) for s in sites]


def operated_sites(session: Session) -> list[SiteRecord]:
    """The operator's own sites."""
    return [_record(session, s) for s in session.scalars(select(Site).where(Site.operated.is_(True))
                                                         .order_by(Site.name))]


def get_site(session: Session, name: str) -> Site:
    site = session.scalars(select(Site).where(Site.name == name)).first()
    if site is None:
        raise InputError(f"there is no site '{name}'.", "see `provenance sites list` for the registered names.")
    return site


def add_aliases(session: Session, name: str, aliases: Iterable[str]) -> SiteRecord:
    """Add names people use for the site in credits ("BBC News", "bbc.co.uk")."""
    site = get_site(session, name)
    site.aliases = list(dict.fromkeys([*site.aliases, *(a.strip() for a in aliases if a.strip())]))
    return _record(session, site)


def remove_site(session: Session, name: str) -> None:
    """Remove a site no evidence points at; a crawled site keeps its evidence, so it cannot be removed."""
    site = get_site(session, name)
    captures = session.scalar(select(func.count()).select_from(Capture).where(Capture.site_id == site.id))
    documents = session.scalar(select(func.count()).select_from(Document).where(Document.site_id == site.id))
    if captures or documents:
        raise InputError(f"site '{name}' has {documents} documents and {captures} captures of evidence; it cannot "
                         "be removed.", "evidence is never deleted: keep the site, or correct it with "
                         "`provenance sites add ... --update`.")
    session.delete(site)


__all__ = ["SiteConflict", "SiteRecord", "add_aliases", "get_site", "list_sites", "name_for_origins",
           "operated_sites", "register", "register_all", "remove_site", "resolve_name"]
