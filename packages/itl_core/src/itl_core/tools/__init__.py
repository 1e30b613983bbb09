"""Tools an agent may call: their configuration (specs) here; execution ports come with chat."""
