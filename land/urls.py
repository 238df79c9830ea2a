from django.urls import path

from . import views

app_name = "land"

urlpatterns = [
    path("batches/", views.LandBatchListView.as_view(), name="batches"),
    path("acquisitions/", views.AcquisitionListView.as_view(), name="acquisitions"),
]
