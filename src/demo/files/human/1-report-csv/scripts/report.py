#!/usr/bin/env python3
"""Weekly sales report: reads the order export and prints revenue per SKU.

Usage: scripts/report.py orders.jsonl [--week 2026-W40]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sale:
    sku: str
    quantity: int
    cents: int


def load_sales(path: Path, week: str | None) -> list[Sale]:
    sales = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            order = json.loads(line)
            if week and order["week"] != week:
                continue
            for item in order["items"]:
                sales.append(Sale(item["sku"], item["quantity"], item["cents"]))
    return sales


def revenue_by_sku(sales: list[Sale]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for sale in sales:
        totals[sale.sku] += sale.quantity * sale.cents
    return dict(sorted(totals.items(), key=lambda kv: kv[1], reverse=True))


def format_cents(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("orders", type=Path)
    parser.add_argument("--week")
    parser.add_argument("--csv", action="store_true", help="write CSV to stdout")
    args = parser.parse_args(argv)

    totals = revenue_by_sku(load_sales(args.orders, args.week))
    if not totals:
        print("no sales", file=sys.stderr)
        return 1
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["sku", "revenue_cents"])
        writer.writerows(totals.items())
        return 0
    width = max(len(sku) for sku in totals)
    for sku, cents in totals.items():
        print(f"{sku:<{width}}  {format_cents(cents):>12}")
    print(f"{'total':<{width}}  {format_cents(sum(totals.values())):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
