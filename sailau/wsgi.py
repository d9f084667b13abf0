"""The server's entry points: `application`, the WSGI application (Django behind the snapshot
files' front), and `rsgi_application`, what `sailau serve` runs under granian: the same behind
`BodyFirst`, which reads each request's body on the server's event loop before a thread runs it
(sailau.bodyfirst)."""

import os

from django.core.wsgi import get_wsgi_application

from sailau.cli.serve import THREADS, THREADS_ENV, die_with_parent

die_with_parent()  # a no-op unless this is a worker of `sailau serve`

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
application = get_wsgi_application()

from sailau.publish.storage.serving import SnapshotFront

# Snapshot files answer before Django sees the request: election night's heaviest traffic.
application = SnapshotFront(application)

from sailau.bodyfirst import BodyFirst

# Small snapshot files (election night's heaviest traffic) are answered on the event loop.
rsgi_application = BodyFirst(application,
                             threads=int(os.environ.get(THREADS_ENV) or THREADS),
                             at_once=application.at_once)
