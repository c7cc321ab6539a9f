from django.urls import path

from . import views

app_name = "scholarships"

urlpatterns = [
    path("", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/<uuid:scheme_id>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<uuid:scheme_id>/run/", views.PaymentsRunView.as_view(), name="payments_run"),
    path("schemes/<uuid:scheme_id>/pay/", views.PaymentsPayView.as_view(), name="payments_pay"),
    path("schemes/<uuid:scheme_id>/receipts/", views.ReceiptsView.as_view(), name="receipts"),
    path(
        "payments/<uuid:payment_id>/override/", views.PaymentOverrideView.as_view(), name="payment_override"
    ),
    path("awards/<uuid:award_id>/change/", views.AwardChangeView.as_view(), name="award_change"),
    path(
        "applications/<uuid:application_id>/decide/",
        views.ApplicationDecideView.as_view(),
        name="application_decide",
    ),
    path("people/<uuid:person_id>/", views.PersonHistoryView.as_view(), name="person_history"),
    path("effectiveness/", views.EffectivenessView.as_view(), name="effectiveness"),
]
