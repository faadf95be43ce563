"""Developer sessions: `nox` (tests on 3.10-3.13, lint, typecheck, docs), `-s bench`, `-s soak`."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.11"]
# The package claims 3.10+: the test suite runs on every version it claims.
TEST_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


def _add_pyenv_interpreters_to_path() -> None:
    # pyenv's shims expose only the global version's pythonX.Y; nox looks interpreters up
    # on PATH, so put each installed pyenv version's bin/ there (no-op without pyenv).
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if not versions.is_dir():
        return
    found = [
        str(path / "bin")
        for version in TEST_PYTHONS
        for path in sorted(versions.glob(f"{version}.*"), reverse=True)[:1]
        if (path / "bin" / f"python{version}").exists()
    ]
    os.environ["PATH"] = os.pathsep.join([*found, os.environ.get("PATH", "")])


_add_pyenv_interpreters_to_path()


@nox.session(python=TEST_PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite (the README's test command, inside a nox virtualenv)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests, benchmarks and this file."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", "postpress_async", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHONS)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[test]", "mypy>=1.10")
    session.run("mypy", "--strict", "postpress_async")


@nox.session(python=PYTHONS)
def docs(session: nox.Session) -> None:
    """The documentation site, built with --strict into site/ (or the directory given)."""
    session.install("-e", ".[docs]")
    site_dir = session.posargs[0] if session.posargs else "site"
    session.run(
        "mkdocs", "build", "--strict", "--site-dir", site_dir,
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


@nox.session(python=PYTHONS)
def bench(session: nox.Session) -> None:
    """Benchmarks: writes benchmarks/results/*.json and prints a table."""
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session(python=PYTHONS)
def soak(session: nox.Session) -> None:
    """The bounded soak (>= 60 s, >= 50,000 publishes); writes benchmarks/results/soak.json."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "tests/soak", "-m", "soak", "-s", *session.posargs)
