"""Fields from a card's OCR lines: one module per field, `fields.extract` puts them together.

Importing a field module (`pipeline.extract.phones`) loads only what that field needs; nothing here
imports OpenCV, an OCR engine or the database.
"""
