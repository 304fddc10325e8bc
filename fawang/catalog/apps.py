from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fawang.catalog"
    verbose_name = "服务事项目录"
