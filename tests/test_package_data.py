"""Every non-Python file the server and the docs generator need is declared as package data,
so an installed wheel has the vendored editor, the templates and the ontology template."""

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def setuptools_config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


@pytest.mark.parametrize("package, folders", [
    ("chipkg.server", ["static", "templates"]),
    ("chipkg.ontodoc", ["templates"]),
])
def test_package_data_covers_every_asset(setuptools_config, package, folders):
    assert package in setuptools_config["packages"]
    base = ROOT / setuptools_config.get("package-dir", {}).get(package, package.replace(".", "/"))
    declared = {path for pattern in setuptools_config["package-data"][package] for path in base.glob(pattern)
                if path.is_file()}
    for folder in folders:
        files = {path for path in (base / folder).rglob("*") if path.is_file()
                 and "__pycache__" not in path.parts}
        assert files, f"{base / folder} is empty"
        missing = sorted(str(p.relative_to(base)) for p in files - declared)
        assert not missing, f"not in [tool.setuptools.package-data] {package}: {missing}"


def test_vendored_code_keeps_its_licence():
    for folder in (ROOT / "server/static/vendor/codemirror", ROOT / "tests/browser/vendor/axe-core"):
        assert (folder / "LICENSE").is_file() and (folder / "README.md").is_file(), folder


def test_every_subpackage_is_listed(setuptools_config):
    """A subpackage missing from `packages` works in a checkout but not in a built wheel."""
    listed = set(setuptools_config["packages"])
    for package, folder in (("chipkg", ROOT / "chipkg"), ("chipkg.server", ROOT / "server")):
        for init in folder.rglob("__init__.py"):
            dotted = ".".join([package, *init.parent.relative_to(folder).parts])
            assert dotted in listed, f"{dotted} ({init.parent}) is not in [tool.setuptools] packages"
