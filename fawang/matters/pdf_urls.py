from django.urls import path

from . import pdf_views

app_name = "matters_pdf"

urlpatterns = [
    path("<int:pk>/receipt.pdf", pdf_views.receipt, name="receipt"),
    path("<int:pk>/result.pdf", pdf_views.result, name="result"),
    path("<int:pk>/materials.pdf", pdf_views.materials, name="materials"),
]
