from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fawang.accounts"
    verbose_name = "账户"
