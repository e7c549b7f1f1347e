"""`python -m compliance.cli` is the same as the `provenance` command."""

from compliance.cli import main

main()
