from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.ReferralListView.as_view(), name="referral_list"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("directory/<uuid:provider_id>/edit/", views.ProviderEditView.as_view(), name="provider_edit"),
    path("directory/<uuid:provider_id>/report/", views.ProviderReportView.as_view(), name="provider_report"),
    path("directory/import/", views.DirectoryImportView.as_view(), name="directory_import"),
    path(
        "directory/import/template.xlsx",
        views.DirectoryImportTemplateView.as_view(),
        name="directory_import_template",
    ),
    path(
        "directory/import/<uuid:directory_job_id>/",
        views.DirectoryImportJobView.as_view(),
        name="directory_import_job",
    ),
    path(
        "directory/import/<uuid:directory_job_id>/start/",
        views.DirectoryImportStartView.as_view(),
        name="directory_import_start",
    ),
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
