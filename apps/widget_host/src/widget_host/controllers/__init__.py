"""Route handlers of the widget host: static assets and the public widget API."""
