"""The e-mail telling a person that some of their data will be removed at the end of the grace
period, sent by the task worker once the notice's transaction commits (ids only)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.links import site_url
from certeval.core.dates import paris_text


def notice_email(notice_id: int) -> EmailMessage | None:
    from certeval.privacy.retention_models import RetentionNotice

    notice = RetentionNotice.objects.select_related("candidate", "campaign").get(pk=notice_id)
    address = notice.candidate.email
    if not address or address.endswith(".invalid"):
        return None
    campaign = notice.campaign.title if notice.campaign else _("vos certifications")
    subject = _("Vos données personnelles : suppression prévue le %(date)s") % {
        "date": notice.remove_after.strftime("%d/%m/%Y")
    }
    body = _(
        "Bonjour,\n\nLa durée de conservation de certaines de vos données personnelles arrive à son "
        "terme : « %(category)s » (%(campaign)s). Elles seront supprimées ou anonymisées à partir du "
        "%(date)s.\n\nLes décisions et attestations de certification sont conservées : elles "
        "permettent d'attester votre certification.\n\nJusqu'à cette date, vous pouvez consulter vos "
        "données depuis votre espace et faire valoir vos droits : %(url)s\n\nCertEval"
    ) % {
        "category": notice.get_category_display(),
        "campaign": campaign,
        "date": paris_text(notice.remove_after),
        "url": site_url(reverse("privacy:requests")),
    }
    return EmailMessage(subject=subject, body=body, to=[address])


@task()
def send_retention_notice(notice_id: int) -> None:
    message = notice_email(notice_id)
    if message is not None:
        message.send()
