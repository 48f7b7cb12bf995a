"""Importing official sources: row-level reports, idempotent upserts, and the base of the import commands."""
