from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from homeward.accounts.security import renewed_at_login

        user_logged_in.connect(renewed_at_login, dispatch_uid="homeward-session-renewed")
