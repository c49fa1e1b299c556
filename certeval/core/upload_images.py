"""Images decoded with Pillow before they are accepted.

``Image.open`` + ``verify()`` (structure, PNG checksums), then a full ``load()`` of every frame on a
fresh handle (a truncated or corrupt image fails there). The decoded format must be the one the
file's first bytes announced (PNG, JPEG, WebP). Decompression bombs are refused before decoding:
``CERTEVAL_IMAGE_MAX_PIXELS`` (width × height, summed over the frames of an animation) and
``CERTEVAL_IMAGE_MAX_FRAMES``. Data after the image's end (a ZIP, a script, an executable appended
to a valid picture) is refused: PNG chunks are walked to ``IEND``, JPEG segments to the end of
image marker, a WebP's RIFF size must be the file's size.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageFile

PILLOW_FORMATS = {"png": ("PNG",), "jpeg": ("JPEG", "MPO"), "webp": ("WEBP",)}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: markers without a length
MAX_SEGMENTS = 100_000


class ImageRefused(Exception):
    """The image is refused; ``str(error)`` is the French message."""


def _damaged() -> ImageRefused:
    return ImageRefused(_("Cette image est endommagée ou incomplète : elle est refusée."))


def _trailing() -> ImageRefused:
    return ImageRefused(
        _("Cette image contient des données cachées après sa fin (autre fichier accolé) : elle est refusée.")
    )


def _png_end(fileobj: IO[bytes]) -> int:
    fileobj.seek(len(PNG_SIGNATURE))
    pos = len(PNG_SIGNATURE)
    for _count in range(MAX_SEGMENTS):
        header = fileobj.read(8)
        if len(header) < 8:
            raise _damaged()
        length, kind = int.from_bytes(header[:4], "big"), header[4:]
        pos += 12 + length
        if kind == b"IEND":
            return pos
        fileobj.seek(pos)
    raise _damaged()


def _jpeg_end(fileobj: IO[bytes], size: int) -> int:
    """Offset just after the last EOI marker, walking segments and entropy-coded data. Images
    stored one after the other (MPO, as phone cameras write them) are walked each in turn."""
    fileobj.seek(0)
    data = fileobj.read(size)  # images are capped at CERTEVAL_UPLOAD_MAX_BYTES
    end = 0
    while data[end : end + 2] == b"\xff\xd8":
        end = _jpeg_image_end(data, end + 2)
    return end


def _jpeg_image_end(data: bytes, pos: int) -> int:
    for _count in range(MAX_SEGMENTS):
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise _damaged()
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return pos + 2
        if marker in JPEG_STANDALONE:
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2:
            raise _damaged()
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= len(data):
                    raise _damaged()
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2
                    continue
                break
    raise _damaged()


def _webp_end(fileobj: IO[bytes]) -> int:
    fileobj.seek(0)
    header = fileobj.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WEBP":
        raise _damaged()
    return 8 + int.from_bytes(header[4:8], "little")


def _check_end(fileobj: IO[bytes], size: int, key: str) -> None:
    end = {"png": _png_end, "webp": _webp_end}[key](fileobj) if key != "jpeg" else _jpeg_end(fileobj, size)
    if end > size:
        raise _damaged()
    if end < size:
        fileobj.seek(end)
        rest = fileobj.read(size - end)
        # Some cameras pad after the end of a JPEG; padding only, nothing else.
        if rest.strip(b"\0\xff"):
            raise _trailing()


def _bomb() -> ImageRefused:
    return ImageRefused(
        _(
            "Cette image est trop grande une fois décompressée (plus de %(max)s millions de pixels "
            "ou trop d'images animées) : elle est refusée. Réduisez sa taille et déposez-la à nouveau."
        )
        % {"max": settings.CERTEVAL_IMAGE_MAX_PIXELS // 1_000_000}
    )


def check_image(fileobj: IO[bytes], size: int, key: str) -> None:
    """Raise ImageRefused unless the image decodes fully as the format ``key`` announces."""
    formats = PILLOW_FORMATS[key]
    max_pixels = settings.CERTEVAL_IMAGE_MAX_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        _check_end(fileobj, size, key)
        # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that; the count below refuses
        # first, before any pixel is decoded.
        fileobj.seek(0)
        with Image.open(fileobj, formats=list(formats)) as image:
            if image.format not in formats:
                raise _damaged()
            frames = getattr(image, "n_frames", 1)
            if frames > settings.CERTEVAL_IMAGE_MAX_FRAMES:
                raise _bomb()
            if image.width * image.height * frames > max_pixels:
                raise _bomb()
            image.verify()
        fileobj.seek(0)
        with Image.open(fileobj, formats=list(formats)) as image:
            for frame in range(frames):
                image.seek(frame)
                image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _bomb() from error
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError) as error:
        raise _damaged() from error
    finally:
        fileobj.seek(0)
