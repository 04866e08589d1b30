"""Which conformance scenarios this server must pass, and which need the suite's reference fixtures.

Read from the scenario sources of the pinned `@modelcontextprotocol/conformance` (its bundled
`dist/index.js`). Many scenarios call tools, resources or prompts that only the suite's own
reference server defines (`test_simple_text`, `test://static-text`, `test_simple_prompt`, ...); a
product server cannot pass them without shipping those fixtures, so they are listed here with
the fixture each needs. Every other scenario of `--suite all` must pass. `wire-schema-valid`
(every message the server sent matches the spec's JSON schema) is enforced in all scenarios,
listed or not.
"""

from __future__ import annotations

import attrs

WIRE_SCHEMA_CHECK = "wire-schema-valid"

CORE_SCENARIOS: dict[str, str] = {
    "server-initialize": (
        "the SDK client's initialize handshake completes; a raw `initialize` POST's "
        "`Mcp-Session-Id`, if issued, is visible ASCII (0x21-0x7E); the session is then DELETEd"
    ),
    "tools-list": (
        "`tools/list` returns a `tools` array whose every tool has `name`, `description` and "
        "`inputSchema`; names SHOULD be 1-128 chars of `[A-Za-z0-9_.-]` (warning only)"
    ),
    "ping": "`ping` answers with an empty object `{}`",
    "logging-set-level": "`logging/setLevel` with `{level: info}` answers with `{}`",
    "completion-complete": (
        "`completion/complete` for `ref/prompt` `test_prompt_with_arguments`, argument `arg1` = "
        "`test`, answers with `completion.values` as an array (empty is fine; an error fails, "
        "so an unknown prompt must get an empty completion, not an error)"
    ),
    "resources-list": (
        "`resources/list` returns a `resources` array whose every entry has `uri` and `name`"
    ),
    "prompts-list": (
        "`prompts/list` returns a `prompts` array whose every entry has `name` and `description`"
    ),
    "server-sse-multiple-streams": (
        "after an SDK handshake that yields a session id (none: warning, stop), three "
        "concurrent `tools/list` POSTs on that session all get HTTP 2xx; any answered as "
        "`text/event-stream` must deliver an event within 2 s (all JSON: info). No GET stream"
    ),
    "dns-rebinding-protection": (
        "on a localhost URL only: `initialize` POSTed with `Host: evil.example.com` and "
        "`Origin: http://evil.example.com` gets 4xx; with the real `localhost:PORT` Host/Origin "
        "it gets 2xx, and so does the `notifications/initialized` that follows"
    ),
}
"""The scenarios each tested on their own, with what the pinned suite checks in each."""


@attrs.frozen
class NeedsReferenceFixtures:
    """A scenario (or some of its checks) that needs fixtures only the reference server has."""

    scenario: str
    reason: str
    checks: tuple[str, ...] = ()
    """Only these check ids are excused; empty means every check but `wire-schema-valid`."""

    def excuses(self, check_id: str) -> bool:
        """Whether a FAILURE of `check_id` in this scenario is expected here."""
        if check_id == WIRE_SCHEMA_CHECK:
            return False
        return not self.checks or check_id in self.checks


def _tool(name: str, what: str = "") -> str:
    return f"calls the reference tool `{name}`{f' ({what})' if what else ''}"


_TASK_FIXTURES = (
    "the optional Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663), which this "
    "server does not offer, exercised through the reference task tools "
)

NEEDS_REFERENCE_FIXTURES: tuple[NeedsReferenceFixtures, ...] = (
    NeedsReferenceFixtures("tools-call-simple-text", _tool("test_simple_text")),
    NeedsReferenceFixtures("tools-call-image", _tool("test_image_content")),
    NeedsReferenceFixtures("tools-call-audio", _tool("test_audio_content")),
    NeedsReferenceFixtures(
        "tools-call-embedded-resource",
        _tool("test_embedded_resource", "returns resource `test://embedded-resource`"),
    ),
    NeedsReferenceFixtures(
        "tools-call-mixed-content",
        _tool("test_multiple_content_types", "text, image and `test://mixed-content-resource`"),
    ),
    NeedsReferenceFixtures(
        "tools-call-with-logging", _tool("test_tool_with_logging", "logs while it runs")
    ),
    NeedsReferenceFixtures("tools-call-error", _tool("test_error_handling", "always isError")),
    NeedsReferenceFixtures(
        "tools-call-with-progress", _tool("test_tool_with_progress", "reports progress")
    ),
    NeedsReferenceFixtures(
        "tools-call-sampling", _tool("test_sampling", "asks the client for sampling")
    ),
    NeedsReferenceFixtures(
        "tools-call-elicitation", _tool("test_elicitation", "asks the client for input")
    ),
    NeedsReferenceFixtures(
        "json-schema-2020-12",
        "needs the reference tool `json_schema_2020_12_tool` whose inputSchema carries "
        "`$schema`, `$defs` with `$anchor`, `allOf`/`anyOf` and `if`/`then`/`else`",
    ),
    NeedsReferenceFixtures(
        "elicitation-sep1034-defaults", _tool("test_elicitation_sep1034_defaults")
    ),
    NeedsReferenceFixtures("elicitation-sep1330-enums", _tool("test_elicitation_sep1330_enums")),
    NeedsReferenceFixtures(
        "resources-read-text", "reads the reference resource `test://static-text`"
    ),
    NeedsReferenceFixtures(
        "resources-read-binary", "reads the reference resource `test://static-binary`"
    ),
    NeedsReferenceFixtures(
        "resources-templates-read",
        "needs the reference template `test://template/{id}/data` and reads "
        "`test://template/123/data`",
    ),
    NeedsReferenceFixtures(
        "resources-subscribe", "subscribes to the reference resource `test://watched-resource`"
    ),
    NeedsReferenceFixtures(
        "resources-unsubscribe",
        "unsubscribes from the reference resource `test://watched-resource`",
    ),
    NeedsReferenceFixtures("prompts-get-simple", "gets the reference prompt `test_simple_prompt`"),
    NeedsReferenceFixtures(
        "prompts-get-with-args",
        "gets the reference prompt `test_prompt_with_arguments` with `arg1`, `arg2`",
    ),
    NeedsReferenceFixtures(
        "prompts-get-embedded-resource",
        "gets the reference prompt `test_prompt_with_embedded_resource` with `resourceUri` "
        "`test://example-resource`",
    ),
    NeedsReferenceFixtures(
        "prompts-get-with-image", "gets the reference prompt `test_prompt_with_image`"
    ),
    NeedsReferenceFixtures(
        "http-custom-header-server-validation",
        "needs a tool with a string parameter marked `x-mcp-header` (SEP-2243), as the "
        "reference server has; this server's tools mirror no parameter into a header, and "
        "without one every check reports 'Not testable' as a FAILURE",
    ),
    NeedsReferenceFixtures(
        "server-stateless",
        "these checks call the reference diagnostic tools `test_missing_capability`, "
        "`test_streaming_elicitation`, `test_logging_tool`, `test_trigger_tool_change` and "
        "`test_trigger_prompt_change` (the subscription-id check reads the notifications "
        "`test_trigger_tool_change` causes); every other check of the scenario must pass",
        checks=(
            "sep-2575-server-rejects-undeclared-capability",
            "sep-2575-missing-capability-http-400",
            "sep-2575-http-server-no-independent-requests-on-stream",
            "sep-2575-server-no-log-without-loglevel",
            "sep-2575-server-tags-subscription-id",
            "sep-2575-server-honors-notification-filter",
            "sep-2575-server-sends-prompts-list-changed-on-subscription",
            "sep-2575-server-sends-tools-list-changed-on-subscription",
        ),
    ),
    *(
        NeedsReferenceFixtures(f"input-required-result-{name}", _tool(tool, "SEP-2322 MRTR"))
        for name, tool in (
            ("basic-elicitation", "test_input_required_result_elicitation"),
            ("basic-sampling", "test_input_required_result_sampling"),
            ("basic-list-roots", "test_input_required_result_list_roots"),
            ("request-state", "test_input_required_result_request_state"),
            ("multiple-input-requests", "test_input_required_result_multiple_inputs"),
            ("multi-round", "test_input_required_result_multi_round"),
            ("missing-input-response", "test_input_required_result_elicitation"),
            ("result-type", "test_input_required_result_elicitation"),
            ("tampered-state", "test_input_required_result_tampered_state"),
            ("capability-check", "test_input_required_result_capabilities"),
            ("ignore-extra-params", "test_input_required_result_elicitation"),
            ("validate-input", "test_input_required_result_elicitation"),
        )
    ),
    NeedsReferenceFixtures(
        "input-required-result-non-tool-request",
        "gets the reference prompt `test_input_required_result_prompt` (SEP-2322 MRTR)",
    ),
    *(
        NeedsReferenceFixtures(f"tasks-{name}", _TASK_FIXTURES + tools)
        for name, tools in (
            ("lifecycle", "`greet`, `slow_compute`, `failing_job`, `protocol_error_job`"),
            (
                "capability-negotiation",
                "`slow_compute` (and it fails unless the extension is advertised)",
            ),
            ("wire-fields", "`slow_compute`"),
            ("request-state-removal", "`slow_compute`"),
            ("mrtr-input", "`confirm_delete`, `multi_input`"),
            ("request-headers", "`greet`, `slow_compute`"),
            ("dispatch-and-envelope", "`failing_job` and a task-supporting tool"),
            ("required-task-error", "`failing_job` (task support required)"),
            ("mrtr-composition", "`test_tool_with_task`"),
        )
    ),
)
"""Scenarios of `--suite all` whose failures are expected: they need the reference fixtures."""

FIXTURES_BY_SCENARIO: dict[str, NeedsReferenceFixtures] = {
    entry.scenario: entry for entry in NEEDS_REFERENCE_FIXTURES
}


def excused(scenario: str, check_id: str) -> bool:
    """Whether a FAILURE of `check_id` in `scenario` is expected (needs the reference fixtures)."""
    entry = FIXTURES_BY_SCENARIO.get(scenario)
    return entry is not None and entry.excuses(check_id)
