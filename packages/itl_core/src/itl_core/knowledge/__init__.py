"""A tenant's knowledge base: documents split into chunks for retrieval."""
