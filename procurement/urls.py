from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("tenders/", views.TenderListView.as_view(), name="tenders"),
    path("permits/", views.PermitListView.as_view(), name="permits"),
]
