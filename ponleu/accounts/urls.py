from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.VerifyView.as_view(), name="verify"),
    path("login/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("devices/", views.DevicesView.as_view(), name="devices"),
    path("devices/revoke/", views.DeviceRevokeView.as_view(), name="device_revoke"),
    path("devices/organisation/", views.OrganisationDevicesView.as_view(), name="organisation_devices"),
    path(
        "devices/organisation/revoke/",
        views.OrganisationDeviceRevokeView.as_view(),
        name="organisation_device_revoke",
    ),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UsersView.as_view(), name="users"),
    path("users/reset/", views.UserResetView.as_view(), name="user_reset"),
    path("reset/", views.ResetPasswordView.as_view(), name="reset_password"),
    path("reset/<str:token>/", views.ResetLinkView.as_view(), name="reset"),
]
