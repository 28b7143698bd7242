from django.contrib.auth import views as auth_views
from django.urls import path

from homeward.accounts import views
from homeward.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("security/", views.security, name="security"),
    path("security/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
]
