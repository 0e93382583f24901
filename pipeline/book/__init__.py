"""The contact book over models/: filing cards, dedupe, merge, edits, reminders, queries."""
