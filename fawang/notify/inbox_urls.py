"""The public in-app inbox, to be mounted on the portal side, e.g.
``path("my/messages/", include("fawang.notify.inbox_urls"))``: names notify_inbox:inbox, :read, :read_all."""

from .urls import inbox_urlpatterns

app_name = "notify_inbox"

urlpatterns = inbox_urlpatterns
