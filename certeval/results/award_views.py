"""Pages of awards: the holder's « Mes attestations » (PDF, disclosure choices, code and public
link), the public verification page, and a campaign's awards with their revoke forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.accounts.reauth import require_recent_authentication
from certeval.campaigns.models import Campaign
from certeval.results import award_selectors as selectors
from certeval.results.award_forms import DisclosureForm, RevokeForm, VerifyForm
from certeval.results.award_pdf import attestation_pdf, qr_data_uri
from certeval.results.award_services import AwardError, award_disclosure_update, award_revoke
from certeval.results.models import Award
from certeval.results.permissions import can_manage_campaign_awards

NEUTRAL = gettext_lazy(
    "Aucune attestation ne correspond à ce code. Vérifiez la saisie : 12 caractères, par exemple ABCD-EFGH-JKMN."
)


@login_required
@require_GET
def my_awards(request: AuthenticatedHttpRequest) -> HttpResponse:
    awards = list(selectors.awards_of_holder(request.user))
    rows = [
        {
            "award": award,
            "public": selectors.public_award(award),
            "title": selectors.award_title(award),
            "url": selectors.verification_url(award),
            "qr": qr_data_uri(award, scale=3),
            "form": DisclosureForm(
                initial={
                    "show_name": award.show_name,
                    "show_level": award.show_level,
                    "show_date": award.show_date,
                },
                prefix=f"a{award.pk}",
            ),
        }
        for award in awards
    ]
    return render(
        request,
        "results/awards/mine.html",
        {
            "rows": rows,
            "crumbs": [(_("Mes certifications"), reverse("dossiers:mine")), (_("Mes attestations"), "")],
        },
    )


@login_required
@require_GET
def award_pdf(request: AuthenticatedHttpRequest, award_id: int) -> HttpResponse:
    award = get_visible_or_404(
        selectors.awards_of_holder(request.user).select_related("candidate"), pk=award_id
    )
    response = HttpResponse(attestation_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{award.grouped_code}.pdf"'
    return response


@login_required
@require_POST
def award_disclosure(request: AuthenticatedHttpRequest, award_id: int) -> HttpResponse:
    award = get_visible_or_404(selectors.awards_of_holder(request.user), pk=award_id)
    form = DisclosureForm(request.POST, prefix=f"a{award.pk}")
    form.is_valid()  # three optional booleans: always valid
    try:
        award_disclosure_update(award, request.user, **form.cleaned_data)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Vos choix d'affichage sont enregistrés."))
    return redirect("results:my_awards")


def _verification_page(request: HttpRequest, typed: str | None) -> HttpResponse:
    if typed is not None and not typed.strip():
        form = VerifyForm({"code": ""})
        form.is_valid()  # « Ce champ est obligatoire » under the field
        return _no_store(render(request, "results/awards/verify.html", {"form": form, "searched": False}))
    form = VerifyForm(initial={"code": typed or ""})
    context: dict[str, object] = {"form": form, "searched": typed is not None, "result": None}
    status = 200
    if typed is not None:
        if selectors.verification_throttled(request):
            context["throttled"] = True
            response = render(request, "results/awards/verify.html", context, status=429)
            response["Retry-After"] = str(selectors.retry_after_seconds())
            return _no_store(response)
        award = selectors.award_by_code(typed)
        if award is None:
            context["neutral"] = NEUTRAL
            status = 404
        else:
            context["result"] = selectors.public_award(award)
    return _no_store(render(request, "results/awards/verify.html", context, status=status))


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """Public: the form, and its answer when a code is given (``?code=``)."""
    typed = request.GET.get("code")
    return _verification_page(request, None if typed is None else typed[:64])


@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the answer for a code in the address (the QR code's target)."""
    return _verification_page(request, code[:64])


def _managed_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if not can_manage_campaign_awards(request.user, campaign):
        raise Http404("No such object.")
    return campaign


@login_required
@require_GET
def campaign_awards(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    return _campaign_page(request, campaign, {})


def _campaign_page(
    request: AuthenticatedHttpRequest, campaign: Campaign, forms: dict[int, RevokeForm], status: int = 200
) -> HttpResponse:
    awards = list(selectors.awards_of_campaign(campaign))
    superseded = selectors.superseding_numbers(awards)
    rows = [
        {
            "award": award,
            "title": selectors.award_title(award),
            "public": selectors.public_award(award),
            "superseded_by": superseded.get(award.pk),
            "form": forms.get(award.pk) or RevokeForm(prefix=f"r{award.pk}"),
        }
        for award in awards
    ]
    return render(
        request,
        "results/awards/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "crumbs": [
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Attestations délivrées"), ""),
            ],
        },
        status=status,
    )


@login_required
@require_POST
@require_recent_authentication
def award_revoke_view(request: AuthenticatedHttpRequest, campaign_id: int, award_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    award = get_object_or_404(Award, pk=award_id, campaign=campaign)
    form = RevokeForm(request.POST, prefix=f"r{award.pk}")
    if form.is_valid():
        try:
            award_revoke(award, request.user, form.cleaned_data["reason"])
        except AwardError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                _("L'attestation %(code)s de %(name)s est révoquée.")
                % {"code": award.grouped_code, "name": award.candidate.display_name},
            )
            return redirect("results:campaign_awards", campaign.pk)
    return _campaign_page(request, campaign, {award.pk: form}, status=400)
