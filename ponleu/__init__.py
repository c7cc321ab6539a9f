"""Ponleu (ពន្លឺ): child protection, registry and school dropout early warning."""
