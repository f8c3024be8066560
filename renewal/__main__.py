"""`python -m renewal`."""

from renewal.cli import main

main()
