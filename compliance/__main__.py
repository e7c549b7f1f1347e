"""`python -m compliance` is the same as the `provenance` command."""

from compliance.cli import main

main()
