"""Chat sessions and their messages (the transcript)."""
