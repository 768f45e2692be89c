"""The clinic's date formats (settings.FORMAT_MODULE_PATH), used by the admin and templates."""
