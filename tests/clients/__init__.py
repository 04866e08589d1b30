"""Stand-ins for real MCP clients, built from their published and observed behaviour."""
