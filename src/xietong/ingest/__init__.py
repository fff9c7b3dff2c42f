"""Reading analysts' files (CSV, XLSX, JSON Lines) and mapping them to records."""
