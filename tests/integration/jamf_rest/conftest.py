"""Shared fixtures for the Jamf REST adapter tests; puts the local fake module on the import path."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
