"""SVG charts for scripts/bench-pipeline.py --plot, written by hand (python3 alone, no plotting
package on the machine): RSS against collected objects, and the change -> delivery latency
distribution (empirical CDF), one line per binary and broker."""
import os
from xml.sax.saxutils import escape

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
W, H, M = 460, 300, 50  # one panel: width, height, margin


def _panel(x0, title, xlabel, ylabel, series, xmax, ymax, xticks, yticks):
    """series: [(label, colour, [(x, y)], dashed)]; returns SVG elements of one panel at x0."""
    def px(x):
        return x0 + M + (W - 2 * M) * x / xmax

    def py(y):
        return H - M + -(H - 2 * M) * y / ymax
    out = [f'<text x="{x0 + W / 2}" y="20" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
           f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(xmax)}" y2="{py(0)}" stroke="black"/>',
           f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(0)}" y2="{py(ymax)}" stroke="black"/>',
           f'<text x="{x0 + W / 2}" y="{H - 10}" text-anchor="middle">{escape(xlabel)}</text>',
           f'<text x="{x0 + 14}" y="{H / 2}" text-anchor="middle" transform="rotate(-90 {x0 + 14} {H / 2})">{escape(ylabel)}</text>']
    for value, label in xticks:
        out.append(f'<line x1="{px(value)}" y1="{py(0)}" x2="{px(value)}" y2="{py(0) + 4}" stroke="black"/>'
                   f'<text x="{px(value)}" y="{py(0) + 16}" text-anchor="middle" font-size="10">{escape(label)}</text>')
    for value in yticks:
        out.append(f'<line x1="{px(0)}" y1="{py(value)}" x2="{px(xmax)}" y2="{py(value)}" stroke="#ddd"/>'
                   f'<text x="{px(0) - 4}" y="{py(value) + 3}" text-anchor="end" font-size="10">{value:g}</text>')
    for i, (label, colour, points, dashed) in enumerate(series):
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dash = ' stroke-dasharray="5,3"' if dashed else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        if len(points) < 20:
            out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in points]
        out.append(f'<text x="{px(0) + 8}" y="{py(ymax) + 14 + 14 * i}" font-size="11" fill="{colour}">{escape(label)}</text>')
    return out


def _ticks(top, count=5):
    step = max(top / count, 1e-9)
    magnitude = 10 ** len(str(int(step))) / 10 if step >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    return [step * i for i in range(int(top / step) + 1)]


def write(path, binaries, rss_series, latencies):
    """rss_series: per binary [(objects, MiB)]; latencies: {broker: [per binary [ms...]]}."""
    names = [os.path.basename(os.path.dirname(os.path.dirname(b))) + "/" + os.path.basename(b) if b else b for b in binaries]
    names = [f"{n} ({'measured' if i == 0 else 'compare'})" for i, n in enumerate(names)]
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{2 * W}" height="{H}" fill="white"/>']
    xmax = max([n for s in rss_series for n, _ in s] or [1])
    ymax = max([m for s in rss_series for _, m in s] or [1]) * 1.15
    series = [(names[i], COLOURS[i], s, False) for i, s in enumerate(rss_series) if s]
    svg += _panel(0, "RSS against collected ConfigMaps", "collected objects", "VmRSS (MiB)", series, xmax, ymax,
                  [(n, f"{n // 1000}k" if n >= 1000 else str(n)) for n, _ in (rss_series[0] if rss_series else [])],
                  _ticks(ymax))
    series, top = [], 1.0
    for j, (broker, per_binary) in enumerate(sorted(latencies.items())):
        for i, values in enumerate(per_binary):
            ordered = sorted(values)
            if not ordered:
                continue
            top = max(top, ordered[-1])
            points = [(v, 100 * (k + 1) / len(ordered)) for k, v in enumerate(ordered)]
            series.append((f"{broker}: {names[i]}", COLOURS[(i + 2 * j) % len(COLOURS)], points, j > 0))
    svg += _panel(W, "Change → delivery latency (CDF)", "ms", "% of changes", series, top * 1.05, 100,
                  [(v, f"{v:g}") for v in _ticks(top * 1.05)], [0, 25, 50, 75, 100])
    svg.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")
