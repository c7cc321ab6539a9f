from django.urls import path

from . import views

app_name = "family_support"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("households/<uuid:household_id>/", views.HouseholdPlansView.as_view(), name="household_plans"),
    path("households/<uuid:household_id>/new/", views.PlanStartView.as_view(), name="plan_start"),
    path("plans/<uuid:plan_id>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<uuid:plan_id>/needs/<slug:need_domain>/", views.NeedEditView.as_view(), name="need_edit"),
    path(
        "plans/<uuid:plan_id>/needs/<slug:need_domain>/refer/",
        views.NeedReferView.as_view(),
        name="need_refer",
    ),
    path("plans/<uuid:plan_id>/visits/new/", views.VisitCreateView.as_view(), name="visit_new"),
    path("plans/<uuid:plan_id>/graduate/", views.PlanGraduateView.as_view(), name="plan_graduate"),
]
