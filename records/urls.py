"""/records/: the records index, a project's record page and, for every registered record type
(``records.registry``), its create / edit / delete pages ``records:<slug>_add|_edit|_delete``;
plus the project pages of their own (node-plan template, overdue nodes, red-flag scores)."""
from django.urls import path

from projects import edit_views as projects

from . import views
from .registry import REGISTRY

app_name = "records"

urlpatterns = [
    path("", views.RecordsIndexView.as_view(), name="index"),
    path("project/<int:pk>/", views.ProjectRecordsView.as_view(), name="project"),
    path("project/<int:pk>/milestones/apply/", views.MilestoneTemplateApplyView.as_view(),
         name="milestones_apply"),
    path("milestones/overdue/", projects.OverdueMilestonesView.as_view(), name="overdue"),
    path("scores/", projects.ScoresView.as_view(), name="scores"),
    path("scores/history/", projects.ScoreHistoryView.as_view(), name="score_history"),
]
for record_type in REGISTRY:
    urlpatterns += record_type.urls()
