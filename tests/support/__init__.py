"""Helpers shared by several test packages (real third-party servers started for tests)."""
