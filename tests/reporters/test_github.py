"""GitHub reporter: one workflow command per finding, escaped so data cannot break out."""

from __future__ import annotations

from _fixtures import FINDING_ROWS, full_result, make_result, parse_workflow_command

from locale_guard.reporters import RenderOptions, get_reporter
from locale_guard.reporters.github import command, escape_data, escape_property, render


def _lines(result) -> list[str]:
    text = render(result, RenderOptions())
    assert text.endswith("\n")
    return text[:-1].split("\n")


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", "m", file="x.json", line=None, title="r") == "::error file=x.json,title=r::m"
    assert command("notice", "only a message") == "::notice::only a message"


def test_one_command_per_finding_error_and_notice_then_a_summary() -> None:
    result = full_result()
    lines = _lines(result)
    commands = lines[:-1]
    assert len(commands) == len(FINDING_ROWS) + len(result.errors) + len(result.warnings)
    names = [parse_workflow_command(line)[0] for line in commands[: len(FINDING_ROWS)]]
    expected = {"error": "error", "warning": "warning", "info": "notice"}
    assert names == [expected[r["severity"]] for r in FINDING_ROWS]
    assert lines[-1].startswith("locale-guard: 8 finding(s): 3 error, 2 warning, 3 info")
    assert "2 input(s) could not be read" in lines[-1]
    assert not lines[-1].startswith("::")


def test_first_finding_line_exactly() -> None:
    first = _lines(full_result())[0]
    assert first == (
        "::error file=locales/de-DE.json,line=3,col=20,endColumn=23,title=formality/informal-pronoun"
        "::[de-DE] greeting.hello: informal 'dir' in a formal locale (suggestion: Ihnen)"
    )


def test_position_properties_follow_what_is_known() -> None:
    parsed = [parse_workflow_command(line) for line in _lines(full_result())[: len(FINDING_ROWS)]]
    by_rule_locale = {(props.get("title"), msg.split("]")[0]): props for _, props, msg in parsed}
    missing_key = by_rule_locale[("coverage/missing-key", "[fr-FR")]
    assert missing_key == {"file": "locales/fr-FR.json", "title": "coverage/missing-key"}
    no_file = by_rule_locale[("coverage/missing-locale", "[it-IT")]
    assert no_file == {"title": "coverage/missing-locale"}
    no_span = by_rule_locale[("placeholders/missing", "[de-DE")]
    assert no_span == {"file": "locales/de-DE.json", "line": "7", "title": "placeholders/missing"}


def test_hostile_text_cannot_break_the_line_or_the_properties() -> None:
    text = render(full_result(), RenderOptions())
    lines = _lines(full_result())
    assert text.splitlines() == lines  # no line break of any kind inside a line
    for line in lines:
        assert "\r" not in line and "\n" not in line
    hostile = next(line for line in lines if "offensive/markup" in line)
    name, props, message = parse_workflow_command(hostile)
    assert name == "error"
    assert props["file"] == "locales/weird <dir>/en-US,a:b.json"
    assert props["line"] == "1" and props["col"] == "2"
    # CR/LF survive the round trip; other controls are shown as symbols, never raw
    assert "crlf:\r\nend" in message
    assert "ctl:\u2400\u2401\u2408\u240b\u240c\u241b\u2421\u2424 crlf" in message
    assert "\x1b" not in hostile and "\x00" not in hostile
    assert "<script>alert('x')</script>" in message


def test_input_errors_and_notices() -> None:
    lines = _lines(full_result())
    errors = [parse_workflow_command(line) for line in lines if "input error" in line]
    assert errors == [
        ("error", {"file": "locales/broken.json", "line": "3", "title": "locale-guard: input error"},
         "invalid JSON: Expecting ',' delimiter <here> & \"there\""),
        ("error", {"file": "locales/bad.po", "title": "locale-guard: input error"},
         "not UTF-8 at byte 17\nsecond line"),
    ]
    notices = [parse_workflow_command(line) for line in lines[:-1] if parse_workflow_command(line)[1].get("title") == "locale-guard"]
    assert notices == [("warning", {"file": "locales/pt_BR.json", "title": "locale-guard"},
                        "locale 'pt_BR' read as 'pt-BR' (underscore)")]


def test_no_findings_prints_only_the_summary() -> None:
    assert _lines(make_result([], checks_run=[])) == [
        "locale-guard: 0 finding(s): 0 error, 0 warning, 0 info in 0 file(s)"
    ]


def test_reporter_is_registered() -> None:
    assert get_reporter("github").render is render
