"""Console outbox URLs, mounted at console/notify/. The public inbox is a separate include (inbox_urls.py,
namespace ``notify_inbox``) because it belongs to the portal, not the console."""

from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.message_detail, name="message_detail"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]

inbox_urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.inbox_read, name="read"),
    path("read-all/", views.inbox_read_all, name="read_all"),
]
