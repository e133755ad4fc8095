"""The README's `nnlib` module table is honest: every module is listed, with its real size."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NNLIB = ROOT / "nnlib"
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `(nnlib(?:\.\w+)?)` \| (\d+) \| (.+) \|$", re.M)


def lines_of(module: str) -> int:
    """`wc -l` of a module: ``nnlib`` is its ``__init__.py``; a package counts all its files."""
    if module == "nnlib":
        return len((NNLIB / "__init__.py").read_text(encoding="utf-8").splitlines())
    name = module.split(".", 1)[1]
    package = NNLIB / name
    files = sorted(package.rglob("*.py")) if (package / "__init__.py").exists() else []
    files = files or [NNLIB / f"{name}.py"]
    return sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)


def modules() -> set[str]:
    names = {"nnlib"}
    for path in NNLIB.iterdir():
        if path.suffix == ".py" and path.name != "__init__.py":
            names.add(f"nnlib.{path.stem}")
        elif path.is_dir() and (path / "__init__.py").exists():
            names.add(f"nnlib.{path.name}")
    return names


def test_every_module_has_one_row():
    rows = [m.group(1) for m in ROW.finditer(README)]
    assert len(rows) == len(set(rows)), "a module is listed twice"
    assert set(rows) == modules(), (
        f"missing from the README table: {sorted(modules() - set(rows))}; "
        f"listed but not in nnlib/: {sorted(set(rows) - modules())}"
    )


def test_line_counts_are_within_15_percent():
    wrong = []
    for m in ROW.finditer(README):
        module, stated = m.group(1), int(m.group(2))
        real = lines_of(module)
        if abs(stated - real) > 0.15 * real:
            wrong.append(f"{module}: README says {stated}, the module has {real}")
    assert not wrong, "update the README's module table: " + "; ".join(wrong)


def test_the_totals_in_the_text_are_true():
    match = re.search(
        r"About ([\d ]+) lines of Python in (\d+) modules, plus ([\d ]+) lines", README
    )
    assert match, "the README should say how large nnlib is"
    total, count, exercises = (int(g.replace(" ", "")) for g in match.groups())
    rows = {m.group(1) for m in ROW.finditer(README)}
    outside = sum(lines_of(m) for m in rows if m != "nnlib.exercises")
    assert abs(total - outside) <= 0.15 * outside, f"nnlib has {outside} lines outside exercises"
    assert abs(exercises - lines_of("nnlib.exercises")) <= 0.15 * lines_of("nnlib.exercises")
    assert count == len(rows)
    assert "one sitting;" not in README and "Small enough to read in one sitting" not in README
