from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, history_views, summary_views, views, workbook_views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("progress/projects/<int:pk>/history/", history_views.ProjectHistoryView.as_view(), name="project_history"),
    path("progress/", include("investment.urls")),
    path("reports/summary/", summary_views.SummaryView.as_view(), name="report_summary"),
    path("records/", include("portfolio.record_urls")),
    path("projects/", include("projects.urls")),
    path("land/", include("land.urls")),
    path("procurement/", include("procurement.urls")),
    path("funding/", views.FundingListView.as_view(), name="funding_list"),
    path("savings/", views.SavingListView.as_view(), name="saving_list"),
    path("reports/district.xlsx", workbook_views.DistrictWorkbookView.as_view(), name="district_workbook"),
]
