"""The pure domain model of jamf-mcp: devices, compliance, policies, principals and errors.

Imports only the standard library and attrs.
"""
