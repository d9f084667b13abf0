import sys

from sailau.cli import main

sys.exit(main())
