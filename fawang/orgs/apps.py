from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "fawang.orgs"
    verbose_name = "机构与人员"
