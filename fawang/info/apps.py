from django.apps import AppConfig


class InfoConfig(AppConfig):
    name = "fawang.info"
    verbose_name = "公开信息"
