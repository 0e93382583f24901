"""Development tools (eval, train, benches): run from a checkout, not installed with the wheel."""
