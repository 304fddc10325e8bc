from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "fawang.regions"
    verbose_name = "行政区划"
