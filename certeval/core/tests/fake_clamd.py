"""A fake ClamAV daemon on 127.0.0.1 speaking INSTREAM: it reads the length-prefixed chunks up to
the zero-length one and answers ``stream: Eicar-Test-Signature FOUND`` when the EICAR test string
is in the stream, ``stream: OK`` otherwise. It records what it received."""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from certeval.core.tests.upload_samples import EICAR


class _Handler(socketserver.BaseRequestHandler):
    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self._exactly(1)
        stream = b""
        chunks = 0
        while True:
            (length,) = struct.unpack("!L", self._exactly(4))
            if length == 0:
                break
            chunks += 1
            stream += self._exactly(length)
        server: FakeClamd = self.server  # type: ignore[assignment]
        server.received.append((command, chunks, stream))
        answer = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in stream else b"stream: OK\0"
        self.request.sendall(answer)


class FakeClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[bytes, int, bytes]] = []

    @property
    def address(self) -> str:
        host, port = self.server_address[:2]
        return f"{host}:{port}"


@contextmanager
def fake_clamd() -> Iterator[FakeClamd]:
    server = FakeClamd()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"127.0.0.1:{port}"
