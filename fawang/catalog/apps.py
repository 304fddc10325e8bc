from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fawang.catalog"
    verbose_name = "服务事项目录"

    def ready(self) -> None:
        from . import cache

        # Not workflow: a save or delete of a service item, routing rule or unit tells every process's copy of
        # them (fawang/catalog/cache.py) that it is out of date.
        cache.connect()
