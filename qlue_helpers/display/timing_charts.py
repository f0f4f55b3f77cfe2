"""Charts of response times, backlog and weekly trends.

They follow :mod:`qlue_helpers.display.charts`: plain matplotlib Figures
drawn in its style and returned as its :class:`~.charts.Chart` (PNG plus an
Indonesian alt text), phone-width, every colour backed by a word or number.

- :func:`weekly_heatmap`: kecamatan by week, reports or completion rate.
- :func:`completion_spread`: each report's completion time per kecamatan,
  reports still open drawn at their age, with the censored median.
- :func:`trend_lines`: one small panel per kecamatan over the weeks.
- :func:`backlog_bars`: the backlog per unit, stacked by age group.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from babel.dates import format_date
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from qlue_helpers.display.charts import (
    _STYLE,
    _TEXT_COLOR,
    FIGURE_WIDTH,
    NEGATIVE_COLOR,
    POSITIVE_COLOR,
    Chart,
    _empty_chart,
    _figure,
    _finish,
    _png,
    _require,
    _segment_label,
    _wrap,
)
from qlue_helpers.display.format import LOCALE, hours_label, number, percent
from qlue_helpers.figures.backlog import AGE_GROUPS
from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.timings import report_times, unit_timings

AGE_COLORS = {
    "age_0_1": "#c6dbef",
    "age_1_3": "#f4b183",
    "age_3_7": "#d9622b",
    "age_7_plus": "#7f2704",
}
"""Young to old: light to dark, so the oldest stand out."""
OPEN_COLOR = "#8c959f"
VALUES = {
    "laporan": ("Laporan masuk", "Blues"),
    "completion_rate": ("Tingkat penyelesaian", "Greens"),
    "completion_median_hours": ("Median waktu penyelesaian", "Oranges"),
}
HOUR_TICKS = {
    1 / 60: "1 menit",
    1: "1 jam",
    6: "6 jam",
    24: "1 hari",
    72: "3 hari",
    168: "1 minggu",
    720: "30 hari",
}
_MISSING_CELL = "#f0f1f3"
_DONE_STYLE = {"s": 22, "color": POSITIVE_COLOR, "alpha": 0.6, "label": "Selesai"}
_OPEN_STYLE = {
    "s": 30,
    "marker": ">",
    "color": OPEN_COLOR,
    "alpha": 0.6,
    "label": "Belum selesai (umurnya)",
}


def weekly_heatmap(
    trend: pd.DataFrame,
    value: str = "laporan",
    unit_column: str = "kecamatan",
    title: str | None = None,
) -> Chart:
    """Draw one value per unit and week as a grid of shaded, labelled cells.

    Parameters
    ----------
    trend : pandas.DataFrame
        From :func:`~qlue_helpers.figures.trends.weekly_trends`: columns
        ``period_start``, `unit_column` and `value`.
    value : {"laporan", "completion_rate", "completion_median_hours"}
        What to show; shares as percentages, hours as durations.
    unit_column : str, default "kecamatan"
        The column naming the units (rows, in the frame's order).
    title : str, optional
        Defaults to the value's name and "per minggu".

    Returns
    -------
    Chart
        Units down, weeks across (labelled by their first day); a missing
        value (no reports, or a median not known yet) is a blank "–" cell.
    """
    _require(trend, ["period_start", unit_column, value], "weekly_heatmap")
    name, colours = VALUES[value]
    title = title or f"{name} per {unit_column} per minggu"
    if trend.empty:
        return _empty_chart(title)

    grid = trend.pivot_table(
        index=unit_column,
        columns="period_start",
        values=value,
        sort=False,
        dropna=False,
    )
    with matplotlib.rc_context(_STYLE):
        figure = Figure(
            figsize=(FIGURE_WIDTH, 0.45 * len(grid) + 1.6), layout="constrained"
        )
        axes = figure.add_subplot()
        _draw_grid(axes, grid, value, colours)
        figure.suptitle(_wrap(title), x=0.01, ha="left")
        png = _png(figure)
    return Chart(png, _heatmap_alt(grid, value, unit_column, title))


def completion_spread(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    unit_column: str = "kecamatan",
    title: str = "Sebaran waktu penyelesaian per kecamatan",
) -> Chart:
    """Draw every report's completion time, one row of dots per unit.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list; its units give the rows.
    period : Period
        Reports created in it, measured at its close.
    unit_column : {"kecamatan", "kelurahan"}, default "kecamatan"
        The unit of each row.
    title : str
        Shown above the chart and at the start of the alt text.

    Returns
    -------
    Chart
        Finished reports as dots at their completion time, open ones as grey
        arrows at their age at the close (they will take at least that),
        and each unit's censored median as a black bar, on a log time axis.
    """
    times = report_times(reports, areas, period)
    if times.empty:
        return _empty_chart(title)

    units = areas[unit_column].drop_duplicates().tolist()
    with matplotlib.rc_context(_STYLE):
        figure = _figure(len(units))
        axes = figure.add_subplot()
        medians = _draw_spread(axes, times, units, unit_column)
        _hour_axis(axes, times)
        figure.legend(loc="outside lower left", ncols=3, frameon=False)
        figure.suptitle(_wrap(title), x=0.01, ha="left")
        png = _png(figure)
    return Chart(png, _spread_alt(times, medians, unit_column, title))


def trend_lines(
    trend: pd.DataFrame,
    value: str = "completion_rate",
    unit_column: str = "kecamatan",
    title: str | None = None,
) -> Chart:
    """Draw one small panel per unit: its weekly value against the others'.

    Parameters
    ----------
    trend : pandas.DataFrame
        From :func:`~qlue_helpers.figures.trends.weekly_trends`.
    value : {"laporan", "completion_rate", "completion_median_hours"}
        What to follow.
    unit_column : str, default "kecamatan"
        The column naming the units, one panel each, in the frame's order.
    title : str, optional
        Defaults to the value's name and "per minggu".

    Returns
    -------
    Chart
        Two panels a row; each unit's line in blue over every other unit's
        in light grey, with its last value written at the end.
    """
    _require(trend, ["period_start", unit_column, value], "trend_lines")
    title = title or f"{VALUES[value][0]} per minggu"
    if trend.empty:
        return _empty_chart(title)

    grid = trend.pivot_table(
        index="period_start",
        columns=unit_column,
        values=value,
        sort=False,
        dropna=False,
    ).sort_index()
    rows = math.ceil(grid.shape[1] / 2)
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(FIGURE_WIDTH, 1.7 * rows + 1.0), layout="constrained")
        panels = figure.subplots(rows, 2, sharex=True, sharey=True, squeeze=False)
        for axes, unit in zip(panels.flat, grid.columns, strict=False):
            _draw_panel(axes, grid, unit, value)
        for axes in panels.flat[grid.shape[1] :]:
            axes.set_axis_off()
        figure.suptitle(_wrap(title), x=0.01, ha="left")
        png = _png(figure)
    return Chart(png, _trend_alt(grid, value, unit_column, title))


def backlog_bars(
    summary: pd.DataFrame,
    unit_column: str = "kecamatan",
    title: str = "Tunggakan pada akhir periode menurut umur laporan",
) -> Chart:
    """Draw each unit's backlog as horizontal bars stacked by age group.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`~qlue_helpers.figures.backlog.backlog_summary`: columns
        `unit_column` and the age group counts.
    unit_column : str, default "kecamatan"
        The column naming the units.
    title : str
        Shown above the chart and at the start of the alt text.

    Returns
    -------
    Chart
        Units by backlog, the largest on top; segments from young (light) to
        old (dark), labelled with their counts where they fit.
    """
    _require(summary, [unit_column, *AGE_GROUPS], "backlog_bars")
    data = summary[[unit_column, *AGE_GROUPS]].assign(
        total=summary[list(AGE_GROUPS)].sum(axis=1)
    )
    data = data.sort_values(["total", unit_column], ascending=[True, False])
    if data.empty or data["total"].sum() == 0:
        return _note_chart(title, "Tidak ada tunggakan pada akhir periode.")

    with matplotlib.rc_context(_STYLE):
        figure = _figure(len(data))
        axes = figure.add_subplot()
        _draw_age_stacks(axes, data, unit_column)
        figure.legend(loc="outside lower left", ncols=4, frameon=False)
        _finish(figure, axes, title, "Jumlah laporan terbuka")
        png = _png(figure)
    return Chart(png, _backlog_alt(data, unit_column, title))


# --- heatmap ----------------------------------------------------------------


def _draw_grid(axes: Any, grid: pd.DataFrame, value: str, colours: str) -> None:
    values = grid.to_numpy(dtype="float64")
    low, high = (0.0, 1.0) if value == "completion_rate" else (0.0, None)
    cmap = matplotlib.colormaps[colours].with_extremes(bad=_MISSING_CELL)
    image = axes.imshow(
        np.ma.masked_invalid(values), cmap=cmap, vmin=low, vmax=high, aspect="auto"
    )

    norm = image.norm
    for (row, column), cell in np.ndenumerate(values):
        dark = not np.isnan(cell) and norm(cell) > 0.6
        axes.text(
            column,
            row,
            _cell_text(cell, value),
            ha="center",
            va="center",
            size=12,
            color="white" if dark else _TEXT_COLOR,
        )

    days = [_short_day(day).replace(" ", "\n") for day in grid.columns]
    axes.set_xticks(range(grid.shape[1]), days)
    axes.set_yticks(range(grid.shape[0]), grid.index.astype(str).tolist())
    axes.tick_params(axis="both", length=0)
    axes.tick_params(axis="x", labelsize=12)
    axes.set_xlabel("Minggu yang dimulai tanggal")
    axes.grid(False)


def _cell_text(cell: float, value: str) -> str:
    if np.isnan(cell):
        return "–"
    if value == "completion_rate":
        return percent(cell, 0)
    if value == "completion_median_hours":
        return hours_label(cell).replace(" ", "\n")
    return number(cell)


def _short_day(day: Any) -> str:
    return format_date(pd.Timestamp(day).date(), "d MMM", locale=LOCALE)


def _heatmap_alt(grid: pd.DataFrame, value: str, unit_column: str, title: str) -> str:
    last = grid.iloc[:, -1].dropna().sort_values()
    weeks = f"{_short_day(grid.columns[0])} sampai {_short_day(grid.columns[-1])}"
    text = (
        f"{title}. Peta warna {grid.shape[0]} {unit_column} kali {grid.shape[1]} "
        f"minggu, yang dimulai {weeks}; sel bertanda – berarti tidak ada nilai."
    )
    if last.empty:
        return f"{text} Minggu terakhir tidak punya nilai."
    return (
        f"{text} Minggu terakhir: tertinggi {last.index[-1]} "
        f"({_alt_value(last.iloc[-1], value)}), terendah {last.index[0]} "
        f"({_alt_value(last.iloc[0], value)})."
    )


def _alt_value(cell: float, value: str) -> str:
    if value == "completion_rate":
        return percent(cell)
    if value == "completion_median_hours":
        return hours_label(cell)
    return f"{number(cell)} laporan"


# --- spread -----------------------------------------------------------------


def _draw_spread(
    axes: Any, times: pd.DataFrame, units: list[str], unit_column: str
) -> dict[str, dict]:
    """Draw the dots of each unit; return each unit's timings."""
    jitter = np.random.default_rng(0)
    medians = {}
    for row, unit in enumerate(units):
        group = times.loc[times[unit_column] == unit]
        medians[unit] = unit_timings(group)
        done = group.loc[~group["completion_open"], "completion_hours"]
        still = group.loc[group["completion_open"], "age_hours"]
        for hours, style in ((done, _DONE_STYLE), (still, _OPEN_STYLE)):
            offsets = jitter.uniform(-0.25, 0.25, len(hours))
            label = style["label"] if row == 0 else None
            axes.scatter(
                _floor(hours), row + offsets, **{**style, "label": label}, zorder=2
            )
        _median_mark(axes, row, medians[unit], first=row == 0)

    axes.set_yticks(range(len(units)), units)
    axes.set_ylim(len(units) - 0.5, -0.5)
    axes.tick_params(axis="y", length=0)
    return medians


def _median_mark(axes: Any, row: int, figures: dict, first: bool) -> None:
    median = figures["completion_median_hours"]
    if figures["completion_median_pending"]:
        axes.text(
            1.0,
            row,
            "median belum diketahui",
            ha="right",
            va="center",
            size=12,
            color=NEGATIVE_COLOR,
            transform=axes.get_yaxis_transform(),
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"},
            zorder=4,
        )
        return
    if not np.isnan(median):
        axes.plot(
            [_floor(median)] * 2,
            [row - 0.38, row + 0.38],
            color=_TEXT_COLOR,
            linewidth=3,
            label="Median" if first else None,
            zorder=3,
        )


def _floor(hours: Any) -> Any:
    """Keep times on a log axis: anything under a minute is drawn at one."""
    return np.maximum(hours, 1 / 60)


def _hour_axis(axes: Any, times: pd.DataFrame) -> None:
    axes.set_xscale("log")
    reach = times[["completion_hours", "age_hours"]].max().max()
    ticks = [hours for hours in HOUR_TICKS if hours <= max(reach, 24) * 1.5]
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: HOUR_TICKS.get(x, "")))
    axes.tick_params(axis="x", labelsize=12, rotation=30)
    axes.set_xlabel("Waktu sejak laporan dibuat (skala log)")


def _spread_alt(
    times: pd.DataFrame, medians: dict[str, dict], unit_column: str, title: str
) -> str:
    parts = [
        f"{unit}: {number(figures['laporan'])} laporan, "
        f"{number(figures['completion_open'])} belum selesai, median "
        + (
            "belum diketahui"
            if figures["completion_median_pending"]
            else hours_label(figures["completion_median_hours"])
        )
        for unit, figures in medians.items()
        if figures["laporan"]
    ]
    return (
        f"{title}. Titik per laporan untuk {len(medians)} {unit_column}: laporan "
        "selesai pada waktu penyelesaiannya, laporan belum selesai pada umurnya "
        f"saat penutupan. Total {number(len(times))} laporan. " + "; ".join(parts) + "."
    )


# --- trend lines ------------------------------------------------------------


def _draw_panel(axes: Any, grid: pd.DataFrame, unit: str, value: str) -> None:
    steps = range(len(grid))
    for other in grid.columns:
        if other != unit:
            axes.plot(steps, grid[other], color="#d0d7de", linewidth=1)
    axes.plot(
        steps, grid[unit], color=POSITIVE_COLOR, linewidth=2.5, marker="o", markersize=4
    )

    last = grid[unit].iloc[-1]
    if not np.isnan(last):
        axes.annotate(
            _alt_value(last, value).removesuffix(" laporan"),
            (steps[-1], last),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            size=12,
            color=POSITIVE_COLOR,
        )
    axes.set_title(str(unit), size=13, loc="left")
    axes.set_xticks(
        [0, len(grid) - 1], [_short_day(grid.index[0]), _short_day(grid.index[-1])]
    )
    axes.tick_params(labelsize=12, length=0)
    axes.yaxis.set_major_formatter(FuncFormatter(_axis_formatter(value)))
    axes.set_xlim(-0.4, len(grid) - 0.1 + 0.15 * len(grid))
    axes.grid(axis="y")


def _axis_formatter(value: str) -> Any:
    if value == "completion_rate":
        return lambda y, _: percent(y, 0)
    if value == "completion_median_hours":
        return lambda y, _: hours_label(max(y, 0))
    return lambda y, _: number(y)


def _trend_alt(grid: pd.DataFrame, value: str, unit_column: str, title: str) -> str:
    def change(unit: str) -> str:
        known = grid[unit].dropna()
        if known.empty:
            return f"{unit}: tidak ada nilai"
        first, last = known.iloc[0], known.iloc[-1]
        return (
            f"{unit}: dari {_alt_value(first, value)} menjadi {_alt_value(last, value)}"
        )

    return (
        f"{title}. Grafik garis untuk {grid.shape[1]} {unit_column} selama "
        f"{len(grid)} minggu, {_short_day(grid.index[0])} sampai "
        f"{_short_day(grid.index[-1])}. " + "; ".join(map(change, grid.columns)) + "."
    )


# --- backlog ----------------------------------------------------------------


def _draw_age_stacks(axes: Any, data: pd.DataFrame, unit_column: str) -> None:
    positions = range(len(data))
    largest = data["total"].max()
    left = pd.Series(0, index=data.index)
    for key, label in AGE_GROUPS.items():
        bars = axes.barh(
            positions,
            data[key],
            left=left,
            color=AGE_COLORS[key],
            height=0.72,
            label=label,
        )
        ink = _TEXT_COLOR if key in ("age_0_1", "age_1_3") else "white"
        labels = [_segment_label(count, largest) for count in data[key]]
        axes.bar_label(bars, labels=labels, label_type="center", color=ink, size=12)
        left = left + data[key]

    for y, total in enumerate(data["total"]):
        axes.text(total, y, f" {number(total)}", va="center", ha="left", size=13)
    axes.set_yticks(positions, data[unit_column].astype(str).tolist())
    axes.margins(x=0.1, y=0.02)


def _backlog_alt(data: pd.DataFrame, unit_column: str, title: str) -> str:
    totals = ", ".join(
        f"{number(data[key].sum())} berumur {label}"
        for key, label in AGE_GROUPS.items()
    )
    largest = data.iloc[::-1].head(3)
    described = "; ".join(
        f"{row[unit_column]}: {number(row['total'])}" for _, row in largest.iterrows()
    )
    return (
        f"{title}. Diagram batang bertumpuk untuk {len(data)} {unit_column}, "
        f"menurut umur laporan. Total {number(data['total'].sum())} laporan "
        f"terbuka: {totals}. Terbanyak: {described}."
    )


def _note_chart(title: str, message: str) -> Chart:
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(FIGURE_WIDTH, 1.6), layout="constrained")
        figure.text(0.5, 0.4, message, ha="center", va="center", size=14)
        figure.suptitle(_wrap(title), x=0.01, ha="left")
        png = _png(figure)
    return Chart(png, f"{title}. {message}")
