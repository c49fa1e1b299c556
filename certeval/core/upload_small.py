"""The same checks for the small files of the item bank (an item's image or attached file, at most
a few megabytes, read whole): raster images decoded as the format their extension names, nothing
hidden behind them, PDFs without active content, and the antivirus scan. SVG images are checked by
the item bank (no script, no event handler) and served sandboxed.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from certeval.core import upload_antivirus, upload_checks, upload_images
from certeval.core.uploads import UploadRejected, _pdf_active

IMAGE_KEYS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}
MAGIC = {"png": (b"\x89PNG\r\n\x1a\n",), "jpeg": (b"\xff\xd8\xff",), "webp": (b"RIFF",)}
ZIP_BASED = {"xlsx", "ods", "odt", "docx"}


def inspect_small_file(name: str, data: bytes) -> tuple[bytes, str]:
    """The bytes to store for an item's file named ``name`` and the French notice of what was
    removed (a sanitised PDF; empty otherwise); UploadRejected (French message) if refused."""
    notice = ""
    extension = upload_checks.extension_of(name)
    stream = io.BytesIO(data)
    if extension not in ZIP_BASED and upload_checks.hides_a_zip(stream):
        raise UploadRejected(upload_checks.polyglot_message())
    key = IMAGE_KEYS.get(extension)
    if key is not None:
        if not data.startswith(MAGIC[key]):
            raise UploadRejected(
                _("Le contenu de ce fichier ne correspond pas à son extension « .%(ext)s » : il est refusé.")
                % {"ext": extension}
            )
        try:
            upload_images.check_image(stream, len(data), key)
        except upload_images.ImageRefused as error:
            raise UploadRejected(str(error)) from error
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise UploadRejected(_("Ce fichier n'est pas un PDF : il est refusé."))
        problem = upload_checks.pdf_shape_problem(data)
        if problem:
            raise UploadRejected(problem)
        data, notice = _pdf_active(data)
    try:
        upload_antivirus.scan(stream, len(stream.getvalue()), name=name)
    except upload_antivirus.ScanRefused as error:
        raise UploadRejected(str(error)) from error
    return data, notice
