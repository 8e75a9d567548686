"""`python -m generator` runs the `workbook` command."""

from generator.cli import main

main()
