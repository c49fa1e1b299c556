"""Active content in PDFs: found, then refused or removed (``CERTEVAL_PDF_ACTIVE_CONTENT``).

What counts as active content: JavaScript (``/JS`` in an action, the ``/JavaScript`` name tree),
actions run automatically (``/OpenAction``, ``/AA``) that start JavaScript or a program,
``/Launch`` actions, embedded files (``/EmbeddedFiles`` name tree, ``/EF`` in a file
specification, ``/GoToE`` actions), file-attachment annotations (``/FileAttachment``) and XFA
forms (``/XFA``). The objects reachable from the document's catalogue are walked (what a reader
can reach), within ``MAX_OBJECTS``.

``refuse`` (the default): the file is refused and the French message lists what was found.
``sanitise``: these elements are removed with pypdf, every other object is kept, unreachable
objects are dropped, and the result is checked again; the stored file is the cleaned one and the
French notice says exactly what was removed.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MAX_OBJECTS = 500_000
BAD_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/GoToE": "embedded"}
REMOVED_KEYS = {"/JavaScript": "javascript", "/EmbeddedFiles": "embedded", "/EF": "embedded", "/XFA": "xfa"}
AUTO_KEYS = ("/OpenAction", "/AA")
ORDER = ("auto", "javascript", "launch", "embedded", "attachment", "xfa")


class ActiveContent(Exception):
    """The PDF carries active content and is refused; ``str(error)`` is the French message."""


def labels() -> dict[str, str]:
    return {
        "auto": _("une action automatique (/OpenAction ou /AA) qui lance du JavaScript ou un programme"),
        "javascript": _("du JavaScript (/JS, /JavaScript)"),
        "launch": _("une action qui lance un programme (/Launch)"),
        "embedded": _("des fichiers incorporés (/EmbeddedFiles)"),
        "attachment": _("une annotation de pièce jointe (/FileAttachment)"),
        "xfa": _("un formulaire XFA"),
    }


def describe(found: set[str]) -> str:
    names = labels()
    return " ; ".join(names[code] for code in ORDER if code in found)


def _action_kind(value: Any) -> str | None:
    from pypdf.generic import DictionaryObject

    if isinstance(value, DictionaryObject):
        kind = BAD_ACTIONS.get(str(value.get("/S", "")))
        if kind is None and "/JS" in value:
            kind = "javascript"
        return kind
    return None


def _walk(root: Any, *, clean: bool) -> set[str]:
    """Codes of the active content reachable from ``root``; removed on the way when ``clean``."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    containers = (ArrayObject, DictionaryObject, IndirectObject)
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    visited = 0
    while stack:
        obj, auto = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ActiveContent(_("Ce PDF est trop complexe pour être vérifié : il est refusé."))
        if isinstance(obj, ArrayObject):
            if clean:
                kept = [v for v in obj if not _doomed(v)]
                found |= {c for v in obj for c in _codes(v, auto)}
                obj[:] = kept
            stack.extend((v, auto) for v in obj if isinstance(v, containers))
        elif isinstance(obj, DictionaryObject):
            kind = _action_kind(obj)
            if kind:
                found.add(kind)
                if auto:
                    found.add("auto")
            if str(obj.get("/Subtype", "")) == "/FileAttachment":
                found.add("attachment")
            for key in list(obj.keys()):
                if key in REMOVED_KEYS:
                    found.add(REMOVED_KEYS[key])
                    if clean:
                        del obj[key]
                        continue
                value = obj.raw_get(key)  # unresolved: references go through ``seen``
                child_auto = key in AUTO_KEYS or (auto and key not in ("/Parent", "/P", "/D", "/Dest"))
                if clean and _doomed(value):
                    found |= _codes(value, child_auto)
                    del obj[key]
                    continue
                if isinstance(value, containers):
                    stack.append((value, child_auto))
    return found


def _doomed(value: Any) -> bool:
    """An action to remove, or a file-attachment annotation."""
    from pypdf.generic import DictionaryObject

    resolved = value.get_object() if hasattr(value, "get_object") else value
    if _action_kind(resolved):
        return True
    return isinstance(resolved, DictionaryObject) and str(resolved.get("/Subtype", "")) == "/FileAttachment"


def _codes(value: Any, auto: bool) -> set[str]:
    resolved = value.get_object() if hasattr(value, "get_object") else value
    kind = _action_kind(resolved)
    if kind:
        return {kind, "auto"} if auto else {kind}
    from pypdf.generic import DictionaryObject

    if isinstance(resolved, DictionaryObject) and str(resolved.get("/Subtype", "")) == "/FileAttachment":
        return {"attachment"}
    return set()


def find_active_content(reader: Any) -> set[str]:
    return _walk(reader.trailer["/Root"], clean=False)


def sanitise(reader: Any) -> bytes:
    """A copy of the document without its active content (unreachable objects dropped)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=reader)
    _walk(writer._root_object, clean=True)
    if "/NeedsRendering" in writer._root_object:
        del writer._root_object["/NeedsRendering"]
    out = io.BytesIO()
    writer.write(out)
    # A second copy holds only the objects reachable from the catalogue: what was cut off
    # (JavaScript streams, embedded files) is not carried over.
    reachable = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue()), strict=False))
    out = io.BytesIO()
    reachable.write(out)
    cleaned = out.getvalue()
    if find_active_content(PdfReader(io.BytesIO(cleaned), strict=False)):
        raise ActiveContent(
            _("Ce PDF contient des éléments actifs qui n'ont pas pu être retirés : il est refusé.")
        )
    return cleaned


def handle_active_content(data: bytes, reader: Any) -> tuple[bytes, str]:
    """(bytes to store, French notice of what was removed) — or ActiveContent when refused."""
    found = find_active_content(reader)
    if not found:
        return data, ""
    if settings.CERTEVAL_PDF_ACTIVE_CONTENT != "sanitise":
        raise ActiveContent(
            _(
                "Ce PDF contient des éléments actifs interdits : %(found)s. Il est refusé et rien n'a été "
                "enregistré. Enregistrez-le à nouveau sans ces éléments (par exemple « Imprimer en PDF » "
                "ou « Exporter en PDF » depuis votre traitement de texte)."
            )
            % {"found": describe(found)}
        )
    cleaned = sanitise(reader)
    return cleaned, _(
        "Ce PDF contenait des éléments actifs qui ont été retirés avant l'enregistrement : %(found)s. "
        "Le reste du document est conservé ; le fichier enregistré (et son empreinte) est la version nettoyée."
    ) % {"found": describe(found)}
