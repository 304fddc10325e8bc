"""Test set-up shared by every app: each test database gets the regions of 厦门市 and 仙游县 and the test world
(fawang/testing/world.py: its units, practitioners, staff personas and line fixtures) once; every test then runs in
a transaction that is rolled back. The demo (`make run`) is not loaded: its own tests load it."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from fawang.regions.importer import import_regions
    from fawang.testing.world import build_world

    with django_db_blocker.unblock():
        import_regions(["35"], only_under=["3502", "350322"])
        build_world()


@pytest.fixture(autouse=True)
def _calendar_cache_restored() -> Any:
    """The working-day calendar caches its table per process; a rolled-back CalendarDay must not outlive its test."""
    from fawang.calendar.testing import calendar_cache_restored

    with calendar_cache_restored():
        yield


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts in the default language (zh-hans). A request in English activates English in the thread
    (LocaleMiddleware does not reset it afterwards), and without this the next test in that worker would see it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
