"""Checks every upload passes besides its own format's: the declared name and type agree with the
content, and no second file hides inside it (polyglots).

- Extension: the file name's extension must be one of the detected type's (``photo.png`` holding a
  JPEG, ``video.mp4`` holding a PDF are refused). A name without an extension is refused too.
- Declared MIME type (what the browser or API client sent): refused when it names another accepted
  type or a type that a browser would run (HTML, SVG, scripts, executables); other values
  (``application/octet-stream``, ``text/plain`` sent by some clients) say nothing and are ignored.
- Polyglots: a file that also opens as a ZIP archive (a ZIP appended to a JPEG, a PNG, a PDF or a
  video) is refused unless the type itself is a ZIP (ODT, DOCX). A PDF may hold nothing after its
  last ``%%EOF`` but blank bytes, and no HTML between its header and its first object.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

from django.utils.translation import gettext as _

GENERIC_MIMES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "text/plain",
    "application/x-download",
}
ACTIVE_MIMES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "application/x-msdownload",
    "application/x-dosexec",
    "application/x-executable",
    "application/x-elf",
    "application/x-sh",
    "application/x-shellscript",
    "text/x-shellscript",
}
HTML_MARKUP = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype)", re.IGNORECASE)


class DeclaredMismatch(Exception):
    """Refused; ``str(error)`` is the French message."""


def extension_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def check_declared(
    *, label: str, extensions: tuple[str, ...], mimes: tuple[str, ...], known_mimes: set[str],
    name: str | None, content_type: str | None,
) -> None:  # fmt: skip
    """Refuse a name or declared type that disagrees with the detected content (``label``)."""
    if name is not None:
        extension = extension_of(name)
        if extension not in extensions:
            raise DeclaredMismatch(
                _(
                    "Le contenu de ce fichier (%(found)s) ne correspond pas à son extension « %(ext)s » : "
                    "il est refusé. Déposez le fichier d'origine, avec sa véritable extension (%(expected)s)."
                )
                % {
                    "found": label,
                    "ext": f".{extension}" if extension else _("aucune"),
                    "expected": ", ".join(f".{e}" for e in extensions),
                }
            )
    mime = (content_type or "").split(";")[0].strip().lower()
    if (
        mime
        and mime not in GENERIC_MIMES
        and mime not in mimes
        and (mime in known_mimes or mime in ACTIVE_MIMES)
    ):
        raise DeclaredMismatch(
            _(
                "Le type déclaré de ce fichier (%(mime)s) ne correspond pas à son contenu (%(found)s) : il est refusé."
            )
            % {"mime": mime[:80], "found": label}
        )


def hides_a_zip(fileobj: IO[bytes]) -> bool:
    """True when the file also opens as a ZIP archive with at least one entry."""
    try:
        fileobj.seek(0)
        if not zipfile.is_zipfile(fileobj):
            return False
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return False
    finally:
        fileobj.seek(0)


def polyglot_message() -> str:
    return _(
        "Ce fichier contient une archive ZIP cachée (fichier « polyglotte ») : il est refusé et rien n'a "
        "été enregistré."
    )


def pdf_shape_problem(data: bytes) -> str | None:
    """French message when a PDF carries HTML in its header or data after its last ``%%EOF``."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        return _("Ce PDF est illisible ou endommagé : enregistrez-le à nouveau.")
    if data[end + 5 :].strip(b" \t\r\n\0"):
        return _("Ce PDF contient des données après sa fin (autre fichier accolé) : il est refusé.")
    head = data[:1024]
    first_object = head.find(b" obj")
    if HTML_MARKUP.search(head if first_object < 0 else head[:first_object]):
        return _("Ce PDF contient du code HTML (fichier « polyglotte ») : il est refusé.")
    return None
