"""The main window: its docks, menus, status bar and output (export, preflight)."""
