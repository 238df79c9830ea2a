from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.CoverageView.as_view(), name="coverage"),
    path("oc4ids.json", views.PackageView.as_view(), name="package"),
    path("publish/", views.PublicationView.as_view(), name="publish"),
]
