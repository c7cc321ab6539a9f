from django.urls import path

from . import views

app_name = "maternal"

urlpatterns = [
    path("", views.PregnancyListView.as_view(), name="pregnancy_list"),
    path("women/<uuid:person_id>/new/", views.PregnancyRegisterView.as_view(), name="pregnancy_register"),
    path("pregnancies/<uuid:pregnancy_id>/", views.PregnancyDetailView.as_view(), name="pregnancy_detail"),
    path("pregnancies/<uuid:pregnancy_id>/anc/new/", views.AncCreateView.as_view(), name="anc_new"),
    path(
        "pregnancies/<uuid:pregnancy_id>/anc/<uuid:anc_id>/refer/",
        views.AncReferView.as_view(),
        name="anc_refer",
    ),
    path("pregnancies/<uuid:pregnancy_id>/birth/", views.BirthRecordView.as_view(), name="birth_record"),
    path(
        "pregnancies/<uuid:pregnancy_id>/newborn/",
        views.NewbornRegisterView.as_view(),
        name="newborn_register",
    ),
    path("pregnancies/<uuid:pregnancy_id>/pnc/new/", views.PncCreateView.as_view(), name="pnc_new"),
    path(
        "pregnancies/<uuid:pregnancy_id>/planning/new/",
        views.PlanningCreateView.as_view(),
        name="planning_new",
    ),
]
