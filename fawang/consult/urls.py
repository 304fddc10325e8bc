from django.urls import path

from . import views

app_name = "consult"

# Mounted at /console/consult/, walked by the permission sweep like matters' URLs (pk: a matter).
urlpatterns = [
    path("matters/<int:pk>/suggestions/", views.matter_suggestions, name="suggestions"),
    path("matters/<int:pk>/suggestions/decide/", views.article_decide, name="article_decide"),
    path("matters/<int:pk>/suggestions/add/", views.article_add, name="article_add"),
]
