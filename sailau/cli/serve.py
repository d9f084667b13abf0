"""`sailau serve`: the site and the API for what is under SAILAU_DATA_DIR, with gunicorn."""

import os


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the site and the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    p.set_defaults(func=lambda a: serve(a.host, a.port, a.workers))


def serve(host: str, port: int, workers: int | None = None) -> int:
    from sailau.cli.django_setup import setup

    setup()  # migrate once here, not in every worker
    from django.db import connections

    # Forked workers must not share the master's database connection (PostgreSQL answered
    # one worker's query on another's socket under load).
    connections.close_all()
    from gunicorn.app.base import BaseApplication

    from sailau.wsgi import application

    class App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers or (os.cpu_count() or 1) * 2 + 1)
            self.cfg.set("accesslog", None)
            self.cfg.set("timeout", 120)
            # Threads with keep-alive: a sync worker closes the connection after each request,
            # which halves what a browser or a CDN can fetch over one connection.
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 8)
            self.cfg.set("keepalive", 5)

        def load(self):
            return application

    print(f"serving at http://{host}:{port}/", flush=True)
    App().run()
    return 0
