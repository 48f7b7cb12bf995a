"""ANTWOORD: one counter for all of Dutch government."""
