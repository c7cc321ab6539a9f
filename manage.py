#!/usr/bin/env python
"""Django's command-line utility. Operators use the `ponleu` command, which wraps this."""

import sys

if __name__ == "__main__":
    from ponleu.cli import main

    sys.exit(main(["manage", *sys.argv[1:]]))
