from django.urls import path

from . import views
from .firms import FirmListView

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("starts/", views.StartRecordsView.as_view(), name="starts"),
    path("firms/", FirmListView.as_view(), name="firms"),
]
