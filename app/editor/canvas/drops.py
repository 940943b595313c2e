"""Files dropped on the canvas: story files become articles, pictures photos, where dropped."""

from __future__ import annotations

from pathlib import Path

from app.editor.commands.actions import IMAGE_SUFFIXES, STORY_SUFFIXES
from app.errors import PasteupError
from app.model.geometry import RectPt


class DropTarget:
    """Drag-and-drop for `PageCanvas` (a mixin: it uses the canvas's view, grid and edit actions)."""

    def _dropped_paths(self, event) -> list[Path]:
        if not event.mimeData().hasUrls():
            return []
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        return [p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES + STORY_SUFFIXES]

    def dragEnterEvent(self, event) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        x, y = self.view().to_page(event.position())
        self.drop_files(self._dropped_paths(event), x, y)
        event.acceptProposedAction()

    def drop_files(self, paths: list[Path], x: float, y: float) -> None:
        """Place story files as articles and pictures as photos at (x, y) points."""
        grid = self.grid
        for path in paths:
            rect = RectPt(
                x,
                y,
                grid.span_width(2),
                grid.depth_height(12 if path.suffix.lower() in IMAGE_SUFFIXES else 20),
            )
            try:
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    self.edit.place_image(path, rect)
                else:
                    self.edit.place_story_file(path, rect)
            except PasteupError as error:
                self.message.emit(str(error))
            y += rect.h + grid.line_pitch
