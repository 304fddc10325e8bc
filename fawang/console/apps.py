from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "fawang.console"
    verbose_name = "工作台"
