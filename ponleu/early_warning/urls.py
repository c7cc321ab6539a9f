from django.urls import path

from .views import manage, review, risk

app_name = "early_warning"

urlpatterns = [
    path("", risk.RiskListView.as_view(), name="risk_list"),
    path("schools/<uuid:school_id>/", risk.SchoolDashboardView.as_view(), name="school_dashboard"),
    path("students/<uuid:enrolment_id>/", risk.StudentRiskView.as_view(), name="student_risk"),
    path("report/", risk.EffectivenessView.as_view(), name="effectiveness"),
    path("flags/<uuid:flag_id>/", review.FlagReviewView.as_view(), name="flag_review"),
    path("interventions/", review.InterventionListView.as_view(), name="intervention_list"),
    path(
        "interventions/<uuid:intervention_id>/",
        review.InterventionDetailView.as_view(),
        name="intervention_detail",
    ),
    path("models/", manage.ModelListView.as_view(), name="model_list"),
    path("models/<uuid:model_id>/", manage.ModelDetailView.as_view(), name="model_detail"),
    path("rules/", manage.RuleSettingsView.as_view(), name="rule_settings"),
    path("data/", manage.DataQualityView.as_view(), name="data_quality"),
]
