from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "fawang.citizens"
    verbose_name = "公众账号"
