from django.urls import path

from .views import classes, setup

app_name = "education"

urlpatterns = [
    path("", classes.MyClassesView.as_view(), name="school_list"),
    path("classes/<uuid:class_id>/", classes.RollCallView.as_view(), name="class_roll_call"),
    path("classes/<uuid:class_id>/import/", classes.AttendanceImportView.as_view(), name="attendance_import"),
    path(
        "classes/<uuid:class_id>/register.xlsx",
        classes.AttendanceTemplateView.as_view(),
        name="attendance_template",
    ),
    path("classes/<uuid:class_id>/marks/", classes.MarksView.as_view(), name="class_marks"),
    path("classes/<uuid:class_id>/behaviour/", classes.IncidentView.as_view(), name="incident_add"),
    path("classes/<uuid:class_id>/pupils/", setup.ClassPupilsView.as_view(), name="class_pupils"),
    path("manage/", setup.SchoolManageView.as_view(), name="school_manage"),
    path("manage/<uuid:school_id>/", setup.SchoolDetailView.as_view(), name="school_detail"),
    path("years/<uuid:year_id>/", setup.YearDetailView.as_view(), name="year_detail"),
]
