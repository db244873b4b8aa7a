"""Draw Home Brain's brand images into custom_components/home_brain/brand/ (Pillow).

    .venv/bin/python scripts/make_brand.py

icon.png 256x256 and icon@2x.png 512x512, and dark_ variants for Home Assistant's dark
theme: a house whose inside is a small network of nodes (a model that knows the home).
The PNGs are committed; rerun this only to change the drawing.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "custom_components" / "home_brain" / "brand"
# (house outline, nodes and links) per theme; the background stays transparent.
THEMES = {"": ("#1E88E5", "#43A047"), "dark_": ("#90CAF9", "#A5D6A7")}
SCALE = 4  # draw large and downsample: smooth edges without an anti-aliasing library


def draw(size: int, outline: str, accent: str) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    u = big / 16  # a 16-unit grid
    width = round(1.1 * u)
    house = [(2 * u, 7.5 * u), (8 * u, 2 * u), (14 * u, 7.5 * u), (14 * u, 14 * u), (2 * u, 14 * u)]
    pen.line([*house, house[0]], fill=outline, width=width, joint="curve")
    for x, y in house:  # round corners where the lines meet
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=outline)
    nodes = [(5 * u, 9 * u), (8 * u, 7 * u), (11 * u, 9 * u), (6.5 * u, 11.8 * u), (9.5 * u, 11.8 * u)]
    links = [(0, 1), (1, 2), (0, 3), (1, 3), (1, 4), (2, 4), (3, 4)]
    for a, b in links:
        pen.line([nodes[a], nodes[b]], fill=accent, width=round(0.45 * u))
    radius = 0.95 * u
    for x, y in nodes:
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=accent)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for prefix, (outline, accent) in THEMES.items():
        for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
            draw(size, outline, accent).save(OUT / f"{prefix}{name}", optimize=True)
            print(OUT / f"{prefix}{name}")


if __name__ == "__main__":
    main()
