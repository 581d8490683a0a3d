"""Edge: matrix."""
