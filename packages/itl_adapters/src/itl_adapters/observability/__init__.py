"""Operability: Prometheus metrics (``metrics``) and structured logs (``logging``).

Nothing here registers or configures anything at import time: ``platform_metrics()`` builds the
metric families on first use, ``configure_logging`` is called once by the app factory or CLI.
"""
