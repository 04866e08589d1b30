"""Adapters: the outside world, each package named after its technology."""
