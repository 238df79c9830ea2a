from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from contracts import urls as contract_urls
from projects import urls as project_urls
from records import lists as record_lists

from . import health, history_views, meeting_views, summary_views, views, workbook_views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("progress/projects/<int:pk>/history/", history_views.ProjectHistoryView.as_view(), name="project_history"),
    path("progress/", include("investment.urls")),
    path("plans/", include("investment.plan_urls")),
    path("reports/summary/", summary_views.SummaryView.as_view(), name="report_summary"),
    path("ranking/", include("ranking.urls")),
    path("records/", include("records.urls")),
    path("", include("supervision.urls")),  # /problems/, /supervision/ (督办), /inbox/
    # the record lists are built from records.registry, at their URL names (land:batches, …)
    path("projects/", include(record_lists.included("projects", project_urls.urlpatterns))),
    path("land/", include(record_lists.included("land"))),
    path("procurement/", include(record_lists.included("procurement"))),
    path("contracts/", include(record_lists.included("contracts", contract_urls.urlpatterns))),
    *record_lists.urlpatterns(None),
    path("evidence/", include("evidence.urls")),
    path("open-data/", include("opendata.urls")),
    path("reports/district.xlsx", workbook_views.DistrictWorkbookView.as_view(), name="district_workbook"),
    path("reports/meeting.docx", meeting_views.MeetingDocumentView.as_view(), name="meeting_pack"),
]
