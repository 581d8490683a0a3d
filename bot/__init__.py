"""Wirewatch: a news-wire alert bot for Slack and Matrix."""

__version__ = "0.1.0"
