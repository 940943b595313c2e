"""The page view: zoom, pan, hit testing, mouse tools, and painting the display list."""
