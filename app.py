"""Entry point: `python app.py --help`."""

import sys

from reportqa.cli import main

if __name__ == "__main__":
    sys.exit(main())
