"""Screenplays: a Fountain script read into scenes, characters and dialogue, and kept in sync."""
