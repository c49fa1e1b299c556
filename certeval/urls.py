from django.contrib import admin
from django.urls import include, path

from certeval.api import api
from certeval.frameworks.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("certeval.core.urls")),
    path("comptes/second-facteur/", include("certeval.accounts.otp_urls")),
    # django-otp-webauthn's template tags reverse its ceremonies in the "otp_webauthn" namespace.
    path("comptes/second-facteur/cle-d-acces/api/", include("certeval.accounts.otp_webauthn_views")),
    path("comptes/", include("certeval.accounts.urls")),
    path("referentiels/", include("certeval.frameworks.urls")),
    path("campagnes/", include("certeval.campaigns.urls")),
    path("", include("certeval.dossiers.urls")),
    path("", include("certeval.dossiers.prep_urls")),
    path("volet-automatise/", include("certeval.testing.urls")),
    path("banque-de-questions/<slug:bank>/calibrations/", include("certeval.testing.calibration_urls")),
    path("banque-de-questions/", include("certeval.testing.item_urls")),
    path("fichiers-de-question/", include("certeval.testing.file_urls")),
    path("tests-en-ligne/entrainement/", include("certeval.testing.training_urls")),
    path("tests-en-ligne/", include("certeval.testing.run_urls")),
    path("tests-en-ligne/", include("certeval.testing.invitation_urls")),
    path("kits/", include("certeval.testing.kit_urls")),
    path("epreuve/information-a-distance/", include("certeval.testing.notice_urls")),
    path("epreuve/", include("certeval.testing.sitting_urls")),
    path("surveillance/", include("certeval.testing.console_urls")),
    path("jurys/", include("certeval.juries.urls")),
    path("", include("certeval.juries.rehearsal_urls")),
    path("", include("certeval.results.urls")),
    path("", include("certeval.results.stats_urls")),
    path("caisse-des-depots/", include("certeval.results.cdc_urls")),
    path("journal/", include("certeval.audit.urls")),
    path("donnees-personnelles/", include("certeval.privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
