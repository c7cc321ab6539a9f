from django.urls import path

from . import openrosa_views, views

app_name = "collection"

urlpatterns = [
    # The OpenRosa server: ODK Collect's server URL is this prefix (…/collect).
    path("formList", openrosa_views.FormListView.as_view(), name="form_list_openrosa"),
    path("submission", openrosa_views.SubmissionView.as_view(), name="submission"),
    path("forms/<uuid:form_version_id>/form.xml", openrosa_views.FormXmlView.as_view(), name="form_xml"),
    path(
        "forms/<uuid:form_version_id>/manifest",
        openrosa_views.FormManifestView.as_view(),
        name="form_manifest",
    ),
    path(
        "forms/<uuid:form_version_id>/media/<str:filename>",
        openrosa_views.FormMediaView.as_view(),
        name="form_media",
    ),
    # Screens.
    path("manage/", views.FormListView.as_view(), name="form_list"),
    path("manage/<uuid:collection_form_id>/", views.FormDetailView.as_view(), name="form_detail"),
    path("device/", views.DeviceView.as_view(), name="device"),
    path("submissions/", views.SubmissionListView.as_view(), name="submission_list"),
    path(
        "submissions/<uuid:submission_id>/review/",
        views.SubmissionReviewView.as_view(),
        name="submission_review",
    ),
]
