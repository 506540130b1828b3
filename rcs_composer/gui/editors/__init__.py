"""The editors of the composer window."""
