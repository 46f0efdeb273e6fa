"""The two YAML quoting traps get messages that name the cause and the fix (#20)."""

from __future__ import annotations

from drillsim.simulator.loading import check_text

HEAD = """\
id: q
title: Q
category: capacity
severity: SEV3
summary: S
duration: 10m
metrics:
  m: {baseline: 1}
actions:
  - {id: a, label: A, role: crisis-lead}
"""


def _messages(text: str) -> list[str]:
    model, problems = check_text(text, "q.yaml")
    assert model is None
    return [str(p) for p in problems]


def test_comma_inside_braces_names_the_cause_and_the_fix() -> None:
    text = HEAD + (
        "lessons:\n"
        "  - {when: {action: a}, finding: rising, growing forecast error, corrective_action: x, owner: crisis-lead}\n"
    )
    (message,) = _messages(text)
    assert message.startswith("q.yaml:12:42: lessons[0]: unknown key 'growing forecast error' with no value")
    assert "quote text that contains ', ' inside {...}" in message


def test_a_misspelt_key_on_its_own_line_is_still_a_typo() -> None:
    text = HEAD.replace(
        "  - {id: a, label: A, role: crisis-lead}\n", "  - id: a\n    label: A\n    role: crisis-lead\n"
    )
    (message,) = _messages(text + "    lable:\n")
    assert "unknown key 'lable' (did you mean 'label'?)" in message


def test_colon_in_a_list_item_names_the_cause_and_the_fix() -> None:
    text = HEAD + "injects:\n  - id: i\n    at: 1m\n    text: hello\n    discussion:\n      - Ask: who is the lead?\n"
    (message,) = _messages(text)
    assert message.startswith("q.yaml:16:9: injects[0].discussion[0]: expected text; got a mapping")
    assert "quote text that contains ': '" in message and '"Ask: who is the lead?"' in message
