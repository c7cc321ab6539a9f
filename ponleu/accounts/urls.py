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
]
