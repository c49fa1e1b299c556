from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.generic import TemplateView

from certeval.accounts.forms import LoginForm, PasswordLinkRequestForm, PasswordSetForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/nouveau-lien/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_link_request.html",
            form_class=PasswordLinkRequestForm,
            subject_template_name="accounts/emails/password_link_subject.txt",
            email_template_name="accounts/emails/password_link_body.txt",
            success_url=reverse_lazy("accounts:password_link_sent"),
        ),
        name="password_link_request",
    ),
    path(
        "mot-de-passe/lien-envoye/",
        TemplateView.as_view(template_name="accounts/password_link_sent.html"),
        name="password_link_sent",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_set.html",
            form_class=PasswordSetForm,
            success_url=reverse_lazy("accounts:password_set_done"),
            post_reset_login=True,
        ),
        name="password_set",
    ),
    path(
        "mot-de-passe/enregistre/",
        TemplateView.as_view(template_name="accounts/password_set_done.html"),
        name="password_set_done",
    ),
]
