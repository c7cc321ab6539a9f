"""XLSForm to XForm (pyxform), the errors in the reader's language, and the shape of a version.

``compile_xlsform`` turns an uploaded XLSForm into the XForm ODK Collect downloads, or raises
``XLSFormInvalid`` with each problem placed by sheet, row and column. The form's public key
(``base64RsaPublicKey``) is set here from the organisation's key, whatever the upload says.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element  # noqa: S405 - the type only; parsing goes through defusedxml

from defusedxml import ElementTree
from django.utils.translation import gettext as _

XFORMS = "http://www.w3.org/2002/xforms"
XHTML = "http://www.w3.org/1999/xhtml"
JAVAROSA = "http://openrosa.org/javarosa"
MAX_SOURCE_BYTES = 5 * 1024 * 1024
VERSION_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
FORM_ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        place = []
        if self.sheet:
            place.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            place.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            place.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(place)}: {self.message}" if place else self.message


class XLSFormInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Compiled:
    form_id: str
    version: str
    title: str
    xml: str
    md5: str
    encrypted: bool
    paths: frozenset[str] = field(default_factory=frozenset)


_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"On the '([^']+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")


def _problem(error) -> Problem:
    """One pyxform error, placed, with the common ones said in the reader's language."""
    text = str(error)
    context = getattr(error, "context", None) or {}
    row = context.get("row")
    if row is None and (found := _ROW.search(text)):
        row = int(found.group(1))
    sheet = context.get("sheet") or ((found := _SHEET.search(text)) and found.group(1)) or ""
    column = context.get("column") or ((found := _COLUMN.search(text)) and found.group(1)) or ""
    detail = _ROW.sub("", text).strip()
    if "unique within" in detail:
        message = _("this name is used twice; every question needs its own name.")
    elif detail.startswith("Unknown question type"):
        sheet, column = sheet or "survey", column or "type"
        quoted = re.search(r"'([^']*)'", detail)
        message = _("“%(type)s” is not a question type.") % {"type": quoted.group(1) if quoted else ""}
    elif "Could not find the name" in detail:
        message = _("the reference ${%(name)s} names no question of the survey sheet.") % {
            "name": context.get("q") or ((found := re.search(r"name '([^']+)'", detail)) and found.group(1))
        }
    else:
        message = detail
    return Problem(message=message, sheet=sheet, row=row, column=column)


def compile_xlsform(data: bytes, *, public_key: str | None = None) -> Compiled:
    if not data:
        raise XLSFormInvalid([Problem(_("The file is empty."))])
    if len(data) > MAX_SOURCE_BYTES:
        raise XLSFormInvalid([Problem(_("The file is larger than 5 MB."))])
    if not data.startswith(b"PK"):
        raise XLSFormInvalid([Problem(_("This is not an XLSForm: upload the form as an .xlsx file."))])
    # pyxform takes a second or two to import: loaded when a form is compiled, not with the URLs.
    from pyxform.errors import PyXFormError  # noqa: PLC0415
    from pyxform.xls2xform import convert  # noqa: PLC0415

    warnings: list[str] = []
    try:
        result = convert(xlsform=data, file_type=".xlsx", warnings=warnings)
    except PyXFormError as error:
        raise XLSFormInvalid([_problem(error)]) from None
    except Exception:  # a damaged workbook fails inside openpyxl or zipfile in many ways
        raise XLSFormInvalid([Problem(_("The file cannot be read as a spreadsheet."))]) from None
    xml = set_public_key(result.xform, public_key)
    compiled = describe(xml)
    problems = []
    if not compiled.version or not VERSION_PATTERN.fullmatch(compiled.version):
        problems.append(
            Problem(
                _("give the form a version (letters, digits, dot, dash), a new one for every upload."),
                sheet="settings",
                column="version",
            )
        )
    if not FORM_ID_PATTERN.fullmatch(compiled.form_id):
        problems.append(
            Problem(
                _("the form id may hold letters, digits and _ . - only."), sheet="settings", column="form_id"
            )
        )
    if problems:
        raise XLSFormInvalid(problems)
    return compiled


def set_public_key(xml: str, public_key: str | None) -> str:
    """The XForm with the organisation's key as its only ``<submission>`` (none: unencrypted)."""
    xml = re.sub(r"<submission\b[^>]*/>", "", xml, count=1)
    if not public_key:
        return xml
    return re.sub(
        r"(<model\b[^>]*>)",
        lambda m: f'{m.group(1)}<submission base64RsaPublicKey="{public_key}"/>',
        xml,
        count=1,
    )


def _primary_instance(root: Element) -> Element:
    model = root.find(f"{{{XHTML}}}head/{{{XFORMS}}}model")
    if model is None:
        raise XLSFormInvalid([Problem(_("The form has no model."))])
    instance = model.find(f"{{{XFORMS}}}instance")
    if instance is None or len(instance) == 0:
        raise XLSFormInvalid([Problem(_("The form has no primary instance."))])
    return instance[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _paths(element: Element, prefix: str = "") -> set[str]:
    path = f"{prefix}/{_local(element.tag)}"
    found = {path}
    for child in element:
        found |= _paths(child, path)
    return found


def describe(xml: str) -> Compiled:
    root = ElementTree.fromstring(xml.encode())
    primary = _primary_instance(root)
    title = root.findtext(f"{{{XHTML}}}head/{{{XHTML}}}title") or ""
    model = root.find(f"{{{XHTML}}}head/{{{XFORMS}}}model")
    submission = model.find(f"{{{XFORMS}}}submission") if model is not None else None
    return Compiled(
        form_id=primary.get("id", ""),
        version=primary.get("version", ""),
        title=title,
        xml=xml,
        md5=hashlib.md5(xml.encode(), usedforsecurity=False).hexdigest(),
        encrypted=submission is not None and bool(submission.get("base64RsaPublicKey")),
        paths=frozenset(_paths(primary)),
    )


@dataclass(frozen=True)
class Instance:
    """What the server needs of a submitted (or manifest) XML before storing it."""

    root: Element
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    encrypted: bool

    def files(self) -> list[str]:
        """Attachment names the instance refers to (media of an encrypted one, its XML too)."""
        if self.encrypted:
            names = [el.text or "" for el in self.root.iter() if _local(el.tag) == "file"]
            xml_file = next(
                (el.text for el in self.root.iter() if _local(el.tag) == "encryptedXmlFile"), None
            )
            return [n.strip() for n in [*names, xml_file or ""] if n and n.strip()]
        return []


class InstanceInvalid(Exception):
    pass


def read_instance(data: bytes) -> Instance:
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except Exception:
        raise InstanceInvalid(_("The submission is not well-formed XML.")) from None

    def meta(name: str) -> str:
        for element in root.iter():
            if _local(element.tag) == name and element.text:
                return element.text.strip()
        return ""

    instance_id = meta("instanceID")
    if not instance_id or len(instance_id) > 100:
        raise InstanceInvalid(_("The submission has no instanceID."))
    return Instance(
        root=root,
        form_id=root.get("id", ""),
        version=root.get("version", ""),
        instance_id=instance_id,
        deprecated_id=meta("deprecatedID")[:100],
        encrypted=root.get("encrypted") == "yes",
    )


def matches_version(instance_root: Element, paths: frozenset[str]) -> bool:
    """Every element of the submission is an element of the version's primary instance
    (besides the metadata a client adds under ``meta``: ``deprecatedID`` on an edit)."""
    meta = f"/{_local(instance_root.tag)}/meta/"
    return {path for path in _paths(instance_root) if not path.startswith(meta)} <= paths


def version_paths(xml: str) -> frozenset[str]:
    return frozenset(_paths(_primary_instance(ElementTree.fromstring(xml.encode()))))


def binary_paths(version_xml: str) -> set[str]:
    """The instance paths of a form version's file questions (photos, signatures, audio)."""
    from defusedxml import ElementTree  # noqa: PLC0415 - only this reader needs the parser

    root = ElementTree.fromstring(version_xml.encode())
    return {
        bind.get("nodeset", "") for bind in root.iter(f"{{{XFORMS}}}bind") if bind.get("type") == "binary"
    }
