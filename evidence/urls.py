from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("files/<int:pk>/full/", views.FileView.as_view(kind="full"), name="file"),
    path("files/<int:pk>/thumb/", views.FileView.as_view(kind="thumb"), name="thumb"),
    path("projects/<int:pk>/photos/", views.ProjectPhotosView.as_view(), name="project_photos"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo_delete"),
    path("missing/", views.MissingPhotoListView.as_view(), name="missing"),
    path("projects/<int:pk>/personnel/", views.ProjectPersonnelView.as_view(), name="project_personnel"),
    path("personnel/", views.AttendanceWarningsView.as_view(), name="attendance_warnings"),
    path("inspections/", views.InspectionsView.as_view(), name="inspections"),
    path("projects/<int:pk>/inspections/new/", views.InspectionCreateView.as_view(), name="inspection_add"),
    path("findings/<int:pk>/evidence/", views.FindingSubmitView.as_view(), name="finding_submit"),
    path("findings/<int:pk>/accept/", views.FindingDecideView.as_view(decision="accept"), name="finding_accept"),
    path("findings/<int:pk>/reject/", views.FindingDecideView.as_view(decision="reject"), name="finding_reject"),
]
