"""The window sizes every page is checked at: a common phone and a laptop."""

from typing import NamedTuple


class Viewport(NamedTuple):
    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


PHONE = Viewport(390, 844)
DESKTOP = Viewport(1280, 800)
VIEWPORTS = [PHONE, DESKTOP]
