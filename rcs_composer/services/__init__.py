"""Blocking, Qt-free services: Kaleyra client, profiles and keyring, drafts, media, sandbox."""
