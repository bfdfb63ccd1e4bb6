"""Draw the share image that link previews show for DAKS pages without an image of their own.

    .venv/bin/python scripts/make_share_image.py

Writes daks/core/static/daks/img/share.png (1200 × 630, the Open Graph size). The bars repeat the logo
(daks/core/static/daks/img/logo.svg); the text is set in DejaVu Sans (Debian's fonts-dejavu-core, free licence).
Run it again after changing the logo colours or the wording, and commit the PNG.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
PETROL, WHITE, AMBER = "#0b5a7a", "#ffffff", "#ffbf47"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parent.parent / "daks/core/static/daks/img/share.png"


def main() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), PETROL)
    draw = ImageDraw.Draw(image)
    # The logo's four rising bars (viewBox 40 × 40), scaled by 8 and placed on the left.
    scale, left, top = 8, 60, 155
    for x, y, width, height, colour in (
        (7, 22, 5, 11, WHITE),
        (14, 16, 5, 17, WHITE),
        (21, 11, 5, 22, WHITE),
        (28, 6, 5, 27, AMBER),
    ):
        draw.rectangle(
            (left + x * scale, top + y * scale, left + (x + width) * scale - 1, top + (y + height) * scale - 1),
            fill=colour,
        )
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 150)
    regular = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 40)
    small = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 30)
    draw.text((420, 170), "DAKS", font=bold, fill=WHITE)
    draw.text((425, 350), "Demografie-Assistenz für", font=regular, fill=WHITE)
    draw.text((425, 400), "kommunale Strategien", font=regular, fill=WHITE)
    draw.text((425, 480), "Werkzeugkoffer · Netzwerk · Demografiedaten", font=small, fill=AMBER)
    image.save(TARGET, optimize=True)
    print(f"wrote {TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET}")


if __name__ == "__main__":
    main()
