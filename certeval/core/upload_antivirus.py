"""Antivirus scan of uploads through a ClamAV daemon (clamd), with its INSTREAM command.

``CERTEVAL_CLAMAV``: where clamd listens — a unix socket path (``/run/clamav/clamd.ctl``) or
``host:port`` (``127.0.0.1:3310``); empty (the default): no scan, one log line per file says so.
The file is sent in chunks of ``CHUNK_BYTES`` (each prefixed by its length, a zero length ends
the stream), never more than the file's size; every socket operation has the timeout
``CERTEVAL_CLAMAV_TIMEOUT`` seconds. clamd's ``StreamMaxLength`` must be at least the largest
accepted upload (``CERTEVAL_UPLOAD_MEDIA_MAX_BYTES``): over it clamd answers an error.

An infected file is refused (the signature is logged, never shown to the candidate). A daemon
configured but unreachable, or answering an error, refuses the file with a "try again later"
message (fail closed) unless ``CERTEVAL_CLAMAV_FAIL_OPEN`` is true: then the file is accepted and
the failure logged.
"""

from __future__ import annotations

import logging
import socket
import struct
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger("certeval.uploads")
CHUNK_BYTES = 64 * 1024
REPLY_MAX = 4096


class ScanRefused(Exception):
    """The scan refuses the file; ``str(error)`` is the French message."""


class ScanUnavailable(Exception):
    """The daemon could not give an answer."""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _sep, port = address.rpartition(":")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def instream(address: str, fileobj: IO[bytes], size: int, timeout: float) -> str:
    """clamd's answer for the stream, e.g. ``stream: OK`` or ``stream: Eicar-Signature FOUND``."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            fileobj.seek(0)
            sent = 0
            while sent < size:
                chunk = fileobj.read(min(CHUNK_BYTES, size - sent))
                if not chunk:
                    break
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sent += len(chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < REPLY_MAX:
                part = sock.recv(REPLY_MAX)
                if not part:
                    break
                reply += part
    except (OSError, ValueError) as error:
        raise ScanUnavailable(str(error)) from error
    finally:
        fileobj.seek(0)
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(fileobj: IO[bytes], size: int, *, name: str = "") -> None:
    """Scan one upload; raise ScanRefused (French message) when it must not be stored."""
    address = settings.CERTEVAL_CLAMAV
    if not address:
        logger.info("upload antivirus scan skipped (CERTEVAL_CLAMAV not set): %r", name[:100])
        return
    try:
        answer = instream(address, fileobj, size, settings.CERTEVAL_CLAMAV_TIMEOUT)
        if answer.endswith("FOUND"):
            signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
            logger.warning("upload refused by the antivirus: %r in %r", signature[:200], name[:100])
            raise ScanRefused(
                _(
                    "L'antivirus a détecté un contenu malveillant dans ce fichier : il est refusé et rien n'a été enregistré."
                )
            )
        if not answer.endswith("OK"):
            raise ScanUnavailable(answer or "empty answer")
    except ScanUnavailable as error:
        if settings.CERTEVAL_CLAMAV_FAIL_OPEN:
            logger.error("upload antivirus unavailable, file accepted (fail open): %s", error)
            return
        logger.error("upload antivirus unavailable, file refused: %s", error)
        raise ScanRefused(
            _(
                "L'analyse antivirus est momentanément indisponible : votre fichier n'a pas été enregistré. "
                "Réessayez dans quelques minutes."
            )
        ) from error
