"""The e-mail telling a person that some of their data will be removed at the end of the grace
period, sent by the task worker once the notice's transaction commits (ids only)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.links import site_url
from certeval.core.dates import paris_text


def notice_email(notice_ids: list[int]) -> EmailMessage | None:
    """One e-mail for the notices of one person in one run (every category and campaign listed)."""
    from certeval.privacy.retention_models import RetentionNotice

    notices = list(
        RetentionNotice.objects.select_related("candidate", "campaign")
        .filter(pk__in=notice_ids)
        .order_by("pk")
    )
    if not notices:
        return None
    address = notices[0].candidate.email
    if not address or address.endswith(".invalid"):
        return None
    first = min(n.remove_after for n in notices)
    lines = "\n".join(
        f"- {n.get_category_display()} ({n.campaign.title if n.campaign else _('toutes vos certifications')})"
        for n in notices
    )
    subject = _("Vos données personnelles : suppression prévue le %(date)s") % {
        "date": first.strftime("%d/%m/%Y")
    }
    body = _(
        "Bonjour,\n\nLa durée de conservation de certaines de vos données personnelles arrive à son "
        "terme :\n\n%(lines)s\n\nElles seront supprimées ou anonymisées à partir du %(date)s.\n\n"
        "Les décisions et attestations de certification sont conservées : elles permettent d'attester "
        "votre certification.\n\nJusqu'à cette date, vous pouvez consulter vos données depuis votre "
        "espace et faire valoir vos droits : %(url)s\n\nCertEval"
    ) % {"lines": lines, "date": paris_text(first), "url": site_url(reverse("privacy:requests"))}
    return EmailMessage(subject=subject, body=body, to=[address])


@task()
def send_retention_notice(notice_ids: list[int]) -> None:
    message = notice_email(notice_ids)
    if message is not None:
        message.send()
