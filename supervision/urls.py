"""/problems/, /supervision/ (督办) and /inbox/ — mounted at the root (names without a namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path("problems/new/", views.ProblemCreateView.as_view(), name="problem_create"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/edit/", views.ProblemEditView.as_view(), name="problem_edit"),
    path("supervision/", views.OrderListView.as_view(), name="order_list"),
    path("supervision/new/", views.OrderCreateView.as_view(), name="order_create"),
    path("supervision/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
]
