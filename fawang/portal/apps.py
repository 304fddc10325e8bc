from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fawang.portal"
    verbose_name = "公众门户"
