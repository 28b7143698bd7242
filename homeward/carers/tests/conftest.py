"""Fixtures of the foster carer tests (the helpers are shared with matching's tests)."""

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
