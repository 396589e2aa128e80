"""`tutor serve`: the same app in a web browser, with textual-serve.

Each browser tab that connects starts one ``python -m tutor`` process (textual-serve runs the
command with Textual's web driver and relays the terminal over a websocket), on the same data
directory as the command line would use: progress written in the browser is the same progress.

It listens on 127.0.0.1 (this computer only) unless ``--host`` says otherwise; then it warns that
anyone who can reach the address can use the tutor (there is no login).
"""

from __future__ import annotations

import ipaddress
import shlex
import sys

from tutor.config import UsageError, data_dir
from tutor.i18n import tr


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args) -> str:
    """The shell command textual-serve runs for each browser tab: this tutor, same options."""
    parts = [sys.executable, "-m", "tutor", "--lang", args.lang, "--data-dir", str(data_dir(args.data_dir))]
    for d in getattr(args, "content", None) or []:
        parts += ["--content", str(d)]
    return " ".join(shlex.quote(p) for p in parts)


def _check_free(host: str, port: int) -> None:
    """Bind once before starting, so a taken port or a foreign address is one line, before any banner."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError(f"tutor serve: unknown host {host!r}: {e.strerror or e}") from None
    family, kind, proto, _name, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as e:
            raise UsageError(f"tutor serve: cannot listen on {host}:{port}: {e.strerror or e}") from None


def shown_url(host: str, port: int) -> str:
    """The address to print: a wildcard bind (0.0.0.0, ::) is reached as localhost here."""
    if host in ("0.0.0.0", "::", "[::]", ""):
        host = "localhost"
    url_host = f"[{host}]" if ":" in host else host
    return f"http://{url_host}:{port}"


def make_server(args, host: str):
    """The textual-serve server of ``tutor serve``. The page it sends tells the browser where the
    app's websocket is: built from the address the browser used (the request's Host), not from
    ``--host`` — with ``--host 0.0.0.0`` a page pointing at ws://0.0.0.0 cannot connect."""
    from textual_serve.server import Server

    url = shown_url(host, args.port)
    lang = args.lang

    class TutorServer(Server):
        def initialize_logging(self) -> None:   # warnings only: no access log line per request
            import logging

            logging.basicConfig(level=logging.WARNING, format="tutor serve: %(message)s")

        async def on_startup(self, app) -> None:   # one line of ours instead of the library's banner
            print(tr("serve.serving", lang, url=url), file=sys.stderr, flush=True)

        async def handle_index(self, request):
            # the page is built in one step (no await between this and its use): no other request interleaves
            self.public_url = f"{request.scheme}://{request.host}" if request.host else url
            return await super().handle_index(request)

    return TutorServer(app_command(args), host=host, port=args.port, title=tr("app.title", lang), public_url=url)


def serve(args) -> int:
    if not 1 <= args.port <= 65535:
        raise UsageError(f"tutor serve: --port must be 1–65535, not {args.port}")
    host = args.host.strip()
    if not host:
        raise UsageError("tutor serve: --host must not be empty")
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise UsageError('tutor serve: needs textual-serve: pip install "textual-serve>=1.1"') from None

    _check_free(host, args.port)
    server = make_server(args, host)
    if not is_loopback(host):
        print(tr("serve.exposed", args.lang, host=host), file=sys.stderr)
    try:
        server.serve()
    except OSError as e:   # the port is taken, the address is not this machine's, …
        raise UsageError(f"tutor serve: cannot listen on {host}:{args.port}: {e.strerror or e}") from None
    return 0


__all__ = ["serve", "is_loopback", "app_command"]
