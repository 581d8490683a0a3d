"""Edge: sources."""
