"""The e-paper (数字报): each page as an image rendered from its print PDF, every article a
clickable region that opens its full text (`site.write_epaper`). Above `app.publish` in the
layers: it makes the same print PDF the plant gets."""
