"""xietong (协同): the knowledge graph of a regional innovation ecosystem.

Start with :class:`xietong.api.Ecosystem`.
"""

__version__ = "0.1.0"
