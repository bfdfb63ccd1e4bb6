"""Importers for official data files (pure parsers, no Django imports)."""
