"""The answer engine's core: Dutch analysis, the index, ranking and decisions. Plain Python, no Django."""
