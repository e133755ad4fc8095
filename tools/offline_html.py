"""Render notebooks to HTML pages or reveal.js decks that work with no network.

Shared by ``build_slides.py`` and ``build_site.py``.  Three things make the HTML offline:

* every script nbconvert would take from a CDN (reveal.js, require.js, jQuery, MathJax) points
  at the pinned local copy under ``_static/`` (``vendor_web.py``);
* the templates in ``tools/templates/`` drop the two CDN-only extras we do not use (Mermaid
  diagrams and the widget manager);
* widget outputs, which need a running kernel, become a short note saying so.

``external_resources(html)`` lists whatever the page would still load from the network; the
build scripts refuse to write a page for which it is not empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import Preprocessor
from vendor_web import urls

TEMPLATES = Path(__file__).resolve().parent / "templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<div class="nnlib-widget-note" style="border-left:4px solid #0072B2;padding:0.3em 0.8em;'
    'color:#444;background:#f2f7fb"><b>Interactive widget</b> - open this lesson in '
    "JupyterLab (<code>make lab</code>) or on Binder to use it.</div>"
)


class WidgetNote(Preprocessor):
    """Replace each widget output (useless without a kernel) by a one-line note."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                data = out.get("data")
                if data and WIDGET_MIME in data:
                    out["data"] = {"text/html": WIDGET_NOTE}
        return cell, resources


def exporter(kind: str, static_prefix: str = "_static"):
    """An nbconvert exporter for ``kind`` "slides" (reveal.js deck) or "page" (lab HTML)."""
    settings = urls(static_prefix)
    common = dict(
        extra_template_basedirs=[str(TEMPLATES)],
        require_js_url=settings["require_js_url"],
        jquery_url=settings["jquery_url"],
        mathjax_url=settings["mathjax_url"],
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
    )
    if kind == "slides":
        exp = SlidesExporter(
            template_name="course_reveal",
            reveal_url_prefix=settings["reveal_url_prefix"],
            reveal_theme="white",  # the themes that @import Google fonts would need the network
            reveal_scroll=True,
            reveal_number="c/t",
            **common,
        )
    elif kind == "page":
        exp = HTMLExporter(template_name="course_lab", **common)
    else:
        raise ValueError(f"kind must be 'slides' or 'page', got {kind!r}")
    exp.register_preprocessor(WidgetNote(), enabled=True)
    return exp


_RESOURCE_PATTERNS = [
    r"<script[^>]*\ssrc=[\"']([^\"']+)",
    r"<link[^>]*\shref=[\"']([^\"']+)",
    r"<img[^>]*\ssrc=[\"']([^\"']+)",
    r"<iframe[^>]*\ssrc=[\"']([^\"']+)",
    r"\bimport\s[^;\n]*?from\s+[\"']([^\"']+)",
    r"url\(\s*[\"']?((?:https?:)?//[^\"')]+)",
    r"require\(\s*\{[^}]*\}\s*,\s*\[\s*[\"']([^\"']+)",
]


def resources_of(html: str) -> list[str]:
    """Every URL the page loads by itself: scripts, style sheets, images, frames, imports."""
    found = []
    for pattern in _RESOURCE_PATTERNS:
        found += re.findall(pattern, html, flags=re.IGNORECASE)
    return found


def external_resources(html: str) -> list[str]:
    """The resources of the page that would come from the network (should be empty)."""
    return sorted(
        {u for u in resources_of(html) if re.match(r"^(https?:)?//", u.strip(), re.IGNORECASE)}
    )


def external_resources_of_css(css_path) -> list[str]:
    """What a local style sheet would load from the network (``@import``/``url()``)."""
    text = Path(css_path).read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"url\(\s*[\"']?([^\"')]+)", text) + re.findall(
        r"@import\s+[\"']([^\"']+)", text
    )
    return sorted({u for u in found if re.match(r"^(https?:)?//", u.strip(), re.IGNORECASE)})


def offline_problems(html_path) -> list[str]:
    """Network resources of a written page and of the local style sheets it links (recursively
    through ``@import``); empty when the page works offline."""
    html_path = Path(html_path)
    html = html_path.read_text(encoding="utf-8")
    problems = external_resources(html)
    todo = [html_path.parent / u.split("?")[0] for u in resources_of(html) if ".css" in u]
    todo = [p for p in todo if not re.match(r"^(https?:)?//", str(p))]
    seen = set()
    while todo:
        css = todo.pop()
        if css in seen:
            continue
        seen.add(css)
        if not css.exists():
            problems.append(f"missing local file {css}")
            continue
        problems += [f"{css.name}: {u}" for u in external_resources_of_css(css)]
        text = css.read_text(encoding="utf-8", errors="replace")
        for imp in re.findall(r"@import\s+url\(\s*[\"']?([^\"')]+)", text):
            if not re.match(r"^(https?:)?//", imp):
                todo.append((css.parent / imp).resolve())
    return problems


def render(nb_path, out_path, kind: str, static_prefix: str = "_static") -> str:
    """Render one notebook to ``out_path``; returns the HTML.  Raises if it is not offline."""
    nb = nbformat.read(str(nb_path), as_version=4)
    html, _ = exporter(kind, static_prefix).from_notebook_node(
        nb, resources={"metadata": {"name": Path(nb_path).stem, "path": str(Path(nb_path).parent)}}
    )
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text(html, encoding="utf-8")
    bad = offline_problems(out_path)
    if bad:
        Path(out_path).unlink()
        raise RuntimeError(f"{nb_path}: the {kind} HTML would load from the network: {bad}")
    return html


def lesson_title(nb_path) -> str:
    """The text of the notebook's first ``# `` heading, else its file name."""
    nb = nbformat.read(str(nb_path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return Path(nb_path).stem


def copy_assets(nb_paths, out_dir) -> int:
    """Copy the local images that the lessons' markdown references (``![..](figures/x.png)``,
    ``<img src=...>``) next to the pages, keeping their relative paths."""
    import shutil

    n = 0
    for nb_path in nb_paths:
        nb_path = Path(nb_path)
        nb = nbformat.read(str(nb_path), as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        refs = re.findall(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", text)
        refs += re.findall(r"<img[^>]*\ssrc=[\"']([^\"']+)", text, flags=re.IGNORECASE)
        for ref in refs:
            if re.match(r"^([a-z]+:|/|#)", ref, flags=re.IGNORECASE):
                continue  # absolute, data: or attachment: - nothing to copy
            src = (nb_path.parent / ref).resolve()
            if src.is_file():
                dest = Path(out_dir) / ref
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
                n += 1
    return n


def write_index(out_dir, entries, title: str, intro: str) -> Path:
    """A plain index page: ``entries`` is a list of (href, text)."""
    import html

    items = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(text)}</a></li>'
        for href, text in entries
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #222; }}
a {{ color: #0072B2; }}
li {{ margin: 0.3em 0; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{intro}</p>
<ol class="lessons">
{items}
</ol>
</body>
</html>
"""
    out = Path(out_dir) / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
