"""The printable one-page handout: formulas and risk rules, every number computed by the library.

Each example row is a call to ``microfut_lib`` at the course's reference values (BTC at $70,000,
a $1,000 account, mmr 0.4 %), so the handout cannot drift from the code: change a formula and the
handout changes with it (tests/test_workshop.py recomputes the numbers and checks the page prints
on one A4 sheet). Output: ``_build/handout/handout.html`` (print it from the browser, or
``chromium --headless --print-to-pdf``).

Usage: python -m scripts.build_handout [OUT_FILE]   (``make handout``)
"""
from __future__ import annotations

import html
import importlib.metadata
import sys
from pathlib import Path

import microfut_lib as mf
from scripts import course_settings as settings

DEFAULT_OUT = settings.ROOT / "_build" / "handout" / "handout.html"
PRICE_USD = 70_000.0
ACCOUNT_USD = 1_000.0
MMR = 0.004
STOP_PCT = 2.0
LEVERAGES = (5, 10, 20, 50, 100)
RISK_FRACTIONS = (0.01, 0.02)
SIZES = ("BTC-STANDARD", "BTC-MICRO", "BTC-NANO")


def usd(value: float) -> str:
    """``$1,234.56``; a minus sign for losses.

    >>> usd(-1234.5)
    '−$1,234.50'
    """
    return ("−" if value < 0 else "") + f"${abs(value):,.2f}"


def pct(value: float, digits: int) -> str:
    """``−9.64 %`` (a true minus sign, a space before the %).

    >>> pct(-9.639, 2)
    '−9.64 %'
    """
    return ("−" if value < 0 else "") + f"{abs(value):.{digits}f} %"


def formula_rows() -> list[tuple[str, str, str]]:
    """(quantity, formula, example computed by the library) for one micro contract."""
    micro = mf.PRESETS["BTC-MICRO"]
    move = PRICE_USD * 0.9
    liq = mf.liquidation_price(PRICE_USD, 1, micro, "long", leverage=10, mmr=MMR)
    return [
        ("Notional value", "contracts × contract size × price",
         f"1 micro ({micro.contract_size:g} {micro.base}) at {usd(PRICE_USD)}: {usd(mf.notional(PRICE_USD, 1, micro))}"),
        ("Initial margin", "notional ÷ leverage",
         f"at 20x: {usd(mf.initial_margin(PRICE_USD, 1, micro, 20))}"),
        ("Maintenance margin", "notional × mmr",
         f"mmr {pct(100 * MMR, 1)}: {usd(mf.maintenance_margin(PRICE_USD, 1, micro, MMR))}"),
        ("PnL (linear, long)", "qty × size × (exit − entry); short: (entry − exit)",
         f"price −10 %: {usd(mf.pnl(PRICE_USD, move, 1, micro, 'long'))}"),
        ("Return on margin", "PnL ÷ initial margin = leverage × price move",
         f"−10 % at 10x: {pct(100 * mf.roe(PRICE_USD, move, 10, micro, 'long'), 0)}"),
        ("Liquidation price (long)", "entry × (1 − 1/L) ÷ (1 − mmr)",
         f"10x: {usd(liq)} ({pct(100 * (liq / PRICE_USD - 1), 2)}), any contract size"),
        ("Funding payment", "− notional × rate (long pays a positive rate)",
         f"+0.01 %/8 h: {usd(mf.funding_payment(PRICE_USD, 1, micro, 'long', 0.0001))} per 8 h"),
        ("Trading fee", "notional × fee rate",
         f"0.05 % taker: {usd(mf.trading_fee(PRICE_USD, 1, micro, 0.0005))}"),
        ("Risk budget", "account × risk fraction",
         f"{usd(ACCOUNT_USD)} at 1 % / 2 %: {usd(mf.risk_budget(ACCOUNT_USD, 0.01))} / "
         f"{usd(mf.risk_budget(ACCOUNT_USD, 0.02))}"),
        ("Position size", "⌊budget ÷ (size × |entry − stop|)⌋ contracts", "see the table below"),
    ]


def sizing_rows() -> list[tuple[str, list[int]]]:
    """Contracts a $1,000 account may hold with a 2 % stop, per contract size and risk rule."""
    stop = PRICE_USD * (1 - STOP_PCT / 100)
    return [(name, [int(mf.position_size(ACCOUNT_USD, r, PRICE_USD, stop, mf.PRESETS[name]))
                    for r in RISK_FRACTIONS]) for name in SIZES]


def liquidation_rows() -> list[tuple[int, float, bool]]:
    """(leverage, distance to liquidation in %, liquidated before a 2 % stop?) for a long."""
    micro = mf.PRESETS["BTC-MICRO"]
    rows = []
    for lev in LEVERAGES:
        liq = mf.liquidation_price(PRICE_USD, 1, micro, "long", leverage=lev, mmr=MMR)
        distance = (1 - liq / PRICE_USD) * 100
        rows.append((lev, distance, distance < STOP_PCT))
    return rows


RULES = [
    "Decide the loss you accept first (1–2 % of the account), then size the position from the stop.",
    "Place the stop where the trade idea is wrong; it must sit well before the liquidation price.",
    "Leverage does not change the risk of a sized trade; it changes how close liquidation is.",
    "Count fees and funding: both are charged on the notional value, not on the margin.",
    "Use isolated margin while learning: one position cannot empty the whole account.",
    "If the smallest contract is too big for the budget at your stop, do not take the trade.",
]

CSS = """
@page { size: A4; margin: 12mm; }
body { font: 10pt/1.3 system-ui, sans-serif; color: #111; margin: 0; }
h1 { font-size: 15pt; margin: 0 0 2pt; } h2 { font-size: 11.5pt; margin: 8pt 0 3pt; }
p.meta { font-size: 8pt; color: #555; margin: 0 0 6pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.5pt solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul { margin: 2pt 0; padding-left: 14pt; } li { margin: 1pt 0; }
.warn { font-weight: 600; color: #a00; }
footer { font-size: 7.5pt; color: #555; margin-top: 6pt; }
"""


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(
        f'<td{" class=num" if i in numeric else ""}>{cell}</td>' for i, cell in enumerate(row))
        + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render() -> str:
    version = importlib.metadata.version("microfut_lib")
    formulas = _table(["Quantity", "Formula", f"Example (BTC at {usd(PRICE_USD)})"],
                      [[html.escape(a), html.escape(b), html.escape(c)] for a, b, c in formula_rows()])
    sizing = _table(["Contract", "1 % risk", "2 % risk"],
                    [[name, *[str(n) for n in counts]] for name, counts in sizing_rows()], {1, 2})
    liquidation = _table(["Leverage", "Price fall to liquidation", f"Before a {STOP_PCT:g} % stop?"],
                         [[f"{lev}x", f"{dist:.2f} %",
                           '<span class="warn">yes: the stop never fires</span>' if early else "no"]
                          for lev, dist, early in liquidation_rows()], {1})
    rules = "".join(f"<li>{html.escape(r)}</li>" for r in RULES)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Micro-Futures Lab: formulas and risk rules</title>
<style>{CSS}</style></head><body>
<h1>Micro-Futures Lab: formulas and risk rules</h1>
<p class="meta">Linear USD-margined contracts, isolated margin, maintenance valued at the mark price
(Binance's convention), mmr {pct(100 * MMR, 1)}. Education, not financial advice.</p>
<h2>Formulas</h2>{formulas}
<h2>How many contracts may a {usd(ACCOUNT_USD)} account hold? (stop {STOP_PCT:g} % below a
{usd(PRICE_USD)} entry)</h2>{sizing}
<h2>Where a long is liquidated (mmr {pct(100 * MMR, 1)})</h2>{liquidation}
<h2>Risk rules</h2><ul>{rules}</ul>
<footer>Every number above is computed by microfut_lib {version} (make handout). After the article
"Micro-Futures: Starting Small in High-Leverage Markets", corrected where its math is loose.</footer>
</body></html>
"""


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
