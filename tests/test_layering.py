"""The import-linter contracts hold, and each of them does catch the import it exists to refuse."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
DOMAIN_APPS = ("registry", "education", "cases", "early_warning", "family_support")
PURE = {
    "ponleu.early_warning.engine": "early_warning",
    "ponleu.registry.names": "registry",
    "ponleu.nutrition.growth_standards": "nutrition",
}


def run_lint(cwd: Path):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd), "COLUMNS": "300"},
    )


def contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]["contracts"]


def copy_tree(tmp_path: Path) -> Path:
    for name in ("ponleu", "config"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "data", "static")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(root: Path, module: str, line: str) -> None:
    """Write ``line`` into ``module`` (a dotted name), creating the module when it does not exist."""
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    if not path.exists() and path.with_suffix("").is_dir():
        path = path.with_suffix("") / "__init__.py"
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + line + "  # noqa\n", encoding="utf-8")


def verdicts(output: str) -> dict[str, str]:
    """Contract name -> KEPT or BROKEN, from lint-imports' summary lines."""
    found = {}
    for line in output.splitlines():
        for verdict in (" KEPT", " BROKEN"):
            if verdict in line:
                found[line.split(verdict)[0].strip()] = verdict.strip()
    return found


def test_contracts_are_kept():
    result = run_lint(ROOT)
    assert result.returncode == 0, result.stdout


def test_a_domain_app_importing_an_edge_app_breaks_the_contract(tmp_path):
    copy_tree(tmp_path)
    (tmp_path / "ponleu" / "registry" / "leak.py").write_text("import ponleu.web.urls  # noqa\n")
    result = run_lint(tmp_path)
    assert result.returncode != 0
    assert "ponleu.registry.leak -> ponleu.web.urls" in result.stdout


def test_every_module_of_a_domain_app_has_a_layer():
    by_container = {
        tuple(contract.get("containers", ())): contract
        for contract in contracts()
        if contract["type"] == "layers"
    }
    for app in DOMAIN_APPS:
        contract = by_container.get((f"ponleu.{app}",))
        assert contract is not None, f"no layers contract of its own for {app}"
        assert contract.get("exhaustive") is True, f"{app}'s layers contract is not exhaustive"
        assert set(contract.get("exhaustive_ignores", ())) <= {"tests", "migrations"}


def test_pure_packages_are_forbidden_every_app_but_common():
    apps = {
        f"ponleu.{path.stem if path.suffix == '.py' else path.name}"
        for path in (ROOT / "ponleu").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    for source, own_app in PURE.items():
        (contract,) = [c for c in contracts() if c["type"] == "forbidden" and c["source_modules"] == [source]]
        forbidden = set(contract["forbidden_modules"])
        if "django" in forbidden:  # all of Django, the database included
            forbidden.add("django.db")
        expected = apps - {"ponleu.common", f"ponleu.{own_app}"} | {f"ponleu.{own_app}.*", "django.db"}
        assert expected <= forbidden, f"{source} may still import {sorted(expected - forbidden)}"


# One planted import per contract added for the domain apps; each must break its own contract.
PLANTS = [
    ("registry: every module in its layer", "ponleu.registry.stray", "import json"),
    ("registry: every module in its layer", "ponleu.registry.choices", "import ponleu.registry.models"),
    (
        "education: every module in its layer",
        "ponleu.education.registers",
        "import ponleu.education.services",
    ),
    ("cases: every module in its layer", "ponleu.cases.stray", "import json"),
    (
        "family_support: every module in its layer",
        "ponleu.family_support.models",
        "import ponleu.family_support.selectors",
    ),
    ("cases: every module in its layer", "ponleu.cases.standard", "import ponleu.cases.selectors"),
    ("nutrition: every module in its layer", "ponleu.nutrition.models", "import ponleu.nutrition.selectors"),
    (
        "early_warning: every module in its layer",
        "ponleu.early_warning.rulebook",
        "import ponleu.early_warning.models",
    ),
    (
        "The early-warning engine is pure computation: no database, no app but common",
        "ponleu.early_warning.engine.records",
        "from django.db import connection",
    ),
    (
        "The early-warning engine is pure computation: no database, no app but common",
        "ponleu.early_warning.engine.rules",
        "import ponleu.education.models",
    ),
    (
        "The early-warning engine is pure computation: no database, no app but common",
        "ponleu.early_warning.engine.metrics",
        "import ponleu.early_warning.rulebook",
    ),
    (
        "Name matching is pure computation: no database, no app but common",
        "ponleu.registry.names.keys",
        "from django.db.models import Q",
    ),
    (
        "Name matching is pure computation: no database, no app but common",
        "ponleu.registry.names.scoring",
        "import ponleu.demo.names",
    ),
    (
        "Name matching is pure computation: no database, no app but common",
        "ponleu.registry.names.forms",
        "import ponleu.common.models",
    ),
    (
        "The WHO growth standards are pure computation: numpy, no Django, no other app",
        "ponleu.nutrition.growth_standards.lms",
        "from django.utils import timezone",
    ),
    (
        "The WHO growth standards are pure computation: numpy, no Django, no other app",
        "ponleu.nutrition.growth_standards.classify",
        "import ponleu.common.clock",
    ),
]


def test_every_new_contract_is_in_the_configuration():
    names = {contract["name"] for contract in contracts()}
    assert {name for name, _, _ in PLANTS} <= names


def sections(output: str, names: set[str]) -> dict[str, str]:
    """The text lint-imports prints under each broken contract's heading."""
    found, current = {}, None
    for line in output.split("Broken contracts", 1)[-1].splitlines():
        if line.strip() in names:
            current = line.strip()
            found[current] = ""
        elif current:
            found[current] += line + "\n"
    return found


def test_a_planted_violation_breaks_each_contract(tmp_path):
    """One tree with every plant; each contract must name its own planted module among its breaches."""
    root = copy_tree(tmp_path)
    for _, module, line in PLANTS:
        plant(root, module, line)
    result = run_lint(root)
    assert result.returncode != 0, result.stdout
    names = {contract for contract, _, _ in PLANTS}
    assert {name for name, state in verdicts(result.stdout).items() if state == "BROKEN"} >= names
    broken = sections(result.stdout, names)
    for contract, module, line in PLANTS:
        target = line.split()[1]
        named = f"- {module}\n" in broken[contract] or f"{module} -> {target}" in broken[contract]
        assert named, f"{contract!r} did not catch `{line}` in {module}:\n{broken[contract]}"
