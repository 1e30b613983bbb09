"""Fair use of the platform: request rate limits and usage budgets, per tenant.

- ``limits``: route classes and the per-layer request limits (tenant, user or visitor, IP) of
  each, with defaults and the tenant override ``settings["limits"]``;
- ``budget``: per-tenant token and cost budgets per day and month (``settings["budget"]``);
- ``validation``: ``quota_errors`` of a tenant's settings (``tenants.model`` calls it);
- ``ports``: ``UsageLedger``, where each chat turn's usage is added up;
- ``use_cases``: ``TenantQuotas`` (a tenant's effective limits and budget), ``AdmitRequest``
  (one rate-limit decision for a request) and ``BudgetGuard`` (the chat turn's collaborator).

Import from the modules (``itl_core.quotas.limits`` ...): ``tenants.model`` validates settings
with ``limits`` and ``budget``, so this package must not import ``tenants`` back at import time.
"""
