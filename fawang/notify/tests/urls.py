"""The site's URLs plus the public inbox, wherever (or whether) the project has mounted it yet."""

from typing import cast

from django.urls import URLPattern, URLResolver, include, path

from fawang.urls import urlpatterns

site = cast(list[URLPattern | URLResolver], urlpatterns)
urlpatterns = [*site]
if not any(getattr(p, "namespace", None) == "notify_inbox" for p in site):
    urlpatterns.append(path("my/messages/", include("fawang.notify.inbox_urls")))
