"""The geometry of the statistics page's charts, drawn as inline SVG by the template (no script): one
bar chart per table of the report (a group per level, a bar per status, each bar labelled with its
status and its count) and one for the shares of the jurors' questionnaire. Each chart is followed by
its table on the page; the figures are the same."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from certeval.domain.stats import Share, StageTable

HEIGHT = 160  # drawing height of the bars (SVG units)
BAR = 26
GAP = 6
GROUP_GAP = 26
LEFT = 44
TOP = 18
COLOURS = ("#000091", "#a94645")  # blue France and a dark red: both above 3:1 on white
SHORT = {"premier": "1er", "second": "2d"}


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    value: int
    short: str
    label: str


@dataclass(frozen=True)
class Group:
    x: int
    width: int
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    base: int
    bars: tuple[Bar, ...]
    groups: tuple[Group, ...]
    maximum: int


def stage_chart(table: StageTable, levels: Mapping[str, str], degres: Mapping[str, str]) -> BarChart:
    """Bars per level, one per status (premier, second degré), scaled on the table's largest count."""
    maximum = max([v for _degre, values, _t, _r in table.rows for v in values] + [1])
    bars, groups = [], []
    x = LEFT + GROUP_GAP // 2
    for i, level in enumerate(table.levels):
        start = x
        for j, (degre, values, _total, _rate) in enumerate(table.rows):
            value = values[i]
            height = round(HEIGHT * value / maximum)
            label = f"{levels.get(level, level)}, {degres.get(degre, degre)} : {value}"
            bars.append(
                Bar(
                    x=x,
                    y=TOP + HEIGHT - height,
                    width=BAR,
                    height=height,
                    colour=COLOURS[j % len(COLOURS)],
                    value=value,
                    short=SHORT.get(degre, degre[:3]),
                    label=label,
                )
            )
            x += BAR + GAP
        groups.append(Group(x=(start + x - GAP) // 2, width=x - start, label=levels.get(level, level)))
        x += GROUP_GAP
    return BarChart(
        width=x,
        height=TOP + HEIGHT + 44,
        base=TOP + HEIGHT,
        bars=tuple(bars),
        groups=tuple(groups),
        maximum=maximum,
    )


@dataclass(frozen=True)
class ShareBar:
    y: int
    width: int
    label: str
    percent: int | None
    text: str


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    left: int
    scale: int
    bars: tuple[ShareBar, ...]


def share_chart(shares: Mapping[str, Share], labels: Mapping[str, str], rounding: str) -> ShareChart:
    """Horizontal bars, 0 to 100 %, one per topic of the questionnaire."""
    scale, left, row = 300, 250, 30
    bars = []
    for i, (topic, share) in enumerate(shares.items()):
        pct = share.percent(rounding)
        label = labels.get(topic, topic)
        text = "—" if pct is None else f"{pct} %"
        bars.append(
            ShareBar(
                y=10 + i * row,
                width=0 if pct is None else round(scale * pct / 100),
                label=label,
                percent=pct,
                text=text,
            )
        )
    return ShareChart(
        width=left + scale + 60, height=20 + len(bars) * row, left=left, scale=scale, bars=tuple(bars)
    )
