from django.urls import path

from .views import households, merge, people, records, spreadsheets

app_name = "registry"

urlpatterns = [
    path("", people.PersonListView.as_view(), name="person_list"),
    path("new/", people.PersonCreateView.as_view(), name="person_create"),
    path("import/", spreadsheets.PersonImportView.as_view(), name="person_import"),
    path("import/template.xlsx", spreadsheets.ImportTemplateView.as_view(), name="import_template"),
    path("import/<uuid:job_id>/", spreadsheets.ImportJobView.as_view(), name="import_job"),
    path("import/<uuid:job_id>/start/", spreadsheets.ImportStartView.as_view(), name="import_start"),
    path("consents/withdrawn/", records.ConsentWithdrawnListView.as_view(), name="consents_withdrawn"),
    path("export.<str:fmt>", spreadsheets.PersonExportView.as_view(), name="person_export"),
    path("<uuid:person_id>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("<uuid:person_id>/edit/", people.PersonEditView.as_view(), name="person_edit"),
    path("<uuid:person_id>/photo/", records.PhotoView.as_view(), name="person_photo"),
    path("<uuid:person_id>/photo/edit/", records.PhotoUploadView.as_view(), name="photo_edit"),
    path("<uuid:person_id>/phones/new/", records.PhoneAddView.as_view(), name="phone_add"),
    path(
        "<uuid:person_id>/phones/<uuid:phone_id>/remove/",
        records.PhoneRemoveView.as_view(),
        name="phone_remove",
    ),
    path("<uuid:person_id>/documents/new/", records.IdentifierAddView.as_view(), name="identifier_add"),
    path(
        "<uuid:person_id>/documents/<uuid:identifier_id>/remove/",
        records.IdentifierRemoveView.as_view(),
        name="identifier_remove",
    ),
    path("<uuid:person_id>/names/new/", records.AliasAddView.as_view(), name="alias_add"),
    path("<uuid:person_id>/consent/new/", records.ConsentAddView.as_view(), name="consent_add"),
    path(
        "<uuid:person_id>/consent/<uuid:consent_id>/withdraw/",
        records.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
    path("<uuid:person_id>/functioning/new/", records.FunctioningAddView.as_view(), name="functioning_add"),
    path("<uuid:person_id>/household/new/", households.HouseholdStartView.as_view(), name="household_start"),
    path("<uuid:person_id>/merge/", merge.PersonMergeView.as_view(), name="person_merge"),
    path("<uuid:person_id>/unmerge/", merge.PersonUnmergeView.as_view(), name="person_unmerge"),
    path("households/<uuid:household_id>/", people.HouseholdDetailView.as_view(), name="household_detail"),
    path(
        "households/<uuid:household_id>/edit/", households.HouseholdEditView.as_view(), name="household_edit"
    ),
    path("households/<uuid:household_id>/idpoor/new/", households.IDPoorAddView.as_view(), name="idpoor_add"),
    path(
        "households/<uuid:household_id>/members/<uuid:member_id>/",
        households.MemberChangeView.as_view(),
        name="member_change",
    ),
]
