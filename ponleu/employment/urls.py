from django.urls import path

from . import views

app_name = "employment"

urlpatterns = [
    path("", views.YouthListView.as_view(), name="youth_list"),
    path("youth/new/<uuid:person_id>/", views.ProfileCreateView.as_view(), name="profile_new"),
    path("youth/<uuid:profile_id>/", views.YouthPathView.as_view(), name="youth_path"),
    path("youth/<uuid:profile_id>/place/", views.PlaceView.as_view(), name="place"),
    path("youth/<uuid:profile_id>/documents/", views.DocumentAddView.as_view(), name="document_add"),
    path(
        "placements/<uuid:job_placement_id>/follow-up/<int:months>/",
        views.FollowUpView.as_view(),
        name="follow_up",
    ),
    path("follow-ups/", views.FollowUpsDueView.as_view(), name="follow_ups_due"),
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/<uuid:course_id>/", views.CourseView.as_view(), name="course_detail"),
    path("courses/<uuid:course_id>/result/", views.CourseResultView.as_view(), name="course_result"),
    path("offers/", views.OfferListView.as_view(), name="offer_list"),
    path("offers/new/", views.OfferCreateView.as_view(), name="offer_new"),
    path("indicators/", views.IndicatorsView.as_view(), name="indicators"),
]
