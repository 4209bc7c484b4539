"""Keys, key files and DID resolution."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class KeyError_(MicrocredError):  # trailing _ avoids shadowing builtins.KeyError
    code = "KEY_ERROR"
    title = "Key error"


class KeyFormatError(KeyError_):
    code = "KEY_FORMAT_INVALID"
    title = "Key material could not be read"


class UnsupportedKeyType(KeyError_):
    code = "KEY_TYPE_UNSUPPORTED"
    title = "Key type not supported"


class KeyPasswordError(KeyError_):
    code = "KEY_PASSWORD_INVALID"
    title = "Wrong or missing password for the key file"


class KeyFileError(KeyError_):
    code = "KEY_FILE_INVALID"
    title = "Key file could not be read or written"


class DidResolutionError(MicrocredError):
    code = "DID_RESOLUTION_FAILED"
    title = "DID could not be resolved"


class UnsupportedDidMethod(DidResolutionError):
    code = "DID_METHOD_UNSUPPORTED"
    title = "DID method not supported"
