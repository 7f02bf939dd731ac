"""Every text the console shows, in Bahasa Indonesia and English, one module per area."""
