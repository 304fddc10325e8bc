from django.apps import AppConfig


class ApikitConfig(AppConfig):
    """The API's reusable pieces, below the business lines. Label "api": its models (ApiToken, IdempotencyRecord)
    and their migrations were made under the app fawang.api, whose label they keep (tables api_apitoken,
    api_idempotencyrecord)."""

    name = "fawang.apikit"
    label = "api"
    verbose_name = "接口（API v1）"
