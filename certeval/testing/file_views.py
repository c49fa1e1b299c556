"""The image and the attached file of an item version, for the people allowed to see them
(``permissions.can_read_version_files``); anyone else gets 404, as for a file that does not exist."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.testing.models import ItemVersion
from certeval.testing.permissions import can_read_version_files

FIELDS = {"image": "image", "fichier": "attachment"}


@login_required
@cache_control(private=True, max_age=3600)
def version_file(request: AuthenticatedHttpRequest, version_id: int, which: str) -> FileResponse:
    version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=version_id)
    if which not in FIELDS or not can_read_version_files(request.user, version):
        raise Http404("No such file.")
    return file_response(version, which)


def file_response(version: ItemVersion, which: str) -> FileResponse:
    """The image (``image``) or the attached file (``fichier``) of ``version``, for a caller that
    checked who may read it (also the candidate's proctored test, ``sitting_views``)."""
    stored = getattr(version, FIELDS[which]) if which in FIELDS else None
    if not stored:
        raise Http404("No such file.")
    name = PurePosixPath(stored.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.open("rb"), content_type=content_type, as_attachment=which == "fichier", filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == "image/svg+xml":
        # An SVG is shown as an image only; scripts inside it never run.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
