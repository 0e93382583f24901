"""What every layer shares: the typed data between stages, the errors users see, the settings."""
