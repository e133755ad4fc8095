"""Lesson 12's decoding "Try it": a temperature slider and a top-k slider on a trained language
model (:func:`decoding_explorer`), with the maths of :mod:`nnlib.byhand.decoding`.  One figure
(the distribution of the first generated character, before and after the rule) updated in place,
and the continuation the rule generates as text.
"""

from __future__ import annotations

import numpy as np

from ..byhand.decoding import decode_probs, generate
from ..show.plotting import OKABE_ITO
from .base import FigureImage, check_number, release_note

__all__ = ["decoding_view", "decoding_explorer"]


def decoding_view(next_logits, prompt_ids, temperature=1.0, top_k=None, n=60, seed=0):
    """What the widget shows, as plain values: ``(model_probs, rule_probs, new_ids)`` - the
    model's own distribution of the character after the prompt (temperature 1, all
    characters), the one the rule samples from, and ``n`` characters generated with the rule."""
    temperature = check_number(temperature, "temperature")
    logits = np.asarray(next_logits(list(np.asarray(prompt_ids).ravel())), dtype=np.float64)
    new_ids = generate(next_logits, prompt_ids, n, temperature, top_k, seed)
    return decode_probs(logits), decode_probs(logits, temperature, top_k), new_ids


def decoding_explorer(next_logits, vocab, prompt_ids, n=60, shown=12, temperature=1.0, top_k=0):
    """Sliders for the temperature (0 = greedy, up to 2) and top-k (0 = no limit) over a trained
    model (``next_logits(ids) -> logits`` of the character after ``ids``); ``vocab`` decodes
    ids (``.decode``, ``.chars``).  The figure shows the ``shown`` characters the model finds most
    likely after the prompt: their probability under the model (outlined) and under the rule
    (filled); the text box shows ``n`` characters generated with the rule (seed 0).

    Returns an ``ipywidgets.VBox``; ``box.view`` is the :class:`FigureImage`, ``box.text`` the
    ``HTML`` with the continuation, ``box.controls`` ``{"temperature", "top_k"}``,
    ``box.update(temperature, top_k)`` redraws (what the sliders call).
    """
    import html

    import ipywidgets as widgets

    prompt_ids = [int(i) for i in np.asarray(prompt_ids).ravel()]
    model_p, _, _ = decoding_view(next_logits, prompt_ids, n=0)
    order = np.argsort(-model_p, kind="stable")[:shown]
    labels = [repr(vocab.chars[i])[1:-1].replace(" ", "␣") for i in order]
    xs = np.arange(len(order))

    view = FigureImage((7.5, 3.4))
    view.fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.17)
    ax = view.fig.add_subplot()
    ax.bar(xs, model_p[order], 0.8, fill=False, edgecolor="black", linewidth=1.5,
           label="model (T = 1, all characters)")  # fmt: skip
    rule_bars = ax.bar(xs, np.zeros(len(xs)), 0.55, color=OKABE_ITO[1], hatch="//",
                       label="after temperature and top-k")  # fmt: skip
    ax.set_xticks(xs, labels)
    ax.set(xlabel="next character (␣ = space, \\n = new line)", ylabel="probability",
           ylim=(0, 1.05))  # fmt: skip
    ax.set_title(" ")
    ax.legend(loc="upper right", fontsize="small")
    view.animate(*rule_bars, ax.title)
    text = widgets.HTML().add_class("nnlib-decoding-text")
    prompt_tail = vocab.decode(prompt_ids[-40:])

    def update(temperature=temperature, top_k=top_k):
        k = None if top_k == 0 else int(top_k)
        _, rule_p, new_ids = decoding_view(next_logits, prompt_ids, temperature, k, n)
        for rect, p in zip(rule_bars, rule_p[order]):
            rect.set_height(p)
        rule = "greedy" if temperature == 0 else f"T = {temperature:.1f}"
        rule += ", all characters" if k is None else f", top-{k}"
        ax.title.set_text(f"Next character after the prompt: {rule}")
        view.refresh(alt=f"The most likely next character gets {rule_p.max():.0%} under {rule}.")
        text.value = (
            f"<pre style='white-space: pre-wrap'>…{html.escape(prompt_tail)}<b>"
            f"{html.escape(vocab.decode(new_ids))}</b></pre>"
        )
        return new_ids

    t_slider = widgets.FloatSlider(value=temperature, min=0.0, max=2.0, step=0.1,
                                   description="temperature", continuous_update=False)  # fmt: skip
    k_slider = widgets.IntSlider(value=top_k, min=0, max=len(vocab.chars), step=1,
                                 description="top-k (0: all)", continuous_update=False)  # fmt: skip
    box = widgets.interactive(update, temperature=t_slider, top_k=k_slider)
    release_note(box)
    out = widgets.VBox([box, view.image, text]).add_class("nnlib-decoding-explorer")
    out.view, out.text, out.update = view, text, update
    out.controls = {"temperature": t_slider, "top_k": k_slider}
    return out
