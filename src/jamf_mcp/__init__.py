"""jamf-mcp: an MCP server for Jamf Pro."""

__version__ = "0.1.0"
