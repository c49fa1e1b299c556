from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from certeval.accounts import account_page, password_views, reauth_views
from certeval.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("", account_page.account, name="account"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("confirmer/", reauth_views.confirm_password, name="confirm_password"),
    path("mot-de-passe/changer/", password_views.password_change, name="password_change"),
    path(
        "mot-de-passe/nouveau-lien/",
        password_views.PasswordLinkRequestView.as_view(),
        name="password_link_request",
    ),
    path(
        "mot-de-passe/lien-envoye/",
        TemplateView.as_view(template_name="accounts/password_link_sent.html"),
        name="password_link_sent",
    ),
    path("mot-de-passe/<uidb64>/<token>/", password_views.PasswordSetView.as_view(), name="password_set"),
    path(
        "mot-de-passe/enregistre/",
        TemplateView.as_view(template_name="accounts/password_set_done.html"),
        name="password_set_done",
    ),
]
