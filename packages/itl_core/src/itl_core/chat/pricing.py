"""What a turn cost: a small price table per provider and model, in US dollars.

Prices are list prices per million tokens (input, output) as published by each vendor in 2025;
they are estimates for reporting, not billing. A model is priced by the longest table prefix of
its name (``claude-3-5-haiku-20241022`` matches ``claude-3-5-haiku``). The offline provider
costs nothing; a model missing from the table has an unknown cost (None), never a made-up one.
Update the table when vendors change prices.
"""

from __future__ import annotations

from collections.abc import Mapping

from itl_core.llm.model import Usage

# provider -> model prefix -> (USD per 1M input tokens, USD per 1M output tokens)
PRICES: Mapping[str, Mapping[str, tuple[float, float]]] = {
    "openai": {
        "gpt-4o-mini": (0.15, 0.60),
        "gpt-4o": (2.50, 10.00),
        "gpt-4.1-nano": (0.10, 0.40),
        "gpt-4.1-mini": (0.40, 1.60),
        "gpt-4.1": (2.00, 8.00),
        "o4-mini": (1.10, 4.40),
    },
    "anthropic": {
        "claude-3-5-haiku": (0.80, 4.00),
        "claude-3-5-sonnet": (3.00, 15.00),
        "claude-3-7-sonnet": (3.00, 15.00),
        "claude-sonnet-4": (3.00, 15.00),
        "claude-opus-4": (15.00, 75.00),
    },
    "google": {
        "gemini-2.0-flash": (0.10, 0.40),
        "gemini-2.5-flash": (0.30, 2.50),
        "gemini-2.5-pro": (1.25, 10.00),
    },
}


def cost_usd(provider: str, model: str, usage: Usage) -> float | None:
    """Dollars for ``usage`` on ``provider``/``model``; 0 offline; None when not in the table."""
    if provider == "offline":
        return 0.0
    table = PRICES.get(provider, {})
    prefixes = [p for p in table if model.startswith(p)]
    if not prefixes:
        return None
    per_input, per_output = table[max(prefixes, key=len)]
    dollars = (usage.input_tokens * per_input + usage.output_tokens * per_output) / 1_000_000
    return round(dollars, 8)
