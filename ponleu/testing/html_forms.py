"""Reading the forms of a rendered page, to send back what a browser would (and then tamper with it).

The adversarial matrix fills a form the way its user would: every field as the page shows it
(hidden versions, the selected option, the ticked boxes), and each required field left empty
given a plausible value for its type. Then it replaces one id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # "input:<type>", "select", "textarea"
    value: str | None  # None: nothing is sent for it (an unticked box, an empty select)
    required: bool
    hidden: bool
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    max_length: int | None = None


@dataclass
class PageForm:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def data(self, today: dt.date, *, bare: bool = False) -> dict[str, list[str]]:
        """What submitting it sends; ``bare``: its hidden fields only."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if bare and not f.hidden:
                continue
            value = f.value
            if (value is None or not value.strip()) and f.required and not bare:
                value = _plausible(f, today)
            if value is None:
                continue
            out.setdefault(f.name, []).append(value)
        if self.buttons and not bare:
            name, value = self.buttons[0]
            out.setdefault(name, [value])
        return out


def _plausible(f: Field, today: dt.date) -> str | None:
    kind = f.kind.removeprefix("input:")
    name = f.name.lower()
    if f.kind == "select" or kind == "radio":
        return next((o for o in f.options if o), None)
    if kind == "checkbox":
        return f.options[0] if f.options else "on"
    if kind == "file":
        return None
    if kind == "date" or "date" in name or name.endswith("_on"):
        return today.isoformat()
    if kind == "number" or "inputmode=numeric" in f.kind:
        return "1"
    if kind == "email":
        return "matrix@example.org"
    if kind == "tel" or "inputmode=tel" in f.kind:
        return "092345678"
    if kind == "month":
        return today.strftime("%Y-%m")
    return "Matrix 1"[: f.max_length or None]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = PageForm(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        required = "required" in a
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                if kind == "submit":
                    form.buttons.append((name, a.get("value", "")))
                return
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                existing = next(
                    (f for f in form.fields if f.name == name and f.kind == f"input:{kind}"), None
                )
                if existing is not None and kind == "radio":
                    existing.options.append(value)
                    if "checked" in a:
                        existing.value = value
                    return
                f = Field(name, f"input:{kind}", value if "checked" in a else None, required, False, [value])
                form.fields.append(f)
                return
            label = f"input:{kind}"
            if a.get("inputmode") in ("numeric", "tel"):
                label += f" inputmode={a['inputmode']}"
            max_length = int(a["maxlength"]) if (a.get("maxlength") or "").isdigit() else None
            form.fields.append(Field(name, label, value, required, kind == "hidden", max_length=max_length))
        elif tag == "select" and name:
            self._select = Field(name, "select", None, required, False, multiple="multiple" in a)
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = value
            if value is not None:
                self._select.options.append(value)
                if "selected" in a:
                    self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea", "", required, False)
            form.fields.append(self._textarea)
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            # A browser drops the newline that opens a textarea's content.
            self._textarea.value += data if self._textarea.value else data.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select = self._select
            if select.value is None and select.options and not select.multiple:
                select.value = select.options[0]  # a browser sends the first option
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._option = None


def post_forms(html: str, path: str) -> list[PageForm]:
    """The page's POST forms that submit to ``path`` (or to the page itself)."""
    parser = _Parser()
    parser.feed(html)
    return [
        f
        for f in parser.forms
        if f.method == "post" and (f.action in ("", "?") or f.action.split("?")[0] == path)
    ]
