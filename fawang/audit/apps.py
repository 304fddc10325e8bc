from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fawang.audit"
    verbose_name = "安全审计"
