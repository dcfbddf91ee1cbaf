"""innosd: a system-dynamics simulator of a city's innovation system."""
__version__ = "0.1.0"
