"""Long runs over many files: a folder in worker processes, a watched inbox."""
