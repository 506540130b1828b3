"""Use cases both front ends call: drafts, sends, templates, profiles. Qt-free."""
