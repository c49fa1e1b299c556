"""Stored files private to the service user: ``FILE_UPLOAD_PERMISSIONS`` 0o600 and
``FILE_UPLOAD_DIRECTORY_PERMISSIONS`` 0o700 (settings) for every file and directory the storage
creates, and ``MEDIA_ROOT`` itself created (or narrowed to) 0o700 at start-up when files are kept
on the local file system."""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger("certeval.uploads")
PRIVATE_DIRECTORY = 0o700


def secure_media_root(path: str | os.PathLike[str]) -> None:
    """Create ``path`` readable by its owner only, or take the group's and others' rights away."""
    root = Path(path)
    try:
        root.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    except OSError as error:  # a read-only deployment step: the storage will say more when used
        logger.warning("MEDIA_ROOT %s cannot be created: %s", root, error)
        return
    if root.stat().st_mode & 0o077:
        try:
            root.chmod(PRIVATE_DIRECTORY)
        except OSError as error:
            logger.warning("MEDIA_ROOT %s is readable by others and cannot be narrowed: %s", root, error)
