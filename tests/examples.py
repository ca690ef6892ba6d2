"""The shared table of examples: questions about the Lexington waiver, with expected verdicts.

Every test that needs cases imports them from here (STYLE.md, rule 9). Each
expected value comes from reading the agreement itself,
``/work/shared/agreements/lexington-congress-2003-waiver.txt`` (SEC exhibit
10-8), never from running the engine; the comment on each example quotes the
words that decide it.

Two kinds of example:

* ``formula is None``: a question of ``specs/lexington-2003-waiver.yaml``,
  named by its id (every question and invariant of the spec is here);
* ``formula`` set: an ad-hoc question a lawyer might type into
  ``clausecheck ask``, answered against the same spec.

Fields:

* ``verdict``: ``yes``, ``no`` or ``depends`` across every reading;
* ``cites``: clauses that any ``no`` of ``can`` (or ``yes`` of ``must``)
  must cite; the answer may cite more, as the spec assigns definitions to
  clauses (``waiver_active`` is defined under paragraph 2, for instance);
* ``turns_on``: for a ``depends``, the one reading that decides it, with the
  verdict under each of its options (the other readings make no difference);
* ``fewest_events``: for an answer with a witness (``yes`` of ``can``, ``no``
  of ``must``), how many events the smallest example timeline holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SPEC = "specs/lexington-2003-waiver.yaml"
AGREEMENT = "/work/shared/agreements/lexington-congress-2003-waiver.txt"


@dataclass(frozen=True)
class Example:
    """One question with the answer the agreement's text gives it."""

    id: str
    """The spec's question or invariant id, or a new id for an ad-hoc question."""
    verdict: str
    """``yes``, ``no`` or ``depends``."""
    formula: str | None = None
    """``can …``/``must …`` text for an ad-hoc question; None for the spec's own question."""
    kind: str = "question"
    """``question`` or ``invariant`` (an invariant is a ``must``)."""
    cites: tuple[str, ...] = ()
    """Clauses the answer must cite (a subset of what it cites)."""
    turns_on: tuple[str, dict[str, str]] | None = None
    """For ``depends``: the deciding reading and the verdict under each of its options."""
    fewest_events: int | None = None
    """Events in the smallest witness, for every reading whose answer has one."""
    readings: dict[str, str] = field(default_factory=dict)
    """Readings fixed when asking (none: every combination)."""

    @property
    def adhoc(self) -> bool:
        return self.formula is not None


# ---------------------------------------------------------------- the spec's own questions

SPEC_QUESTIONS: tuple[Example, ...] = (
    # ¶2: "The foregoing waivers shall be automatically rescinded ... in the event that
    # the holder of any Other Indebtedness or trustee in respect thereof seeks to
    # accelerate the maturity of any such Other Indebtedness".
    Example("active-after-acceleration", "no", cites=("2",)),
    # ¶2: "... or to enforce or exercise any remedies in respect thereto."
    Example("active-after-remedies", "no", cites=("2",)),
    # ¶2 names only "the holder of any Other Indebtedness or trustee in respect thereof";
    # Congress accelerating the Financing Agreements is no trigger. One event: that act.
    Example("congress-acceleration", "yes", fewest_events=1),
    # ¶1: "waives, until August 11, 2003": whether "until" covers the day itself is the
    # `until` reading. Inclusive: in force on August 11 with no event at all.
    Example("active-on-aug-11", "depends", cites=("1",),
            turns_on=("until", {"exclusive": "no", "inclusive": "yes"}), fewest_events=0),
    # ¶1: "until August 11, 2003": on any reading, over by August 12.
    Example("active-on-aug-12", "no", cites=("1",)),
    # ¶3: "This Agreement shall be deemed effective as of July 9, 2003."
    Example("active-before-effective", "no", cites=("3",)),
    # ¶1 ends the waiver at a fixed date and ¶2 rescinds it for good; nothing revives it.
    Example("no-revival", "no", cites=("1", "2")),
    # ¶1: "any Event of Default resulting solely from the failure of the LPC to pay";
    # ¶5: "no other or further ... waiver ... is implied".
    Example("mixed-cause", "no", cites=("1", "5")),
    # ¶1 waives only non-payment of the Other Indebtedness; ¶5 implies no other waiver.
    Example("other-default", "no", cites=("1", "5")),
    # ¶2: "automatically rescinded, without notice to LPC or LRG". The counterexample is
    # one triggering act and Congress's remedies with no notice, which ¶2's permission
    # allows against the background rule of notice before retraction: cited.
    Example("notice-needed", "no", cites=("2",), fewest_events=2),
    # ¶2: once a holder or trustee acts, the waiver is gone and ¶1 no longer bars
    # Congress: the trigger and the exercise of remedies, two events.
    Example("remedies-jul-20", "yes", fewest_events=2),
    # ¶1: Congress "hereby waives, until August 11, 2003" (¶3: effective July 9), and
    # with no holder or trustee acting ¶2 never rescinds it.
    Example("remedies-jul-20-quiet", "no", cites=("1", "3")),
    # ¶6(d): "binding upon ... the successors and assigns of the parties hereto".
    Example("assignee-jul-20-quiet", "no", cites=("1", "6(d)")),
    # ¶5: "LPC and LRG acknowledge that Congress may decline to, grant any other or
    # further waivers". The counterexample: one request, declined by Congress, which ¶5
    # permits against the background rule of a course of waivers: cited.
    Example("further-waiver", "no", cites=("5",), fewest_events=2),
    # ¶2 gives no date from which a holder's act counts: the `prior_acts` reading.
    Example("pre-effective-act", "depends", cites=("2",),
            turns_on=("prior_acts", {"ignored": "yes", "count": "no"}), fewest_events=1),
    # ¶1: "the failure of the LPC to pay"; the 10-1/2% Senior Note is "of LPC and LRG":
    # whether LRG's own failure is covered is the `lrg_failure` reading.
    Example("lrg-default", "depends", cites=("1",),
            turns_on=("lrg_failure", {"excluded": "no", "covered": "yes"}), fewest_events=1),
    # ¶2: "automatically rescinded": whether from the trigger on or ab initio is the
    # `rescission` reading. Prospective: one trigger leaves the earlier days waived.
    Example("retroactive-remedies", "depends", cites=("2",),
            turns_on=("rescission", {"prospective": "yes", "ab_initio": "no"}),
            fewest_events=1),
)

SPEC_INVARIANTS: tuple[Example, ...] = (
    # ¶3 "effective as of July 9, 2003" and ¶1 "until August 11, 2003".
    Example("active-inside-window", "yes", kind="invariant", cites=("1", "3")),
    # ¶2: "automatically rescinded": nothing in the Agreement un-rescinds it.
    Example("rescission-permanent", "yes", kind="invariant", cites=("2",)),
    # ¶1 waives only covered defaults, while in force; ¶5 implies no other waiver.
    Example("waived-is-covered", "yes", kind="invariant", cites=("1", "5")),
)

# ---------------------------------------------------------------- ad-hoc questions

_QUIET = ("not (exists e: SeeksAcceleration. triggering_acceleration(e)) "
          "and not (exists e: SeeksRemedies. triggering_remedies(e))")

ADHOC: tuple[Example, ...] = (
    # ¶3 "deemed effective as of July 9, 2003"; ¶1 "waives, until August 11, 2003".
    Example("active-on-jul-9", "yes", formula="can waiver_active(2003-07-09)", fewest_events=0),
    # ¶1 "until August 11, 2003": August 10 is inside the window on either reading.
    Example("active-on-aug-10", "yes", formula="can waiver_active(2003-08-10)", fewest_events=0),
    # ¶1 "until August 11, 2003": no timeline keeps it in force on August 12.
    Example("inactive-on-aug-12", "yes", formula="must not waiver_active(2003-08-12)",
            cites=("1",)),
    # ¶3 "This Agreement shall be deemed effective as of July 9, 2003."
    Example("inactive-before-effective", "yes",
            formula="must t < agreement_date implies not waiver_active(t)", cites=("3",)),
    # ¶1 + ¶6(d): an assign of Congress is bound by the waiver, which stands on July 15
    # when no holder or trustee has acted (¶2).
    Example("assignee-jul-15-quiet", "no",
            formula="can (exists r: ExercisesRemedies. r.by = congress_assignee and "
                    "r.date = 2003-07-15 and covered(r.causes) and lawful_remedies(r)) and "
                    + _QUIET,
            cites=("1", "6(d)")),
    # ¶2 "trustee in respect thereof seeks ... to enforce or exercise any remedies": by
    # July 15 the waiver of July 10's act is rescinded; ¶5 implies no other waiver.
    Example("waived-after-trustee-remedies", "no",
            formula="can exists d: EventOfDefault. exists e: SeeksRemedies. e.by = trustee "
                    "and other_indebtedness(e.of) and e.date = 2003-07-10 and "
                    "covered(d.causes) and waived(d.causes, 2003-07-15)",
            cites=("2", "5")),
    # ¶2 rescinds only for acts on "Other Indebtedness"; a holder accelerating the
    # Financing Agreements leaves the waiver standing. One event: that act.
    Example("holder-accelerates-financing", "yes",
            formula="can exists e: SeeksAcceleration. e.by = holder and "
                    "e.of = financing_agreements and e.date = 2003-07-15 and "
                    "waiver_active(2003-07-20)",
            fewest_events=1),
    # ¶2 "automatically rescinded, without notice to LPC or LRG": one trigger, no notice.
    Example("rescinded-without-notice", "yes",
            formula="can rescinded(2003-07-20) and not (exists n: Notice. n.to in {lpc, lrg})",
            fewest_events=1),
    # ¶1 waives only defaults "resulting solely from the failure of the LPC to pay";
    # ¶5 "all terms and provisions of the Financing Agreements ... remain in full force".
    Example("remedies-other-cause-jul-15", "yes",
            formula="can exists r: ExercisesRemedies. r.by = congress and "
                    "r.date = 2003-07-15 and r.causes = {other_cause} and lawful_remedies(r)",
            fewest_events=1),
    # ¶1 "until August 11, 2003": on August 12 the waiver is over on every reading.
    Example("remedies-aug-12", "yes",
            formula="can exists r: ExercisesRemedies. r.by = congress and "
                    "r.date = 2003-08-12 and covered(r.causes) and lawful_remedies(r)",
            fewest_events=1),
    # ¶1 "until August 11, 2003", with nobody acting under ¶2: Congress may act on
    # August 11 exactly when "until" excludes the day.
    Example("remedies-aug-11-quiet", "depends",
            formula="can (exists r: ExercisesRemedies. r.by = congress and "
                    "r.date = 2003-08-11 and covered(r.causes) and lawful_remedies(r)) and "
                    + _QUIET,
            cites=("1",), turns_on=("until", {"exclusive": "yes", "inclusive": "no"}),
            fewest_events=1),
    # The same question with the reading fixed, as `--reading until=inclusive` does.
    Example("remedies-aug-11-quiet-inclusive", "no",
            formula="can (exists r: ExercisesRemedies. r.by = congress and "
                    "r.date = 2003-08-11 and covered(r.causes) and lawful_remedies(r)) and "
                    + _QUIET,
            cites=("1",), readings={"until": "inclusive"}),
)

EXAMPLES: tuple[Example, ...] = SPEC_QUESTIONS + SPEC_INVARIANTS + ADHOC

# ---------------------------------------------------------------- outside the ∃*∀* fragment

# "Did LPC receive a notice on every day the waiver could be in force?" An existential
# event quantifier (exists n: Notice) under a universal time quantifier (forall s):
# outside the small-model fragment, so any "no" holds only up to a bound and must say so.
# (The honest answer is yes, with 33 notices, one a day from July 9 to August 10; a
# bounded check with fewer slots than that answers no, for its bound.)
BOUNDED_QUESTION = ("can forall s: time. (agreement_date <= s and s < waiver_until) "
                    "implies (exists n: Notice. n.to = lpc and n.date = s)")
BOUNDED_QUANTIFIER = "exists n: Notice"

# "Can two notices be more than 900 days apart?" Yes, but not both within a year of the
# spec's own dates: the witness has to be dated elsewhere in the horizon.
FAR_APART_QUESTION = "can exists e: Notice. exists f: Notice. f.date > e.date + 900"


def by_id(example_id: str) -> Example:
    """The example with this id (``KeyError`` when there is none)."""
    for example in EXAMPLES:
        if example.id == example_id:
            return example
    raise KeyError(example_id)
