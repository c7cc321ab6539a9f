"""Numbers typed on a Khmer keyboard: the field reads them and the phone shows its number pad."""

from decimal import Decimal

from django import forms

from ponleu.common import number_fields


class _Form(forms.Form):
    hours = number_fields.IntegerField(min_value=0, max_value=168)
    cost = number_fields.DecimalField(max_digits=8, decimal_places=2, required=False)
    share = number_fields.FloatField(required=False)


def test_khmer_digits_are_numbers():
    form = _Form({"hours": "៤៥", "cost": "១២០០.៥០", "share": "០.៨"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"hours": 45, "cost": Decimal("1200.50"), "share": 0.8}


def test_the_range_is_still_checked_on_the_server():
    form = _Form({"hours": "២០០"})
    assert not form.is_valid()
    assert "hours" in form.errors


def test_the_input_is_text_with_a_number_pad():
    html = str(_Form()["hours"]) + str(_Form()["cost"])
    assert 'type="number"' not in html
    assert 'inputmode="numeric"' in html
    assert 'inputmode="decimal"' in html
