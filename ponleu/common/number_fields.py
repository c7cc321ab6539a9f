"""Number fields that take Khmer digits.

A browser's ``<input type="number">`` refuses ០-៩, which is what a Khmer keyboard types. These
fields render a text input that still brings up the phone's number pad (``inputmode``), and read
Khmer digits as the numbers they are; the range and step checks stay on the server.
"""

from __future__ import annotations

from django import forms

from .numerals import to_ascii_digits


class NumberTextInput(forms.TextInput):
    def __init__(self, attrs=None, *, decimal: bool = False):
        base = {"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})


class _KhmerDigits:
    def to_python(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value).strip()
        return super().to_python(value)


class IntegerField(_KhmerDigits, forms.IntegerField):
    widget = NumberTextInput


class DecimalField(_KhmerDigits, forms.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumberTextInput(decimal=True))
        super().__init__(*args, **kwargs)


class FloatField(_KhmerDigits, forms.FloatField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumberTextInput(decimal=True))
        super().__init__(*args, **kwargs)
