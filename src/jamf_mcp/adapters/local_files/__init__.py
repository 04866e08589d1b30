"""Files in the data directory: private (0600 in 0700), created atomically; the digest key."""

from jamf_mcp.adapters.local_files.digest_key import (
    DIGEST_KEY_FILE,
    FileDigestKeys,
    new_digest_key_text,
    parse_digest_key,
)
from jamf_mcp.adapters.local_files.private_files import (
    create_or_load,
    private_directory,
    private_file,
)

__all__ = [
    "DIGEST_KEY_FILE",
    "FileDigestKeys",
    "create_or_load",
    "new_digest_key_text",
    "parse_digest_key",
    "private_directory",
    "private_file",
]
