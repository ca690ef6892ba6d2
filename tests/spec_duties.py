"""Random obligations, releases, permits and background rules for the random specs.

``spec_gen.py`` adds these to a drawn spec, so that ``test_random_specs.py`` holds the
prover to the exhaustive reference on them too (docs/semantics.md, "Obligations,
permissions and releases"): an obligation with no trigger, one for each event of a kind,
or one for each time, with a deadline before or after its trigger, ``where`` and ``when``
conditions; a release of a kind made due; a permit beside a forbid rule; sometimes the
obligation is a background rule instead of a clause's. Their formulas nest no time
quantifier (``missed`` counts as one level, :data:`spec_formulas.DUTY_NEST`).
"""

from __future__ import annotations

import hypothesis.strategies as st
from spec_formulas import FORBID_NEST, Formulas, Scope, Vocab, iso


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def obligation(draw: st.DrawFn, vocab: Vocab, kind: str) -> str:
    """``p: K [where C] by D [for x: T] [when W]`` with a deadline around its trigger."""
    gen = Formulas(draw, vocab, calls=False, forbidden=False, nest=0, missed=False)
    trigger = draw(st.sampled_from(["none", "event", "event", "time"]))
    scope, suffix = Scope(), ""
    if trigger == "event":
        tkind = draw(st.sampled_from(sorted(vocab.kinds)))
        scope, base, suffix = Scope(events=(("x", tkind),)), "x.date", f" for x: {tkind}"
    elif trigger == "time":
        scope, base, suffix = Scope(times=("x",)), "x", " for x: time"
    else:
        base = draw(st.sampled_from([*vocab.dates, iso(draw(st.integers(1, vocab.days - 3)))]))
    shift = draw(st.integers(-2, 3))
    deadline = base if shift == 0 else f"{base} {'+' if shift > 0 else '-'} {abs(shift)}"
    where = f" where {gen.formula(1, scope.plus(events=(('p', kind),)))}" \
        if draw(st.booleans()) else ""
    when = f" when {gen.formula(1, scope)}" if draw(st.booleans()) else ""
    return f"p: {kind}{where} by {deadline}{suffix}{when}"


def obligations(draw: st.DrawFn, vocab: Vocab, clauses: int
                ) -> tuple[list[tuple[int, str]], list[str]]:
    """Obligations to add to the clauses (clause index, rule) and background rules (YAML
    lines); sets ``vocab.obliged_kinds``. Drawn before the definitions, which may then ask
    ``missed(K, t)``: an obligation calls no definition, so no duty depends on itself."""
    rules: list[tuple[int, str]] = []
    background: list[str] = []
    obliged: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(sorted(vocab.kinds)))
        obliged.append(kind)
        text = obligation(draw, vocab, kind)
        if draw(st.integers(0, 3)) == 0:
            background += [f"  - id: bg{len(background) // 3 + 1}", "    source: A rule of law.",
                           f"    oblige: {quote(text)}"]
        else:
            rules.append((draw(st.integers(0, clauses - 1)), f"oblige: {quote(text)}"))
    vocab.obliged_kinds = tuple(sorted(set(obliged)))
    return rules, background


def permissions(draw: st.DrawFn, vocab: Vocab, clauses: int, quiet: Vocab) -> list[tuple[int, str]]:
    """A release of a kind made due and permits beside the forbid rules (clause index,
    rule). ``quiet`` is the vocabulary a permit rule may call (no definition that asks
    ``forbidden``)."""
    rules: list[tuple[int, str]] = []
    if vocab.obliged_kinds and draw(st.booleans()):
        kind = draw(st.sampled_from(vocab.obliged_kinds))
        gen = Formulas(draw, vocab, calls=False, forbidden=False, nest=0, missed=False)
        text = f"{kind} when {gen.formula(1, Scope())}" if draw(st.booleans()) else kind
        rules.append((draw(st.integers(0, clauses - 1)), f"release: {quote(text)}"))
    for kind in vocab.forbidden_kinds:
        if draw(st.booleans()):
            gen = Formulas(draw, quiet, forbidden=False, nest=FORBID_NEST, judged="r.date",
                           missed=False)
            body = gen.judged(2, Scope(events=(("r", kind),)), "r.date")
            rules.append((draw(st.integers(0, clauses - 1)),
                          f"permit: {quote(f'r: {kind} when {body}')}"))
    return rules
