from django.urls import path

from . import views

app_name = "ranking"
urlpatterns = [
    path("", views.RankingView.as_view(), name="month"),
    path("exemptions/", views.ExemptionCreateView.as_view(), name="exemption_add"),
    path("exemptions/<int:pk>/delete/", views.ExemptionDeleteView.as_view(), name="exemption_delete"),
]
