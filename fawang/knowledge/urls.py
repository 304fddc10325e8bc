from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("search/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/", views.law_detail, name="law"),
    path("<int:pk>/a/<slug:anchor>/", views.article, name="article"),
    path("k/", views.entry_list, name="entries"),
    path("k/<int:pk>/", views.entry_detail, name="entry"),
]
