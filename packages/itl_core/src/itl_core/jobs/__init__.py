"""Durable background jobs: the model, the queue port, the runner and its worker loop."""
