"""Fixtures of the matching tests: a foster-care worker and a preparation course."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.carers.tests.helpers import make_course, make_foster_worker


@pytest.fixture
def foster_worker(cast: Any) -> Any:
    return make_foster_worker(cast)


@pytest.fixture
def course(db: None) -> Any:
    return make_course()
