"""For operators: /metrics, /healthz, /readyz, JSON run logs, the daily failure digest, the overview."""
