"""Theo dõi NQ57: track and report a commune's Resolution 57-NQ/TW action plan offline."""

__version__ = "0.1.0"
