import os

from django.core.wsgi import get_wsgi_application

from sailau.cli.serve import die_with_parent

die_with_parent()  # a no-op unless this is a worker of `sailau serve`

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
application = get_wsgi_application()

from sailau.publish.serving import SnapshotFront

# Snapshot files answer before Django sees the request: election night's heaviest traffic.
application = SnapshotFront(application)
