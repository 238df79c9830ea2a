"""/contracts/: the pages of this app; the record lists (合同, 变更, 支付, 入库, 统计月报) are added by
``records.lists.included("contracts", urlpatterns)`` in the root URLconf."""
from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("payments/review/", views.PaymentReviewView.as_view(), name="payment_review"),
    path("statistics/unregistered/", views.StartedUnregisteredView.as_view(), name="unregistered"),
    path("statistics/reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
    path("completions/", views.CompletionsView.as_view(), name="completions"),
]
