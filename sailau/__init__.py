"""Sailau: an open results and integrity system for elections in Kazakhstan."""

__version__ = "0.1.0"
