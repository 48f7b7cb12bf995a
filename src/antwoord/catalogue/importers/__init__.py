"""Importers for the national catalogue sources: UPL, Rijksoverheid VACs and Samenwerkende Catalogi."""
