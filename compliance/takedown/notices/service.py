"""Who a notice is addressed to: the operator's own sites, names and contact details. Notices are read relative to it.

A URL on one of the service's hosts (or a subdomain of one) is material the operator can act on; a URL elsewhere is
the claimant's work or a reference. The service's own e-mail addresses and postal address, quoted in a letter
(a "To:" block, an "Attn:" line), are the addressee's, never the complaining party's contact details. Its help and
policy pages are references, not material. The product builds the service from the sites registry (the sites
marked operated) and the operator settings; named profiles of published notice archives live in `profiles.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from compliance.urls import host_key, match_key, port_of


@dataclass(frozen=True)
class Service:
    """The addressee of the notices (hashable, so what is derived from it can be cached)."""

    names: tuple[str, ...] = ()  # "News Roundup": the addressee, never the sender
    hosts: tuple[str, ...] = ()  # "newsroundup.example" (subdomains too), or "127.0.0.1:8001" (that port only)
    contact_lines: tuple[str, ...] = ()  # its postal address and mailboxes as letters quote them
    reference_paths: tuple[str, ...] = ()  # "host/path" prefixes on its hosts that are references (help, policy)
    notes: tuple[str, ...] = ()  # patterns of its own annotations in published copies (not the sender's words)
    # A platform of its users' content (a code host) holds claimants' originals too; an operator's own news sites
    # do not: there a URL on the service is always the material complained of.
    hosts_originals: bool = False

    def on_service(self, url: str) -> bool:
        """The URL points at the service's own sites (hosts or their subdomains) and is not one of its references."""
        host = host_key(url)
        if not host or not any(_matches(host, url, entry) for entry in self.hosts):
            return False
        return not self.is_reference(url)

    def is_reference(self, url: str) -> bool:
        """One of the service's own help or policy pages."""
        key = match_key(url if "://" in url else "http://" + url) or ""
        return any(key == p or key.startswith(p.rstrip("/") + "/") for p in self.reference_paths)

    def own_email(self, address: str) -> bool:
        """An e-mail address at one of the service's hosts."""
        domain = address.rsplit("@", 1)[-1].strip().lower().rstrip(".")
        return any(domain == h or domain.endswith("." + h) for h in self.domains())

    def domains(self) -> tuple[str, ...]:
        """The service's host names without ports (what its mailboxes are at)."""
        return tuple(dict.fromkeys(h.rsplit(":", 1)[0] if h.count(":") == 1 else h for h in self.hosts))


def service_host(origin: str) -> str:
    """The `hosts` entry for an origin: the host, with its port when that is not the scheme's default."""
    host, port = host_key(origin), port_of(origin)
    return f"{host}:{port}" if host and port not in (None, 80, 443) else host


def _matches(host: str, url: str, entry: str) -> bool:
    if entry.count(":") == 1:  # "host:port": that origin's port only (a local server among others)
        name, port = entry.split(":")
        return host == name and str(port_of(url)) == port
    return host == entry or host.endswith("." + entry)


NO_SERVICE = Service()
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


@lru_cache(maxsize=32)
def own_contact_pattern(service: Service) -> re.Pattern[str] | None:
    """A pattern for the service's own contact details in a letter: its address lines and its mailboxes."""
    parts = [r"\s+".join(re.escape(word) for word in line.split()) for line in service.contact_lines if line.strip()]
    parts += [rf"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)*{re.escape(h)}\b" for h in service.domains()]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def strip_own_emails(text: str, service: Service) -> str:
    """The text with the service's own e-mail addresses blanked (same length, so offsets hold)."""
    if not service.hosts:
        return text
    return _EMAIL.sub(lambda m: " " * len(m.group()) if service.own_email(m.group()) else m.group(), text)


__all__ = ["NO_SERVICE", "Service", "own_contact_pattern", "service_host", "strip_own_emails"]
