"""Plain-text explanations of verdicts, for `wirewatch rules test` and chat commands.

    idlib-escalation: FIRES -> console [high]
      when:
        + all of:
          + countries Turkey, Syria: Turkey ("Turkish soldiers"), Syria
          + any of:
            + fatalities >= 5: 8 killed
            - people Sergey Lavrov (people named: Recep Tayyip Erdoğan)
      unless:
        - keywords football (not found)

`+` marks a condition that held, `-` one that did not; a held leaf lists what matched,
a failed leaf what the story had instead.
"""

from __future__ import annotations

from bot.core.rules.model import AllOf, AnyOf, NoneOf, Outcome, Verdict, describe

_COMBINATOR_WORDS = {AllOf: "all of", AnyOf: "any of", NoneOf: "none of"}


def verdict_lines(verdict: Verdict, indent: str = "") -> list[str]:
    """The explanation of one verdict, one line per condition."""
    rule = verdict.rule
    if verdict.fired:
        head = f"{rule.name}: FIRES -> {', '.join(rule.channels)} [{rule.priority}]"
    else:
        head = f"{rule.name}: no"
    lines = [indent + head, f"{indent}  when:"]
    lines.extend(outcome_lines(verdict.when, indent + "    "))
    if verdict.unless is not None:
        lines.append(f"{indent}  unless:")
        lines.extend(outcome_lines(verdict.unless, indent + "    "))
    return lines


def outcome_lines(outcome: Outcome, indent: str) -> list[str]:
    """One line for `outcome`, then its children indented below it."""
    mark = "+" if outcome.held else "-"
    condition = outcome.condition
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        lines = [f"{indent}{mark} {_COMBINATOR_WORDS[type(condition)]}:"]
        for child in outcome.children:
            lines.extend(outcome_lines(child, indent + "  "))
        return lines
    text = f"{indent}{mark} {describe(condition)}"
    if outcome.held:
        text += ": " + ", ".join(r.describe() for r in outcome.reasons)
    elif outcome.note:
        text += f" ({outcome.note})"
    return [text]
