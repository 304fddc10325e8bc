"""Staff console pages for knowledge entries, mounted at console/knowledge/ (namespace knowledge_console)."""

from django.urls import path

from . import console_views as views

app_name = "knowledge_console"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_create, name="create"),
    path("<int:pk>/", views.entry_edit, name="edit"),
    path("<int:pk>/publish/", views.entry_publish, name="publish"),
    path("<int:pk>/unpublish/", views.entry_unpublish, name="unpublish"),
    path("<int:pk>/review/", views.entry_review, name="review"),
]
