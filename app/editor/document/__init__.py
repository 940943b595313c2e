"""One open page: the document, its undo stack and composer, and its recovery file."""
