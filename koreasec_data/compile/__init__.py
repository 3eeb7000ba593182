"""The curators' layer: ``raw/`` → validated tables → a written data package.

Needs the ``[build]`` extra (pandera, frictionless). Nothing in the researchers' layer
(the top-level modules of :mod:`koreasec_data`) imports this package; see
``docs/architecture.md``.
"""
