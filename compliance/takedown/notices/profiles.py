"""Named profiles of services whose published notices the tool can read: used only when chosen, never a default.

The development set of notices is GitHub's public archive (github/dmca); read as what it is, letters addressed to
GitHub, its hosts are the service, its own address and mailbox are the addressee's, its help pages references,
and the processing notes GitHub adds to each published copy are not the sender's words. An operator whose notices
arrive the same way chooses the profile (`provenance takedown ingest --profile github`); everyone else's service
comes from the sites registry.
"""

from __future__ import annotations

from compliance.takedown.notices.service import Service

# GitHub heads processed takedowns (from March 2021) with "Before disabling any content in relation to this takedown
# notice, GitHub - contacted the owners ... - provided information on how to submit a DMCA Counter Notice", and adds
# bracketed "[Note: ... fork network ...]" lines.
GITHUB_NOTES = (
    r"(?im)^[ \t>]*before disabling any content in relation to this (?:takedown )?notice,?\s+github\b[^\n]*\n"
    r"(?:[ \t>]*(?:[-*\u2022+][^\n]*)?\n)*",
    r"(?im)^[ \t>]*\[note:[^\]\n]*(?:\[[^\]\n]*\][^\]\n]*)*\]",
)

GITHUB = Service(
    names=("GitHub",),
    hosts=("github.com", "github.io", "githubusercontent.com"),
    contact_lines=("copyright@github.com", "88 Colin P. Kelly", "Colin P Kelly", "San Francisco, CA 94107",
                   "GitHub, Inc."),
    reference_paths=("help.github.com", "docs.github.com", "guides.github.com", "github.com/contact",
                     "github.com/site", "github.com/github/dmca", "github.com/security", "github.com/about",
                     "github.com/pricing", "github.com/articles"),
    notes=GITHUB_NOTES,
    hosts_originals=True,  # claimants host their own repositories on GitHub too
)

PROFILES = {"github": GITHUB}

__all__ = ["GITHUB", "GITHUB_NOTES", "PROFILES"]
