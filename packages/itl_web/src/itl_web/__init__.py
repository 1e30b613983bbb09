"""The HTTP edge shared by ``http_api`` and ``widget_host``.

One exception handler (``problems``), one bearer-token dependency (``auth``), one guard for JSON
bodies (``body``), one bridge from dependency-injector providers to Litestar (``di``), and the
health, readiness and metrics routes (``health``). Both apps build on ``base_app_config`` so
every route of either app passes through the same guards.
"""
