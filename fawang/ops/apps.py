from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "fawang.ops"
    verbose_name = "运行监控"
