"""Test helpers (not part of the package): report checks, headless browser, demo report, test functions."""
