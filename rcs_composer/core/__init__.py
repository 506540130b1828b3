"""Pure-Python core: model, codecs, validation and variables. No Qt, no network, no disk."""
