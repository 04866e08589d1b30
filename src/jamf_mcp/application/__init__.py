"""Application layer: ports and one use case per module. No I/O of its own."""
