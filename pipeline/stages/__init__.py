"""Reading a card: load -> find cards -> OCR -> fields. No database, no command line."""
