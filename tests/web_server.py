"""A small web server on 127.0.0.1 in a thread, for tests of what the desk fetches.

Each route is a function taking the request handler; the helpers below answer with a
body, a redirect, or a body trickled byte by byte. No test reaches beyond loopback.
"""

import ssl
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def body(content, content_type="application/xml", status=200):
    def answer(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(content)))
        handler.end_headers()
        handler.wfile.write(content)

    return answer


def redirect(location, status=302):
    def answer(handler):
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def trickle(content, every=0.3, headers_too=False):
    """One byte at a time, `every` seconds apart: the body, or the headers as well."""

    def answer(handler):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n"
        try:
            if headers_too:
                for byte in head:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(every)
            else:
                handler.wfile.write(head)
            for byte in content:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the client hung up at its deadline, as it should

    return answer


@contextmanager
def serving(routes, certificate=None):
    """Serve `routes` ({path: answer}) on 127.0.0.1; yields the base URL.

    With `certificate` (a PEM file holding the certificate and its key) it speaks https.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            answer = routes.get(self.path.split("?", 1)[0]) or body(b"", status=404)
            answer(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if certificate:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
