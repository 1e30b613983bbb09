"""Usage reports: the tokens and dollars of a tenant's chat turns, per UTC day and per agent.

- ``model``: ``UsageFigures`` (one bucket's sums), ``UsageReport`` (a date range's days, agents
  and totals) and ``UsageRange`` (a validated, bounded range of UTC days);
- ``ports``: ``UsageReports``, the read side over the stored assistant messages;
- ``use_cases``: ``GetUsageReport`` (tenant admins and operators; platform admins name a tenant).

The figures come from the usage each assistant message stores (``metadata.usage``), so they
split input from output tokens and name the agent; the budget ledger (``quotas``) keeps only
running totals per day and month and answers a different question (may this turn run?).
"""
