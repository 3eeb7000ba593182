"""The maintainers' layer: release assets of a built package, and id stability.

Writes the registry that :mod:`koreasec_data.registry` reads. Nothing in the
researchers' layer imports this package; see ``docs/architecture.md``.
"""
