from django.urls import path

from .views import care, case, caseload, config, contact, work

app_name = "cases"

urlpatterns = [
    path("", caseload.CaseListView.as_view(), name="case_list"),
    path("mine/", caseload.CaseloadView.as_view(), name="caseload"),
    path("team/", caseload.TeamCaseloadView.as_view(), name="team_caseload"),
    path("new/", case.CaseOpenView.as_view(), name="case_open"),
    path("types/", config.CaseTypeListView.as_view(), name="case_type_list"),
    path("types/<uuid:case_type_id>/", config.CaseTypeEditView.as_view(), name="case_type_edit"),
    path("<uuid:case_id>/", case.CaseDetailView.as_view(), name="case_detail"),
    path("<uuid:case_id>/edit/", case.CaseEditView.as_view(), name="case_edit"),
    path("<uuid:case_id>/steps/<slug:event>/", case.CaseTransitionView.as_view(), name="case_transition"),
    path("<uuid:case_id>/assign/", case.CaseAssignView.as_view(), name="case_assign"),
    path("<uuid:case_id>/safety-plan/", case.SafetyPlanView.as_view(), name="safety_plan_edit"),
    path("<uuid:case_id>/details/", case.SpecificsView.as_view(), name="specifics_edit"),
    path("<uuid:case_id>/reunification/", case.ReintegrationView.as_view(), name="case_reintegrate"),
    path("<uuid:case_id>/forms/<int:form_number>/", case.MosvyFormView.as_view(), name="mosvy_form"),
    path(
        "<uuid:case_id>/assessments/<slug:instrument>/new/",
        work.AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path("<uuid:case_id>/goals/new/", work.GoalCreateView.as_view(), name="goal_create"),
    path("<uuid:case_id>/goals/<uuid:goal_id>/", work.GoalStatusView.as_view(), name="goal_update"),
    path("<uuid:case_id>/actions/new/", work.ActionCreateView.as_view(), name="action_create"),
    path("<uuid:case_id>/actions/<uuid:action_id>/", work.ActionUpdateView.as_view(), name="action_update"),
    path("<uuid:case_id>/services/new/", work.ServiceCreateView.as_view(), name="service_create"),
    path("<uuid:case_id>/notes/new/", contact.NoteCreateView.as_view(), name="note_create"),
    path(
        "<uuid:case_id>/attachments/<uuid:attachment_id>/",
        contact.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("<uuid:case_id>/conferences/new/", contact.ConferenceCreateView.as_view(), name="conference_create"),
    path("<uuid:case_id>/placements/new/", care.PlacementCreateView.as_view(), name="placement_create"),
    path(
        "<uuid:case_id>/placements/<uuid:placement_id>/end/",
        care.PlacementEndView.as_view(),
        name="placement_end",
    ),
    path(
        "<uuid:case_id>/follow-ups/<uuid:follow_up_id>/",
        care.FollowUpRecordView.as_view(),
        name="follow_up_record",
    ),
]
