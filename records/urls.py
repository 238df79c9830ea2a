"""/records/: the record pages staff keep (generic create/edit/delete per record type, from each
app's ``edit_views.RECORD_TYPES``), a project's record page, node plans and red-flag scores."""
from django.urls import path

from investment import edit_views as investment
from land import edit_views as land
from procurement import edit_views as procurement
from projects import edit_views as projects

app_name = "records"

RECORD_TYPES = [*land.RECORD_TYPES, *procurement.RECORD_TYPES, *investment.RECORD_TYPES, *projects.RECORD_TYPES]

urlpatterns = [
    path("", projects.RecordsIndexView.as_view(), name="index"),
    path("project/<int:pk>/", projects.ProjectRecordsView.as_view(), name="project"),
    path("project/<int:pk>/milestones/apply/", projects.MilestoneTemplateApplyView.as_view(),
         name="milestones_apply"),
    path("milestones/overdue/", projects.OverdueMilestonesView.as_view(), name="overdue"),
    path("scores/", projects.ScoresView.as_view(), name="scores"),
    path("scores/history/", projects.ScoreHistoryView.as_view(), name="score_history"),
]
for record_type in RECORD_TYPES:
    urlpatterns += record_type.urls()
