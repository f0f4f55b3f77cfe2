"""Charts for the report, drawn as PNG images with an Indonesian alt text.

Figures are built with :class:`matplotlib.figure.Figure` and rendered by the
Agg canvas directly, inside :func:`matplotlib.rc_context`: no pyplot, no
backend switch and no change to the notebook's matplotlib settings. The PNG is
reduced to a 64-colour palette, a third of the bytes for the same picture. Each
chart comes back as a :class:`Chart` holding the PNG bytes (for the email's
``cid:`` parts) and an alt text that nbconvert writes into the ``<img alt>``.

Status colours are the same everywhere, and every colour also has a word in
the legend and numbers on the bars, for readers who cannot tell them apart.
"""

from __future__ import annotations

import base64
import io
import struct
import textwrap
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from qlue_helpers.canonical import STATUSES
from qlue_helpers.display.format import DisplayError, number

STATUS_COLORS = {"merah": "#d64541", "kuning": "#f0b429", "hijau": "#2f9e44"}
STATUS_LABELS = {
    "merah": "Menunggu (merah)",
    "kuning": "Proses (kuning)",
    "hijau": "Selesai (hijau)",
}
STATUS_WORDS = {"merah": "menunggu", "kuning": "proses", "hijau": "selesai"}
POSITIVE_COLOR = "#3b6ea8"
NEGATIVE_COLOR = "#8c6d5a"
FIGURE_WIDTH = 6.4
DPI = 110
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PALETTE_COLORS = 64

_TEXT_COLOR = "#1f2328"
_STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 13,
    "xtick.labelsize": 13,
    "ytick.labelsize": 14,
    "legend.fontsize": 13,
    "figure.titlesize": 15,
    "figure.titleweight": "bold",
    "figure.facecolor": "white",
    "text.color": _TEXT_COLOR,
    "axes.labelcolor": _TEXT_COLOR,
    "axes.edgecolor": "#8c959f",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "axes.axisbelow": True,
    "grid.color": "#e1e4e8",
    "xtick.color": "#57606a",
    "ytick.color": _TEXT_COLOR,
    "ytick.left": False,
}
_NO_DITHER = Image.Dither.NONE
_TITLE_WIDTH = 50
_CHAR_SHARE = 0.023
"""Share of the longest bar one digit of a 12 pt segment label takes."""


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes plus the text that describes it.

    Attributes
    ----------
    png : bytes
        The PNG file, e.g. to attach to an email as a ``cid:`` part.
    alt : str
        Indonesian description for readers who cannot see the image.
    """

    png: bytes
    alt: str

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the image in pixels."""
        width, height = struct.unpack(">II", self.png[16:24])
        return width, height

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        width, height = self.size
        data = {
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.alt,
        }
        metadata = {"image/png": {"alt": self.alt, "width": width, "height": height}}
        return data, metadata


def status_by_unit(frame: pd.DataFrame, unit_column: str, title: str) -> Chart:
    """Draw merah, kuning and hijau counts per unit as stacked horizontal bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, with columns `unit_column`, ``merah``, ``kuning`` and
        ``hijau`` (counts of reports).
    unit_column : str
        The column naming the units, e.g. ``"kecamatan"``; also the word used
        for the units in the alt text.
    title : str
        Shown above the chart and at the start of the alt text.

    Returns
    -------
    Chart
        Units sorted by their total, the largest on top, each segment and
        total labelled with its count.

    Raises
    ------
    DisplayError
        If a column is missing or a count is negative.
    """
    data = _status_counts(frame, unit_column)
    if data.empty:
        return _empty_chart(title)

    with matplotlib.rc_context(_STYLE):
        figure = _figure(len(data))
        axes = figure.add_subplot()
        _draw_stacks(axes, data, unit_column)
        _status_legend(figure)
        _finish(figure, axes, title, "Jumlah laporan")
        png = _png(figure)
    return Chart(png, _status_alt(data, unit_column, title))


def ranking_bars(frame: pd.DataFrame, top: int = 10, title: str | None = None) -> Chart:
    """Draw the points of the best and worst kelurahan as labelled bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``kelurahan``, ``points`` and ``rank``, sorted by rank.
    top : int, default 10
        How many kelurahan to show at each end; all are shown when there are
        no more than ``2 * top``.
    title : str, optional
        Defaults to "Poin kelurahan: 10 teratas dan 10 terbawah" (or "Poin
        semua kelurahan" when all are shown).

    Returns
    -------
    Chart
        One bar per kelurahan, labelled "rank. name" and with its points;
        negative points point left.

    Raises
    ------
    DisplayError
        If a column is missing or `top` is below 1.
    """
    data = _ranking_rows(frame, top)
    title = title or _ranking_title(len(data), top)
    if data.empty:
        return _empty_chart(title)

    shown = _ends(data, top)
    with matplotlib.rc_context(_STYLE):
        figure = _figure(len(shown))
        axes = figure.add_subplot()
        _draw_ranking(axes, shown, hidden=len(data) - len(shown) + 1)
        _finish(figure, axes, title, "Poin")
        png = _png(figure)
    return Chart(png, _ranking_alt(data, shown, title))


def _require(frame: pd.DataFrame, columns: list[str], chart: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DisplayError(
            f"{chart} needs the columns {columns}; {missing} are missing "
            f"(got {list(frame.columns)}). Rename or compute them first."
        )


def _status_counts(frame: pd.DataFrame, unit_column: str) -> pd.DataFrame:
    _require(frame, [unit_column, *STATUSES], "status_by_unit")
    data = frame[[unit_column, *STATUSES]].copy()
    data[list(STATUSES)] = data[list(STATUSES)].fillna(0).astype("int64")
    if (data[list(STATUSES)] < 0).any().any():
        raise DisplayError(
            "status_by_unit expects counts of zero or more; some are negative. "
            "Check how the counts were computed."
        )

    data["total"] = data[list(STATUSES)].sum(axis=1)
    return data.sort_values(["total", unit_column], ascending=[True, False])


def _figure(rows: int) -> Figure:
    # Title, axis label and legend need about 2.6 inches whatever the rows.
    return Figure(
        figsize=(FIGURE_WIDTH, max(2.6, 0.4 * rows + 1.2)), layout="constrained"
    )


def _draw_stacks(axes: Any, data: pd.DataFrame, unit_column: str) -> None:
    positions = range(len(data))
    largest = data["total"].max()
    left = pd.Series(0, index=data.index)

    for status in STATUSES:
        counts = data[status]
        bars = axes.barh(
            positions,
            counts,
            left=left,
            color=STATUS_COLORS[status],
            height=0.72,
            label=STATUS_LABELS[status],
        )
        labels = [_segment_label(v, largest) for v in counts]
        ink = _TEXT_COLOR if status == "kuning" else "white"
        axes.bar_label(bars, labels=labels, label_type="center", color=ink, size=12)
        left = left + counts

    for y, total in enumerate(data["total"]):
        axes.text(total, y, f" {number(total)}", va="center", ha="left", size=13)
    axes.set_yticks(positions, data[unit_column].astype(str).tolist())
    axes.margins(x=0.1, y=0.02)


def _segment_label(count: int, largest: int) -> str:
    text = number(count)
    fits = count > 0 and count / largest >= _CHAR_SHARE * (len(text) + 0.5)
    return text if fits else ""


def _status_legend(figure: Figure) -> None:
    figure.legend(
        loc="outside lower left",
        ncols=3,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.2,
    )


def _finish(figure: Figure, axes: Any, title: str, xlabel: str) -> None:
    # Counts are whole: no ticks between them, even when the bars are short.
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x)))
    axes.set_xlabel(xlabel)
    axes.tick_params(axis="y", length=0)
    figure.suptitle(_wrap(title), x=0.01, ha="left")


def _wrap(title: str) -> str:
    return textwrap.fill(title, _TITLE_WIDTH, break_on_hyphens=False)


def _png(figure: Figure) -> bytes:
    # Drawn straight into memory: no PNG is encoded only to be decoded again.
    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(DPI)
    canvas.draw()
    picture = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])

    # Charts have few colours: a 64-colour palette keeps them sharp at about a
    # third of the bytes, which matters for an emailed report read on a phone.
    palette = picture.quantize(PALETTE_COLORS, dither=_NO_DITHER)
    packed = io.BytesIO()
    palette.save(packed, format="PNG", optimize=True)
    return packed.getvalue()


def _empty_chart(title: str) -> Chart:
    message = "Tidak ada laporan pada periode ini."
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(FIGURE_WIDTH, 1.6), layout="constrained")
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.text(0.5, 0.5, message, ha="center", va="center", size=14)
        figure.suptitle(_wrap(title), x=0.01, ha="left")
        png = _png(figure)
    return Chart(png, f"{title}. {message}")


def _status_alt(data: pd.DataFrame, unit_column: str, title: str) -> str:
    largest = data.iloc[::-1].head(3)
    described = "; ".join(
        f"{row[unit_column]}: {number(row['total'])} laporan ("
        + ", ".join(f"{number(row[s])} {STATUS_WORDS[s]}" for s in STATUSES)
        + ")"
        for _, row in largest.iterrows()
    )
    return (
        f"{title}. Diagram batang bertumpuk untuk {len(data)} {unit_column}: "
        "jumlah laporan menunggu (merah), proses (kuning) dan selesai (hijau), "
        f"diurutkan dari yang terbanyak. Total {number(data['total'].sum())} "
        f"laporan. Terbanyak: {described}."
    )


def _ranking_rows(frame: pd.DataFrame, top: int) -> pd.DataFrame:
    _require(frame, ["kelurahan", "points", "rank"], "ranking_bars")
    if top < 1:
        raise DisplayError(
            f"ranking_bars needs top of 1 or more, got {top}. "
            "Pass how many kelurahan to show at each end, e.g. top=10."
        )
    return frame[["kelurahan", "points", "rank"]].reset_index(drop=True)


def _ranking_title(count: int, top: int) -> str:
    if count <= 2 * top:
        return "Poin semua kelurahan"
    return f"Poin kelurahan: {top} teratas dan {top} terbawah"


def _ends(data: pd.DataFrame, top: int) -> pd.DataFrame:
    shown = data.assign(gap=False)
    if len(data) <= 2 * top:
        return shown
    gap = pd.DataFrame({"kelurahan": [""], "points": [0], "rank": [0], "gap": [True]})
    return pd.concat([shown.head(top), gap, shown.tail(top)], ignore_index=True)


def _draw_ranking(axes: Any, shown: pd.DataFrame, hidden: int) -> None:
    bars = shown.loc[~shown["gap"]]
    points = bars["points"].astype(float)
    colors = [POSITIVE_COLOR if p >= 0 else NEGATIVE_COLOR for p in points]

    drawn = axes.barh(bars.index, points, color=colors, height=0.72)
    axes.bar_label(drawn, labels=[number(p) for p in points], padding=3, size=13)
    axes.axvline(0, color="#57606a", linewidth=1)
    _gap_note(axes, shown, hidden)

    names = [
        "" if row.gap else f"{number(row.rank)}. {row.kelurahan}"
        for row in shown.itertuples()
    ]
    axes.set_yticks(range(len(shown)), names)
    axes.set_ylim(len(shown) - 0.5, -0.5)
    axes.margins(x=0.14)


def _gap_note(axes: Any, shown: pd.DataFrame, hidden: int) -> None:
    gaps = shown.index[shown["gap"]]
    if gaps.empty:
        return
    axes.text(
        0.5,
        gaps[0],
        f"… {number(hidden)} kelurahan lain …",
        transform=axes.get_yaxis_transform(),
        ha="center",
        va="center",
        size=13,
        color="#57606a",
    )


def _ranking_alt(data: pd.DataFrame, shown: pd.DataFrame, title: str) -> str:
    def listing(rows: pd.DataFrame) -> str:
        return ", ".join(
            f"{number(row.rank)}. {row.kelurahan} ({number(row.points)} poin)"
            for row in rows.itertuples()
        )

    count = int((~shown["gap"]).sum())
    return (
        f"{title}. Diagram batang poin {count} dari {len(data)} kelurahan, "
        "diurutkan menurut peringkat. "
        f"Teratas: {listing(data.head(3))}. Terbawah: {listing(data.tail(3))}."
    )
