"""Run jamf-mcp as `python -m jamf_mcp`."""

from jamf_mcp.cli import main

raise SystemExit(main())
