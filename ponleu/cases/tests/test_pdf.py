"""The printed MoSVY forms: Khmer line breaks, shipped fonts only, each of the six forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ponleu.cases import charts, pdf
from ponleu.cases.choices import MosvyForm

from . import pdftext
from .factories import ALL_CSI, open_case, to_implementation


def test_khmer_runs_get_zero_width_spaces_between_words_and_markup_is_untouched():
    html = '<p title="សួស្តីពិភពលោក">សួស្តីពិភពលោក Sok Dara</p>'
    broken = pdf.khmer_breaks(html)
    assert 'title="សួស្តីពិភពលោក"' in broken
    assert ">សួស្តី\u200bពិភពលោក Sok Dara<" in broken
    assert pdf.khmer_breaks(broken) == broken


def test_fonts_ship_with_the_project():
    for _family, name, _weight in pdf._FACES:
        assert (pdf.FONT_DIR / name).stat().st_size > 50_000
    assert "SIL Open Font License" in (pdf.FONT_DIR / "OFL.txt").read_text()
    assert "file://" in pdf.font_face_css()


def test_printing_refuses_to_fetch_anything_but_the_fonts():
    document = pdf.render_pdf(
        f"<html><head><style>{pdf.font_face_css()}</style></head><body><p>ការបិទករណី</p>"
        '<img src="file:///etc/passwd" alt=""></body></html>'
    )
    assert b"root:" not in document
    assert pdftext.embedded_fonts(document)


def test_csi_chart_is_inline_svg_with_every_domain():
    import datetime as dt

    svg = charts.csi_chart([(dt.date(2025, 1, 1), ALL_CSI), (dt.date(2025, 4, 1), {**ALL_CSI, "3A": 4})])
    assert svg.startswith("<svg")
    assert "style=" not in svg
    assert svg.count("<polyline") == 12
    assert "3A" in svg
    assert charts.csi_chart([]) == ""


@pytest.mark.django_db
def test_all_six_forms_print_with_the_shipped_fonts(world, login_as):
    case = to_implementation(world, open_case(world, type_code="trafficking", summary="ត្រូវបានជួញដូរទៅប្រទេសថៃ"))
    client = login_as(world.user("caseworker_a"))
    for form in MosvyForm:
        response = client.get(
            reverse("cases:mosvy_form", kwargs={"case_id": case.pk, "form_number": form.value})
        )
        assert response.status_code == 200
        fonts = pdftext.embedded_fonts(response.content)
        assert fonts
        assert all(name.split("+")[1].startswith("Ponleu") for name in fonts), (form, fonts)
        assert case.short_id in pdftext.text(response.content)
    dropout = open_case(world, type_code="school_dropout")
    missing = client.get(reverse("cases:mosvy_form", kwargs={"case_id": dropout.pk, "form_number": 4}))
    assert missing.status_code == 404  # placement form does not apply to school dropout
