"""Every spreadsheet Ponleu writes goes through ``ponleu.common.spreadsheet_writer``, which
neutralises formulas. No other module may build an openpyxl ``Workbook``, a CSV writer, or use
another spreadsheet-writing library. Tests are exempt: they build hostile uploads on purpose."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITER = ROOT / "ponleu" / "common" / "spreadsheet_writer.py"
WORKBOOK_MODULES = {"openpyxl", "openpyxl.workbook", "openpyxl.workbook.workbook"}
CSV_WRITERS = {"writer", "DictWriter"}
OTHER_WRITERS = {"xlsxwriter", "xlwt", "pyexcel", "odf", "ezodf"}
DATAFRAME_WRITERS = {"to_csv", "to_excel"}


def spreadsheet_writing(source: str) -> list[str]:
    """What in this module writes a spreadsheet by itself, as "line: what"."""
    tree = ast.parse(source)
    found = []
    aliases: dict[str, str] = {}  # local name → module, for "import csv as c"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name
                if alias.name.split(".")[0] in OTHER_WRITERS:
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            names = {alias.name for alias in node.names}
            if node.module in WORKBOOK_MODULES and "Workbook" in names:
                found.append(f"{node.lineno}: from {node.module} import Workbook")
            if node.module == "csv" and names & CSV_WRITERS:
                found.append(f"{node.lineno}: from csv import {', '.join(sorted(names & CSV_WRITERS))}")
            if root in OTHER_WRITERS:
                found.append(f"{node.lineno}: from {node.module} import ...")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name):
                module = aliases.get(node.value.id, "")
                if module == "csv" and node.attr in CSV_WRITERS:
                    found.append(f"{node.lineno}: csv.{node.attr}")
                if module.split(".")[0] == "openpyxl" and node.attr == "Workbook":
                    found.append(f"{node.lineno}: openpyxl.Workbook")
            if node.attr in DATAFRAME_WRITERS:
                found.append(f"{node.lineno}: .{node.attr}(...)")
    return found


def _app_modules():
    for path in sorted((ROOT / "ponleu").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if path == WRITER or "tests" in relative.parts or path.name == "conftest.py":
            continue
        yield relative, path


def test_only_the_writer_module_writes_spreadsheets():
    offenders = {
        str(relative): found
        for relative, path in _app_modules()
        if (found := spreadsheet_writing(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "write spreadsheets with ponleu.common.spreadsheet_writer"


def test_the_check_sees_every_way_of_writing_a_spreadsheet():
    sources = [
        "from openpyxl import Workbook, load_workbook\n",
        "from openpyxl.workbook import Workbook\n",
        "import openpyxl\nbook = openpyxl.Workbook()\n",
        "import csv\nw = csv.writer(handle)\n",
        "import csv as c\nw = c.DictWriter(handle, fieldnames=[])\n",
        "from csv import writer\n",
        "import xlsxwriter\n",
        "frame.to_csv('x.csv')\n",
    ]
    for source in sources:
        assert spreadsheet_writing(source), source
    harmless = "import csv\nrows = csv.reader(handle)\nfrom openpyxl import load_workbook\n"
    assert spreadsheet_writing(harmless) == []
