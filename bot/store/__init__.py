"""Edge: store."""
