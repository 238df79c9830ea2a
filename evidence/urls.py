from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("files/<int:pk>/<slug:kind>/", views.serve_file, name="file"),
    path("projects/<int:pk>/photos/", views.ProjectPhotosView.as_view(), name="project_photos"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("missing/", views.MissingPhotoListView.as_view(), name="missing"),
    path("projects/<int:pk>/personnel/", views.ProjectPersonnelView.as_view(), name="project_personnel"),
    path("personnel/", views.AttendanceWarningsView.as_view(), name="attendance_warnings"),
    path("inspections/", views.InspectionsView.as_view(), name="inspections"),
    path("projects/<int:pk>/inspections/new/", views.InspectionCreateView.as_view(), name="inspection_add"),
    path("findings/<int:pk>/evidence/", views.finding_submit, name="finding_submit"),
    path("findings/<int:pk>/<slug:decision>/", views.finding_decide, name="finding_decide"),
]
