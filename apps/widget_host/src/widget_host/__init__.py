"""The widget host: ``widget.js``, ``widget.html`` and the public widget API (Litestar)."""
