"""Colours and font sizes for charts: light, dark or derived from the app's palette."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

# Okabe & Ito (2008): eight colours that stay distinct with the common colour-vision
# deficiencies. Everything categorical in the charts draws from this list.
OKABE_ITO: Final = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)

# The same colours as the stage chips in the app (ui/pages/common.py), so a stage reads the
# same on a case page, on the dashboard and in a printed report.
STAGE_COLOURS: Final = MappingProxyType(
    {
        1: OKABE_ITO["vermillion"],
        2: OKABE_ITO["orange"],
        3: OKABE_ITO["yellow"],
        4: OKABE_ITO["sky_blue"],
        5: OKABE_ITO["blue"],
        6: OKABE_ITO["bluish_green"],
    }
)
OUTCOME_COLOURS: Final = MappingProxyType(
    {
        "dropping_out": OKABE_ITO["reddish_purple"],
        "surviving": OKABE_ITO["sky_blue"],
        "thriving": OKABE_ITO["bluish_green"],
    }
)
TIER_COLOURS: Final = MappingProxyType(
    {1: OKABE_ITO["sky_blue"], 2: OKABE_ITO["blue"], 3: OKABE_ITO["reddish_purple"]}
)
FOLLOW_UP_COLOURS: Final = MappingProxyType(
    {
        "on_time": OKABE_ITO["bluish_green"],
        "late": OKABE_ITO["orange"],
        "missed": OKABE_ITO["vermillion"],
    }
)
REFERRAL_COLOURS: Final = MappingProxyType(
    {"accepted": OKABE_ITO["bluish_green"], "declined": OKABE_ITO["vermillion"]}
)
ENCOUNTER_KIND_COLOURS: Final = MappingProxyType(
    {"individual": OKABE_ITO["blue"], "group": OKABE_ITO["sky_blue"]}
)
TRIGGER_COLOUR: Final = OKABE_ITO["reddish_purple"]

_LIGHT = ("#FFFFFF", "#1A1A1A")
# The dark app palette's Base colour: dark enough that blue #0072B2 bars keep 3:1 contrast.
_DARK = ("#1E1F22", "#E6E6E6")


def _rgb(colour: str) -> tuple[float, float, float]:
    """'#rgb' or '#rrggbb' as floats in 0..1; other colour names go through matplotlib."""
    text = colour.strip()
    if text.startswith("#") and len(text) in (4, 7):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        try:
            r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
            return r, g, b
        except ValueError:
            pass
    # Lazy: named colours are rare and this module must not import matplotlib on its own.
    from matplotlib.colors import to_rgb

    return to_rgb(text)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


EDGE_CONTRAST = 4.5  # what a bar's fill or its outline reaches against the background


def blend(a: str, b: str, share_of_a: float) -> str:
    """Mix two colours; 1.0 gives `a`, 0.0 gives `b`."""
    (ar, ag, ab), (br, bg, bb) = _rgb(a), _rgb(b)
    t = share_of_a
    return _hex((ar * t + br * (1 - t), ag * t + bg * (1 - t), ab * t + bb * (1 - t)))


@dataclass(frozen=True)
class ChartStyle:
    """Everything a builder needs to colour and size a figure; build one per theme."""

    background: str
    foreground: str
    muted: str  # axis lines, secondary text, empty-state message
    grid: str  # faint value grid lines
    neutral: str  # bars with no category colour: "No stage yet", pending referrals
    accent: str  # single-series bars
    is_dark: bool
    # 10.5 pt at 100 dpi is about 15 px: the size of the app's body text at 100 % scaling.
    font_size: float = 10.5
    title_size: float = 12.5
    small_size: float = 9.5  # bar labels, legends
    dpi: float = 100.0

    @classmethod
    def from_colours(cls, background: str, foreground: str, **sizes: float) -> ChartStyle:
        """A style for any background/text pair, e.g. the GUI palette's Base and Text."""
        is_dark = relative_luminance(background) < relative_luminance(foreground)
        return cls(
            background=_hex(_rgb(background)),
            foreground=_hex(_rgb(foreground)),
            muted=blend(foreground, background, 0.68),
            grid=blend(foreground, background, 0.14),
            neutral=blend(foreground, background, 0.42),
            # Blue loses contrast on dark backgrounds; sky blue keeps it.
            accent=OKABE_ITO["sky_blue"] if is_dark else OKABE_ITO["blue"],
            is_dark=is_dark,
            **sizes,
        )

    @classmethod
    def light(cls) -> ChartStyle:
        return cls.from_colours(*_LIGHT)

    @classmethod
    def dark(cls) -> ChartStyle:
        return cls.from_colours(*_DARK)

    def stage_colour(self, stage: int | None) -> str:
        return STAGE_COLOURS.get(stage, self.neutral) if stage is not None else self.neutral

    def text_on(self, fill: str) -> str:
        """Black or white, whichever reads better on `fill` (yellow gets black text)."""
        black, white = "#000000", "#FFFFFF"
        return black if contrast_ratio(fill, black) >= contrast_ratio(fill, white) else white

    def edge_for(self, fill: str) -> str:
        """An outline that sets a bar off from the background at 4.5:1, tinted by its fill;
        none (the background) when the fill does so itself."""
        # WCAG 1.4.11 asks 3:1 of a graphic; we hold bars to the text's 4.5:1 so a low-vision
        # reader tells every bar from the page (orange or sky blue on white fall short).
        if contrast_ratio(fill, self.background) >= EDGE_CONTRAST:
            return self.background
        for share in (0.45, 0.6, 0.75, 0.9):
            edge = blend(self.foreground, fill, share)
            if contrast_ratio(edge, self.background) >= EDGE_CONTRAST:
                return edge
        return self.foreground
