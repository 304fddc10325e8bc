from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "fawang.notify"
    verbose_name = "消息通知"
