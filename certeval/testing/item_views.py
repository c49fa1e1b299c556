"""The item writers' pages, under ``banque-de-questions/<bank>/``: the bank's home, the item list with
search and filters, the editor, the preview exactly as a candidate sees it, the review queue, an
item's history, life-cycle moves, the coverage table, import and export, and (administrators) the
item writers. Writers of the bank (``permissions.banks_written``) use them all; the bank's managers
(``permissions.banks_managed``) see its home and coverage; anyone else gets 404."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import ChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.accounts.reauth import require_recent_authentication
from certeval.audit.labels import action_label
from certeval.core.body_limits import UPLOAD, body_limit
from certeval.domain.items.content import score
from certeval.domain.items.exchange import ExchangeError, read_upload
from certeval.testing import item_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.item_forms import (
    ImportForm,
    ItemEditorForm,
    ItemSearchForm,
    ReviewForm,
    TransitionForm,
    WriterForm,
    french,
    initial_of,
)
from certeval.testing.item_services import (
    TRANSITIONS,
    item_create,
    item_edit,
    item_import_package,
    item_review,
    item_submit,
    item_transition,
    writer_grant,
    writer_revoke,
)
from certeval.testing.models import Item, ItemVersion, ItemWriter
from certeval.testing.models.items import Accommodation, ItemStatus, Level, Part
from certeval.testing.permissions import banks_managed, banks_written, can_review
from certeval.testing.question_forms import QuestionForm
from certeval.testing.selectors import known_banks

PAGE_SIZE = 25


def _title(bank: str) -> str:
    return known_banks().get(bank, bank)


def _writer_bank(request: AuthenticatedHttpRequest, bank: str) -> str:
    if bank not in banks_written(request.user):
        raise Http404("No such bank.")
    return _title(bank)


def _reader_bank(request: AuthenticatedHttpRequest, bank: str) -> tuple[str, bool]:
    """Writers and managers; returns the title and whether the user writes the bank's items."""
    writes = bank in banks_written(request.user)
    if not writes and bank not in banks_managed(request.user):
        raise Http404("No such bank.")
    return _title(bank), writes


def _item(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> tuple[str, Item]:
    title = _writer_bank(request, bank)
    return title, get_object_or_404(selectors.items_of(bank), pk=item_id)


def _crumbs(bank: str, title: str, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Banque de questions — %(bank)s") % {"bank": title}, reverse("items:home", args=[bank])),
        *more,
    ]


def _item_crumbs(bank: str, title: str, item: Item, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs(
        bank,
        title,
        (_("Questions"), reverse("items:list", args=[bank])),
        (item.code, reverse("items:detail", args=[bank, item.pk]) if more else ""),
        *more,
    )


def _errors(error: TestingError) -> list[str]:
    """A refusal's reasons in French (structural rules translated, others as they are)."""
    return [french(reason)[1] if french(reason)[0] else reason for reason in error.reasons]


@login_required
def bank_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The banks the user writes or manages."""
    written, managed = banks_written(request.user), banks_managed(request.user)
    banks = sorted((written | managed) & set(known_banks()))
    if not banks:
        raise Http404("No bank.")
    titles = known_banks()
    return render(
        request,
        "testing/items/index.html",
        {
            "banks": [{"id": b, "title": titles.get(b, b), "writes": b in written} for b in banks],
            "crumbs": [(_("Banques de questions"), "")],
        },
    )


@login_required
def bank_home(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    title, writes = _reader_bank(request, bank)
    counts = dict(Item.objects.filter(bank=bank).values_list("status").order_by().annotate(n=Count("pk")))
    rows = selectors.coverage(bank)
    return render(
        request,
        "testing/items/home.html",
        {
            "bank": bank,
            "title": title,
            "writes": writes,
            "manages": bank in banks_managed(request.user),
            "administrator": is_administrator(request.user),
            "counts": [(label, counts.get(value, 0)) for value, label in ItemStatus.choices],
            "queue": selectors.review_queue(bank, request.user).count() if writes else 0,
            "gaps": selectors.coverage_gaps(rows),
            "crumbs": [(_("Banque de questions — %(bank)s") % {"bank": title}, "")],
        },
    )


@login_required
def item_list(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    title = _writer_bank(request, bank)
    competences = selectors.competences(bank)
    form = ItemSearchForm(competences, request.GET or None)
    items = selectors.search(bank, form.filters() if request.GET else {})
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "testing/items/list.html",
        {
            "bank": bank,
            "title": title,
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "rows": [
                {
                    "item": item,
                    "competence": selectors.competence_label(competences, item.part, item.competence),
                }
                for item in page
            ],
            "crumbs": _crumbs(bank, title, (_("Questions"), "")),
        },
    )


def _editor(request: AuthenticatedHttpRequest, bank: str, item: Item | None) -> HttpResponse:
    title = _writer_bank(request, bank)
    competences = selectors.competences(bank)
    version = item.current if item else None
    flags = {
        "creating": item is None,
        "has_image": bool(version and version.image),
        "has_attachment": bool(version and version.attachment),
    }
    if request.method == "POST":
        form = ItemEditorForm(competences, request.POST, request.FILES, **flags)
        if form.is_valid() and form.record is not None:
            try:
                if item is None:
                    item = item_create(
                        bank=bank,
                        record=form.record,
                        actor=request.user,
                        image=form.image_file,
                        attachment=form.attachment_file,
                    )
                    messages.success(
                        request, _("Question créée en brouillon : un autre rédacteur doit la relire.")
                    )
                else:
                    new = item_edit(
                        item=item,
                        record=form.record,
                        actor=request.user,
                        image=form.image_file,
                        attachment=form.attachment_file,
                        remove_image=form.cleaned_data.get("remove_image", False),
                        remove_attachment=form.cleaned_data.get("remove_attachment", False),
                    )
                    messages.success(
                        request,
                        _("Version %(n)s enregistrée ; la question est en brouillon jusqu'à sa relecture.")
                        % {"n": new.number},
                    )
            except TestingError as error:
                form.add_error(None, str(error))
                for reason in _errors(error):
                    form.add_error(None, reason)
            else:
                for notice in form.file_notices:
                    messages.warning(request, notice)
                return redirect("items:detail", bank, item.pk)
    else:
        initial = (
            initial_of(selectors.record_of(item)) if item else {"expected_seconds": 60, "kind": "single"}
        )
        form = ItemEditorForm(competences, initial=initial, **flags)
    heading = (
        _("Nouvelle question") if item is None else _("Modifier la question %(code)s") % {"code": item.code}
    )
    crumbs = (
        _crumbs(bank, title, (_("Questions"), reverse("items:list", args=[bank])), (heading, ""))
        if item is None
        else _item_crumbs(bank, title, item, (_("Modifier"), ""))
    )
    return render(
        request,
        "testing/items/editor.html",
        {
            "bank": bank,
            "title": title,
            "form": form,
            "item": item,
            "version": version,
            "heading": heading,
            "crumbs": crumbs,
        },
    )


@body_limit(UPLOAD)
@login_required
def item_new(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    return _editor(request, bank, None)


@body_limit(UPLOAD)
@login_required
def item_change(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    __, item = _item(request, bank, item_id)
    return _editor(request, bank, item)


def _media_urls(bank: str, item: Item, version: ItemVersion) -> dict[str, str]:
    """The version's files, through the permission-checked view that candidates use too."""
    return {
        "image_url": reverse("item_files:image", args=[version.pk]) if version.image else "",
        "attachment_url": reverse("item_files:attachment", args=[version.pk]) if version.attachment else "",
    }


def _status_choices(user: User, item: Item) -> list[tuple[str, Any]]:
    moves = TRANSITIONS.get(item.status, set())
    if item.status == ItemStatus.REVIEWED and not can_review(user, item):
        moves = moves - {ItemStatus.DRAFT}
    return [(value, label) for value, label in ItemStatus.choices if value in moves]


@login_required
def item_detail(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    title, item = _item(request, bank, item_id)
    version = item.current
    assert version is not None
    competences = selectors.competences(bank)
    form = TransitionForm()
    transitions = _status_choices(request.user, item)
    cast(ChoiceField, form.fields["to"]).choices = transitions
    review = selectors.last_reviews([item]).get(item.pk)
    return render(
        request,
        "testing/items/detail.html",
        {
            "bank": bank,
            "title": title,
            "item": item,
            "version": version,
            "content": version.content(),
            "competence": selectors.competence_label(competences, item.part, item.competence),
            "accessibility": ", ".join(
                str(label) for value, label in Accommodation.choices if value in version.accessibility
            )
            or _("aucun aménagement"),
            "transition": form if transitions else None,
            "can_review": can_review(request.user, item)
            and item.status == ItemStatus.DRAFT
            and item.submitted_at is not None,
            "can_submit": item.status == ItemStatus.DRAFT and item.submitted_at is None,
            "last_review": review,
            "irt": {k: number_format(getattr(version, k), 2) for k in ("a", "b", "c")},
            **_media_urls(bank, item, version),
            "crumbs": _item_crumbs(bank, title, item),
        },
    )


@login_required
def item_preview(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    """The question exactly as a candidate sees it; answering shows whether it is right and the
    explanation, as in training (nothing is stored)."""
    title, item = _item(request, bank, item_id)
    version = item.current
    assert version is not None
    content = version.content()
    form = QuestionForm(content, request.POST if request.method == "POST" else None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = score(content, form.response())
    return render(
        request,
        "testing/items/preview.html",
        {
            "bank": bank,
            "title": title,
            "item": item,
            "version": version,
            "form": form,
            "content": content,
            "outcome": outcome,
            "answered": request.method == "POST" and form.is_valid(),
            **_media_urls(bank, item, version),
            "crumbs": _item_crumbs(bank, title, item, (_("Aperçu"), "")),
        },
    )


@login_required
def review_queue(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    title = _writer_bank(request, bank)
    items = list(selectors.review_queue(bank, request.user))
    reviews = selectors.last_reviews(items)
    competences = selectors.competences(bank)
    return render(
        request,
        "testing/items/queue.html",
        {
            "bank": bank,
            "title": title,
            "rows": [
                {
                    "item": item,
                    "competence": selectors.competence_label(competences, item.part, item.competence),
                    "review": reviews.get(item.pk),
                }
                for item in items
            ],
            "crumbs": _crumbs(bank, title, (_("Questions à relire"), "")),
        },
    )


@login_required
def item_review_view(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    """Review a draft: the question as the candidate sees it, its answers, then approve or send back."""
    title, item = _item(request, bank, item_id)
    if not can_review(request.user, item):
        messages.error(request, _("Vous ne pouvez pas relire une question que vous avez écrite."))
        return redirect("items:detail", bank, item.pk)
    if item.status == ItemStatus.DRAFT and item.submitted_at is None:
        messages.error(
            request, _("Cette question n'a pas été soumise à la relecture : son auteur y travaille encore.")
        )
        return redirect("items:detail", bank, item.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            item_review(item=item, actor=request.user, approve=approve, comment=form.cleaned_data["comment"])
        except TestingError as error:
            form.add_error("comment" if "commentaire" in str(error) else None, str(error))
        else:
            messages.success(
                request,
                _("Relecture validée.")
                if approve
                else _("Question renvoyée à son auteur avec votre commentaire."),
            )
            return redirect("items:queue", bank)
    version = item.current
    assert version is not None
    return render(
        request,
        "testing/items/review.html",
        {
            "bank": bank,
            "title": title,
            "item": item,
            "version": version,
            "content": version.content(),
            "question": QuestionForm(version.content()),
            "form": form,
            **_media_urls(bank, item, version),
            "crumbs": _crumbs(
                bank, title, (_("Questions à relire"), reverse("items:queue", args=[bank])), (item.code, "")
            ),
        },
    )


@login_required
@require_POST
def item_submit_view(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    __, item = _item(request, bank, item_id)
    try:
        item_submit(item=item, actor=request.user)
    except TestingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Question soumise à la relecture : elle est dans la file des relecteurs.")
        )
    return redirect("items:detail", bank, item.pk)


@login_required
@require_POST
def item_transition_view(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    __, item = _item(request, bank, item_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le nouveau statut."))
        return redirect("items:detail", bank, item.pk)
    try:
        item = item_transition(
            item=item, to=form.cleaned_data["to"], actor=request.user, comment=form.cleaned_data["comment"]
        )
    except TestingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Statut : %(status)s.") % {"status": item.get_status_display()})
    return redirect("items:detail", bank, item.pk)


@login_required
def item_history(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> HttpResponse:
    title, item = _item(request, bank, item_id)
    events = list(selectors.history(item))
    return render(
        request,
        "testing/items/history.html",
        {
            "bank": bank,
            "title": title,
            "item": item,
            "events": [_event_row(event) for event in events],
            "versions": selectors.versions(item),
            "crumbs": _item_crumbs(bank, title, item, (_("Historique"), "")),
        },
    )


OUTCOMES = {"approved": _("relecture validée"), "sent_back": _("renvoyée à l'auteur")}


def _event_row(event: Any) -> dict[str, Any]:
    """An audit row of an item in French: action, who, when, what changed, the comment."""
    data = event.data or {}
    statuses = dict(ItemStatus.choices)
    details = []
    if "version" in data:
        details.append(_("version %(n)s") % {"n": data["version"]})
    if data.get("outcome"):
        details.append(str(OUTCOMES.get(data["outcome"], data["outcome"])))
    if data.get("from") and data.get("to") and data["from"] != data["to"]:
        details.append(
            _("%(from)s → %(to)s")
            % {"from": statuses.get(data["from"], data["from"]), "to": statuses.get(data["to"], data["to"])}
        )
    elif data.get("to"):
        details.append(_("statut : %(status)s") % {"status": statuses.get(data["to"], data["to"])})
    if data.get("fields"):
        names = {
            "part": _("partie"),
            "competence": _("compétence"),
            "level": _("niveau"),
            "audience": _("public"),
            "usage": _("usage"),
        }
        details.append(
            _("métadonnées modifiées : %(fields)s")
            % {"fields": ", ".join(str(names.get(f, f)) for f in data["fields"])}
        )
    if data.get("file"):
        details.append(_("fichier %(name)s") % {"name": data["file"]})
    return {
        "at": event.at,
        "action": action_label(event.action),
        "actor": (event.actor.get_full_name() or event.actor.email)
        if event.actor
        else _("ligne de commande"),
        "details": " ; ".join(str(d) for d in details),
        "message": event.message,
    }


@login_required
def coverage(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    title, _writes = _reader_bank(request, bank)
    rows = selectors.coverage(bank)
    minimum = selectors.coverage_minimum()
    return render(
        request,
        "testing/items/coverage.html",
        {
            "bank": bank,
            "title": title,
            "rows": [
                {
                    "label": f"{Part(row.part).label if row.part in Part.values else row.part} {row.label}",
                    "cells": [
                        {
                            "counts": [
                                (label, row.cells[level].counts[value])
                                for value, label in ItemStatus.choices
                                if row.cells[level].counts.get(value)
                            ],
                            "gaps": row.cells[level].gaps,
                        }
                        for level in Level.values
                    ],
                }
                for row in rows
            ],
            "levels": Level.choices,
            "gaps": selectors.coverage_gaps(rows),
            "minimum_practice": minimum["practice"],
            "minimum_certification": minimum["certification"],
            "crumbs": _crumbs(bank, title, (_("Couverture"), "")),
        },
    )


@body_limit(UPLOAD)
@login_required
def exchange(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    """Import a file of items (all or nothing, the errors listed) and the export links."""
    title = _writer_bank(request, bank)
    administrator = is_administrator(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if not administrator:
        cast(ChoiceField, form.fields["status"]).choices = [(ItemStatus.DRAFT, ItemStatus.DRAFT.label)]
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            package = read_upload(upload.name, upload.read())
            items = item_import_package(
                bank=bank, package=package, actor=request.user, status=form.cleaned_data["status"]
            )
        except ExchangeError as error:
            errors = error.errors
        except TestingError as error:
            errors = [str(error), *error.reasons]
        else:
            messages.success(request, _("%(n)s question(s) importée(s).") % {"n": len(items)})
            return redirect("items:list", bank)
    return render(
        request,
        "testing/items/exchange.html",
        {
            "bank": bank,
            "title": title,
            "form": form,
            "errors": errors[:200],
            "more_errors": max(0, len(errors) - 200),
            "crumbs": _crumbs(bank, title, (_("Import et export"), "")),
        },
    )


@login_required
def export(request: AuthenticatedHttpRequest, bank: str, fmt: str) -> HttpResponse:
    _writer_bank(request, bank)
    if fmt not in ("csv", "qti"):
        raise Http404("No such format.")
    try:
        data = selectors.export_package(bank, fmt)
    except ValueError:
        messages.error(
            request,
            _("Un code de question n'est pas un identifiant QTI valable (il doit commencer par une lettre)."),
        )
        return redirect("items:exchange", bank)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bank}-{fmt}.zip"'
    return response


@login_required
@require_recent_authentication
def writers(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    """The bank's item writers; administrators add and remove them."""
    if not is_administrator(request.user) or bank not in known_banks():
        raise Http404("No such bank.")
    title = _title(bank)
    form = WriterForm(request.POST if request.method == "POST" and "email" in request.POST else None)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                removed = get_object_or_404(User, pk=request.POST.get("remove", "").strip() or 0)
                writer_revoke(bank=bank, user=removed, actor=request.user)
                messages.success(
                    request,
                    _("%(person)s n'écrit plus de questions pour cette banque.") % {"person": removed.email},
                )
                return redirect("items:writers", bank)
            if form.is_valid():
                user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
                if user is None:
                    form.add_error("email", _("Aucun compte n'a cette adresse."))
                else:
                    writer_grant(bank=bank, user=user, actor=request.user)
                    messages.success(
                        request,
                        _("%(person)s écrit désormais des questions pour cette banque.")
                        % {"person": user.email},
                    )
                    return redirect("items:writers", bank)
        except (TestingError, ValueError) as error:
            messages.error(request, str(error))
    return render(
        request,
        "testing/items/writers.html",
        {
            "bank": bank,
            "title": title,
            "form": form,
            "writers": ItemWriter.objects.filter(bank=bank).select_related("user").order_by("user__email"),
            "crumbs": _crumbs(bank, title, (_("Rédacteurs"), "")),
        },
    )
