"""Render resources/svjournal.svg into the PNG, .ico and .icns icons the installer needs.

Run `python resources/make_icons.py` after changing the SVG and commit what it writes. Qt
draws each size from the vector (sharper small icons than scaling one bitmap down); Pillow
packs them into the Windows .ico and the macOS .icns.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG = HERE / "svjournal.svg"
PNG_DIR = HERE / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size an .ico holds
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # the sizes Pillow's .icns writer packs


def render_png(size: int) -> bytes:
    """The SVG drawn at size × size pixels on a transparent background, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    PNG_DIR.mkdir(exist_ok=True)
    images: dict[int, Image.Image] = {}
    for size in PNG_SIZES:
        png = render_png(size)
        (PNG_DIR / f"svjournal-{size}.png").write_bytes(png)
        images[size] = Image.open(io.BytesIO(png)).convert("RGBA")

    ico = [images[s] for s in ICO_SIZES]
    ico[-1].save(HERE / "svjournal.ico", sizes=[(s, s) for s in ICO_SIZES], append_images=ico)
    icns = [images[s] for s in ICNS_SIZES]
    icns[-1].save(HERE / "svjournal.icns", append_images=icns[:-1])
    del app
    print(f"wrote {len(PNG_SIZES)} PNGs in {PNG_DIR.name}/, svjournal.ico and svjournal.icns")


if __name__ == "__main__":
    main()
