"""What `sailau serve` runs: the WSGI application (sailau.wsgi) behind `BodyFirst`, which reads
each request's body on the server's event loop before a thread runs the application."""

import os

from sailau.bodyfirst import BodyFirst
from sailau.cli.serve import THREADS, THREADS_ENV
from sailau.wsgi import application as wsgi_application

# Small snapshot files (election night's heaviest traffic) are answered on the event loop.
application = BodyFirst(wsgi_application, threads=int(os.environ.get(THREADS_ENV) or THREADS),
                        at_once=wsgi_application.at_once)
