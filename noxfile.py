"""Developer sessions: `nox -s tests lint typecheck` (default), `nox -s bench`, `nox -s soak`."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.11"]


@nox.session(python=PYTHONS)
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
def bench(session: nox.Session) -> None:
    """Benchmarks: writes benchmarks/results/*.json and prints a table."""
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session(python=PYTHONS)
def soak(session: nox.Session) -> None:
    """The bounded soak (>= 60 s, >= 50,000 publishes); writes benchmarks/results/soak.json."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "tests/soak", "-m", "soak", "-s", *session.posargs)
