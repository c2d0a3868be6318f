"""The feeds app publishes; it stores nothing of its own.

Its one table, PostDeletion (when a post was deleted, for feeds' Last-Modified), gave way to
the content version's `removed_at` (cxhub.content_version) and is dropped by migration 0004.
"""
