"""The preview of the composer window."""
