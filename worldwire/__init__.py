"""WorldWire: the fastest news updates from around the world, as software anyone can run."""

__version__ = "0.1.0"
