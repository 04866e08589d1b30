"""The Jamf and ChatGPT bindings of the MCP core: each tool's schema, the handler that turns
validated arguments into a use-case request, and the presenter that turns its result into the
tool's answer; resources, prompts and completions over the same use cases; the confirmation
channels (form and URL elicitation, the input-required round trip, approval links)."""
