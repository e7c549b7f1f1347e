"""Takedown notices: intake (formats, kinds, parties, URLs) and completeness checks against the law's elements."""
