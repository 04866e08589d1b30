"""A stateful, deterministic fake Jamf Pro tenant (Litestar app) for demos, tests and benchmarks."""

from __future__ import annotations

from jamf_mcp.simulator.app import JamfSimulator, run_simulator
from jamf_mcp.simulator.options import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    SimulatorOptions,
)

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "JamfSimulator",
    "SimulatorOptions",
    "run_simulator",
]
