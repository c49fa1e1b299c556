"""Pages of the title by blocs (seed 003, docs/certifications/titre.md): the candidate's « Mes
blocs » (their record across sessions and campaigns, and the blocs each enrolment presents), the
record section of the enrolment page, and the choice of blocs (candidate or organiser)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns import permissions
from certeval.campaigns.forms import BlocChoiceForm
from certeval.campaigns.models import Candidate, Enrolment, HeldBloc
from certeval.campaigns.services import CampaignError
from certeval.campaigns.titre_selectors import (
    EPREUVE_HEADERS,
    TitrePlan,
    bloc_labels,
    bloc_rule,
    epreuve_rows,
    held_blocs,
    titre_plan,
)
from certeval.campaigns.titre_services import can_choose_blocs, enrolment_blocs_set
from certeval.frameworks.labels import framework_title
from certeval.frameworks.selectors import framework_of


@dataclass(frozen=True)
class EnrolmentBlocs:
    enrolment: Enrolment
    plan: TitrePlan
    labels: dict[str, str]
    record: list[HeldBloc]
    form: BlocChoiceForm | None

    @property
    def options(self) -> list[dict[str, Any]]:
        """The checkboxes of the choice: each bloc, checked when presented, disabled when held
        from another enrolment and the campaign does not allow re-taking it."""
        held = {h.bloc: h for h in self.record if h.enrolment_id != self.enrolment.pk}
        retake = self.enrolment.campaign.allow_bloc_retake
        options = []
        for bloc in self.plan.rule.blocks:
            label = self.labels.get(bloc, bloc)
            if bloc in held:
                label += " " + _("(déjà validé le %(on)s)") % {
                    "on": held[bloc].validated_on.strftime("%d/%m/%Y")
                }
            options.append(
                {
                    "value": bloc,
                    "label": label,
                    "checked": bloc in self.plan.blocs,
                    "disabled": bloc in held and not retake,
                }
            )
        return options

    @property
    def presented(self) -> list[str]:
        return [self.labels.get(b, b) for b in self.plan.blocs]

    @property
    def record_rows(self) -> list[list[str]]:
        return record_rows(self.record, self.labels)

    @property
    def epreuve_rows(self) -> list[list[str]]:
        return epreuve_rows(self.plan, self.labels)


def record_rows(record: list[HeldBloc], labels: dict[str, str]) -> list[list[str]]:
    return [
        [
            labels.get(h.bloc, h.bloc),
            h.validated_on.strftime("%d/%m/%Y"),
            h.session.label if h.session else "—",
            h.campaign.title,
        ]
        for h in record
    ]


RECORD_HEADERS = [_lazy("Bloc"), _lazy("Validé le"), _lazy("Session"), _lazy("Campagne")]


def _enrolment_blocs(user: Any, enrolment: Enrolment, data: Any = None) -> EnrolmentBlocs | None:
    plan = titre_plan(enrolment)
    if plan is None:
        return None
    labels = bloc_labels(plan.framework)
    record = held_blocs(enrolment.candidate, enrolment.campaign.framework_version.framework_id)
    form = None
    if can_choose_blocs(user, enrolment):
        # Every bloc is a choice: a held one is shown disabled, and the service refuses it with
        # its reason if it is posted anyway (unless the campaign allows re-taking a bloc).
        form = BlocChoiceForm(data, choices=[(b, labels[b]) for b in plan.rule.blocks])
    return EnrolmentBlocs(enrolment, plan, labels, record, form)


def enrolment_section(request: HttpRequest, enrolment: Enrolment, next_url: str = "") -> SafeString | str:
    """The bloc record and the blocs presented, on the enrolment page (the candidate and the
    organisers in scope; not reviewers)."""
    user = request.user
    if not permissions.enrolments_own_or_managed(user).filter(pk=enrolment.pk).exists():  # type: ignore[arg-type]
        return ""
    found = _enrolment_blocs(user, enrolment)
    if found is None:
        return ""
    return render_to_string(
        "campaigns/titre/section.html",
        {
            "item": found,
            "record_headers": RECORD_HEADERS,
            "epreuve_headers": EPREUVE_HEADERS,
            "next": next_url or reverse("campaigns:enrolment", args=[enrolment.pk]),
        },
        request=request,
    )


@login_required
@require_GET
def my_blocs(request: AuthenticatedHttpRequest) -> HttpResponse:
    """« Mes blocs »: the candidate's bloc record on every title, and each title enrolment's blocs."""
    candidate = Candidate.objects.filter(user=request.user).first()
    if candidate is None:
        raise Http404
    items = []
    for enrolment in candidate.enrolments.select_related(
        "campaign__framework_version", "session", "candidate"
    ):
        found = _enrolment_blocs(request.user, enrolment)
        if found is not None:
            items.append(found)
    titles: dict[str, list[HeldBloc]] = {}
    for held in candidate.held_blocs.select_related("campaign__framework_version", "session"):
        titles.setdefault(held.framework_code, []).append(held)
    records = []
    for code, rows in titles.items():
        version = rows[0].campaign.framework_version
        labels = bloc_labels(framework_of(version)[0])
        records.append(
            {"title": framework_title(version.title), "rows": record_rows(rows, labels), "code": code}
        )
    return render(
        request,
        "campaigns/titre/mine.html",
        {
            "items": items,
            "records": records,
            "record_headers": RECORD_HEADERS,
            "epreuve_headers": EPREUVE_HEADERS,
            "next": reverse("campaigns:my_blocs"),
            "crumbs": [(_("Mes certifications"), reverse("dossiers:mine")), (_("Mes blocs"), "")],
        },
    )


@login_required
@require_POST
def enrolment_blocs(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """Set the blocs an enrolment presents: the candidate (their own) or an organiser in scope."""
    enrolment = get_visible_or_404(
        permissions.enrolments_own_or_managed(request.user).select_related("campaign", "candidate"),
        pk=enrolment_id,
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("campaigns:enrolment", args=[enrolment.pk])
    found = _enrolment_blocs(request.user, enrolment, request.POST)
    if found is None:
        raise Http404
    if found.form is None:
        messages.error(
            request,
            _(
                "Le choix des blocs n'est plus modifiable : le dossier est déposé ou les inscriptions sont closes."
            ),
        )
        return redirect(target)
    if not found.form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in found.form.errors.get("blocs", [])) or _("Choix invalide.")
        )
        return redirect(target)
    try:
        enrolment_blocs_set(enrolment=enrolment, blocs=found.form.cleaned_data["blocs"], by=request.user)
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Blocs présentés enregistrés."))
    return redirect(target)


def candidate_notice(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    """On « Mes certifications », for a title by blocs: the link to « Mes blocs »."""
    if bloc_rule(enrolment.campaign) is None:
        return ""
    return format_html(
        '<p><a href="{}">{}</a></p>',
        reverse("campaigns:my_blocs"),
        _("Mes blocs de compétences : blocs validés et blocs présentés"),
    )
