"""Edge: slack."""
