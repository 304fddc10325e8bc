from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "fawang.applications"
    verbose_name = "网上申请"
