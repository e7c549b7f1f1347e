"""The service notices are addressed to, from the sites registry (the sites marked operated) and the settings.

A named profile (`--profile NAME`, `notices/profiles.py`) adds a published archive's knowledge; it never replaces the
registry.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from compliance.errors import InputError
from compliance.settings import value
from compliance.sites import operated_sites
from compliance.takedown.notices.profiles import PROFILES
from compliance.takedown.notices.service import NO_SERVICE, Service, service_host
from compliance.urls import host_key


def operator_service(session: Session, profile: str | None = None) -> Service:
    """The operator's own sites (hosts and names) and address, plus the named profile's, as one Service."""
    base = NO_SERVICE
    if profile:
        if profile not in PROFILES:
            raise InputError(f"unknown profile '{profile}'.", f"use one of {', '.join(sorted(PROFILES))}.")
        base = PROFILES[profile]
    sites = operated_sites(session)
    hosts = [service_host(origin) for site in sites for origin in site.origins]
    hosts += [host_key(alias) for site in sites for alias in site.aliases if "." in alias and " " not in alias]
    names = [n for site in sites for n in (site.name, *site.aliases) if n and "." not in n]
    address = [line.strip() for line in str(value("operator_address") or "").split(";") if line.strip()]
    return Service(
        names=tuple(dict.fromkeys([*base.names, *names])),
        hosts=tuple(dict.fromkeys(h for h in [*base.hosts, *hosts] if h)),
        contact_lines=tuple(dict.fromkeys([*base.contact_lines, *address])),
        reference_paths=base.reference_paths,
        notes=base.notes,
        hosts_originals=base.hosts_originals,
    )


__all__ = ["operator_service"]
