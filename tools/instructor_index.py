"""Refresh the lesson table of docs/instructor/README.md from notebooks/ and docs/instructor/.

    python tools/instructor_index.py          # rewrite the table between the markers
    python tools/instructor_index.py --check  # exit 1 if the table is out of date

The table sits between ``<!-- lessons:begin -->`` and ``<!-- lessons:end -->``: one row per
lesson notebook with its title and a link to its instructor page ``docs/instructor/NN_name.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import offline_html

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "docs" / "instructor" / "README.md"
BEGIN, END = "<!-- lessons:begin -->", "<!-- lessons:end -->"


def table() -> str:
    rows = ["| # | Lesson | Instructor page |", "| --- | --- | --- |"]
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title = offline_html.lesson_title(nb)
        title = title.split("—", 1)[-1].strip() if "—" in title else title
        page = README.parent / f"{nb.stem}.md"
        link = f"[{page.name}]({page.name})" if page.exists() else "(not written yet)"
        rows.append(f"| {nb.stem[:2]} | [{title}](../../notebooks/{nb.name}) | {link} |")
    return "\n".join(rows)


def refreshed(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    old = README.read_text(encoding="utf-8")
    new = refreshed(old)
    if "--check" in sys.argv:
        sys.exit(0 if new == old else "docs/instructor/README.md: lesson table out of date")
    README.write_text(new, encoding="utf-8")
    print(table())
