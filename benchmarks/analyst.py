"""The script an analyst would write instead of the pipeline, for the benchmark to compare:
every file read with pandas, one table, a groupby, one workbook. No checks at all.

    python benchmarks/analyst.py FOLDER OUT.xlsx [--processes N]
"""

from __future__ import annotations

import argparse
import multiprocessing
from pathlib import Path

import pandas as pd


def read(path: Path) -> pd.DataFrame:
    frame = pd.read_excel(path, engine="calamine", header=None)
    return frame.assign(file=path.name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    files = sorted(args.folder.rglob("*.xlsx"))
    if args.processes > 1:
        with multiprocessing.Pool(args.processes) as pool:
            frames = pool.map(read, files, chunksize=64)
    else:
        frames = [read(path) for path in files]
    table = pd.concat(frames, ignore_index=True)
    # Column 1 holds the topic of a unit file; the counts are in the columns after it.
    counts = table.drop(columns=[0]).apply(pd.to_numeric, errors="coerce")
    summary = counts.groupby(table[1]).sum(numeric_only=True)
    summary.to_excel(args.out)


if __name__ == "__main__":
    main()
