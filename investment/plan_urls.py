from django.urls import path

from . import plan_views

app_name = "plans"

urlpatterns = [
    path("", plan_views.PlanNextYearView.as_view(), name="next"),
    path("<int:year>/prepare/", plan_views.PlanPrepareView.as_view(), name="prepare"),
    path("<int:year>/template.xlsx", plan_views.PlanTemplateView.as_view(), name="template"),
    path("<int:year>/review/", plan_views.PlanReviewView.as_view(), name="review"),
    path("<int:year>/node-plans/", plan_views.PlanNodePlansView.as_view(), name="node_plans"),
]
