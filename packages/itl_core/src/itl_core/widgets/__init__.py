"""The embeddable widget's per-tenant configuration."""
