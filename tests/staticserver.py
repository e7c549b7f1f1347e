"""Test server for folders of static files: one port per folder, for sites a test writes into tmp_path.

Run from the repository root:

    python -m tests.staticserver NAME=DIR [NAME=DIR ...]

It prints one JSON line `{"NAME": "http://127.0.0.1:P", ...}`, then serves until stdin closes. File names are
served as the standard library serves them: the request path is percent-decoded, so `a%20b.jpg` is `a b.jpg`.
"""

from __future__ import annotations

import json
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler
from typing import Any

from tests.mockserver import LocalTestServer


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def main(argv: list[str] | None = None) -> int:
    servers: dict[str, LocalTestServer] = {}
    for spec in argv if argv is not None else sys.argv[1:]:
        name, _, folder = spec.partition("=")
        server = LocalTestServer(("127.0.0.1", 0), partial(QuietHandler, directory=folder))
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        servers[name] = server
    try:
        sys.stdout.write(json.dumps({name: s.url for name, s in servers.items()}) + "\n")
        sys.stdout.flush()
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
