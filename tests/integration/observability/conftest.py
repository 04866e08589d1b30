"""Fixtures: JSON logs captured through the real logging pipeline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.observability.log_capture import CapturedLogs, captured_logs


@pytest.fixture
def json_logs() -> Iterator[CapturedLogs]:
    with captured_logs("json") as captured:
        yield captured
