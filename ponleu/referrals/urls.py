from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.ReferralListView.as_view(), name="referral_list"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("new/", views.ReferralCreateView.as_view(), name="referral_new"),
    path("<uuid:referral_id>/", views.ReferralDetailView.as_view(), name="referral_detail"),
    path("<uuid:referral_id>/send/", views.ReferralSendView.as_view(), name="referral_send"),
    path(
        "<uuid:referral_id>/steps/<slug:referral_event>/",
        views.ReferralStepView.as_view(),
        name="referral_step",
    ),
    path("<uuid:referral_id>/slip.pdf", views.ReferralSlipView.as_view(), name="referral_slip"),
]
