"""Document parsing for the knowledge base: files in, structural blocks out (``parsers``)."""
