"""The edition in the editor: one session per page (each with its own undo history), the page
navigator with live thumbnails, and continuing a story onto another page."""
