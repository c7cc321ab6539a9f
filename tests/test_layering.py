"""The import-linter contracts hold, and they do catch a domain app importing an edge app."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_lint(cwd: Path):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
    )


def test_contracts_are_kept():
    result = run_lint(ROOT)
    assert result.returncode == 0, result.stdout


def test_a_domain_app_importing_an_edge_app_breaks_the_contract(tmp_path):
    for name in ("ponleu", "config"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "data", "static")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "ponleu" / "registry" / "leak.py").write_text("import ponleu.web.urls  # noqa\n")
    result = run_lint(tmp_path)
    assert result.returncode != 0
    assert "ponleu.registry.leak -> ponleu.web.urls" in result.stdout
