"""Contacts out of the database: vCard 3.0/4.0, Google and Outlook CSV, JSON, and an iCalendar of reminders."""
