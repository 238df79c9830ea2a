from django.urls import path

from . import views

app_name = "investment"

urlpatterns = [
    path("", views.DefaultMonthView.as_view(), name="default_month"),
    path("<int:year>/<int:month>/", views.MonthView.as_view(), name="month"),
    path("<int:year>/<int:month>/template.xlsx", views.MonthTemplateView.as_view(), name="template"),
    path("<int:year>/<int:month>/upload/", views.MonthUploadView.as_view(), name="upload"),
    path("<int:year>/<int:month>/lock/", views.MonthLockView.as_view(), name="lock"),
    path("<int:year>/<int:month>/status/", views.StatusView.as_view(), name="status"),
]
