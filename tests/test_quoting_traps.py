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


def test_a_hashtag_after_a_value_is_named_as_the_comment_that_cut_it() -> None:
    """``label: Open #ai-crisis`` is the label "Open": YAML reads `` #ai-crisis`` as a comment. Six built-in
    scenarios had labels cut so ("Post in" for "Post in #company that ..."). A ``# note`` is left alone."""
    text = HEAD.replace("summary: S\n", "summary: S  # a note for the author\n") + (
        "  - id: b\n    label: Post in #company that the catalog team broke ads\n    role: crisis-lead\n"
    )
    model, problems = check_text(text, "q.yaml")
    assert model is not None  # a warning: the file is valid YAML, only not what was meant
    assert model.actions[1].label == "Post in"
    (message,) = [str(p) for p in problems]
    assert message == (
        "q.yaml:12:20: actions[1].label: warning: '#company that the catalog team broke ads' is read as a YAML "
        "comment, so this value ends before it ('Post in'); put the whole value in quotes to keep it"
    )
    quoted = text.replace("label: Post in #company that the catalog team broke ads", 'label: "Post in #company"')
    model, problems = check_text(quoted, "q.yaml")
    assert model is not None and model.actions[1].label == "Post in #company" and not problems


def test_a_hashtag_inside_braces_is_named_in_the_syntax_error() -> None:
    text = HEAD + "  - {id: b, label: Open #ai-crisis, role: crisis-lead}\n"
    (message,) = _messages(text)
    assert "did not find expected ',' or '}'" in message
    assert "on line 11, '#ai-crisis, role: crisis-lead}' is read as a YAML comment" in message


def test_the_builtin_library_has_no_value_cut_by_a_comment() -> None:
    from drillsim.simulator.library import builtin_rosters, builtin_scenarios
    from drillsim.simulator.loading import check_file

    for _, path in builtin_scenarios() + builtin_rosters():
        _, problems = check_file(path)
        assert not [str(p) for p in problems if "YAML comment" in p.message]


def test_a_hash_inside_quotes_gets_no_comment_hint() -> None:
    text = HEAD + '  - {id: b, label: "Restart #3", role: crisis-lead\n'  # the '}' is missing, not eaten
    (message,) = _messages(text)
    assert "this is not valid YAML" in message and "YAML comment" not in message


def test_yes_and_no_as_text_name_the_yaml_rule() -> None:
    """YAML 1.1 reads a bare ``No`` as false: the label is not text, and the message says why."""
    text = HEAD.replace("label: A,", "label: No,")
    (message,) = _messages(text)
    assert message.startswith("q.yaml:10:20: actions[0].label: expected text; got false: YAML reads a bare yes, no")
    assert 'put the text in quotes, e.g. "No"' in message
