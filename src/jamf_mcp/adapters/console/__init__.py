"""Text for a terminal: what the command-line tools print."""

from jamf_mcp.adapters.console.doctor_report import format_diagnosis

__all__ = ["format_diagnosis"]
