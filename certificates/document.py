"""A certificate's signed document: its content, the Ed25519 signature over the content's canonical
JSON (RFC 8785, transparency.canonical), and the name and ID of the key that made it. Pure: no database,
so `manage.py verify_certificate` checks a downloaded file with nothing but the verifier key.

    {"content": {...}, "signature": "<base64>", "key_name": "taza.local/certificates", "key_id": "1a2b3c4d"}

The content holds hours as decimal strings ("3.50"), as the certificate prints them: JCS reads numbers
as doubles, and a figure that is exact on paper stays exact in the bytes signed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transparency.canonical import NotCanonical, canonical_json
from transparency.note import Signer, Verifier

KIND = "taza.certificate/1"
# Not what the certificate certifies, but when and under which code it was issued: two certificates
# that differ only in these certify the same thing (certified_digest).
ISSUE_FIELDS = ("code", "issued_at")


class CertificateInvalid(ValueError):
    """A document that is malformed, signed by another key, or whose content is not what was signed."""


def certified_digest(content: dict[str, Any]) -> str:
    """SHA-256 of what a certificate certifies: its content without the code and the time of issue."""
    certified = {key: value for key, value in content.items() if key not in ISSUE_FIELDS}
    return hashlib.sha256(canonical_json(certified)).hexdigest()


def content_sign(content: dict[str, Any], signer: Signer) -> str:
    """The base64 Ed25519 signature over the content's canonical JSON."""
    signature = Ed25519PrivateKey.from_private_bytes(signer.seed).sign(canonical_json(content))
    return base64.b64encode(signature).decode()


def signed_document(content: dict[str, Any], signature: str, *, key_name: str, key_id: str) -> dict[str, Any]:
    return {"content": content, "signature": signature, "key_name": key_name, "key_id": key_id}


def document_verify(document: Any, verifier: Verifier) -> dict[str, Any]:
    """The content of a document whose signature verifies under `verifier`; CertificateInvalid saying
    what is wrong otherwise."""
    if not isinstance(document, dict) or not {"content", "signature", "key_name", "key_id"} <= document.keys():
        raise CertificateInvalid("not a certificate: content, signature, key_name and key_id are expected")
    content = document["content"]
    if not isinstance(content, dict) or content.get("kind") != KIND:
        raise CertificateInvalid(f"not a certificate: its content is not of the kind {KIND}")
    if (document["key_name"], document["key_id"]) != (verifier.name, verifier.id.hex()):
        raise CertificateInvalid(
            f"signed by the key {document['key_name']}+{document['key_id']}, not by {verifier.name}+{verifier.id.hex()}"
        )
    try:
        signature = base64.b64decode(str(document["signature"]), validate=True)
        message = canonical_json(content)
    except (binascii.Error, ValueError, NotCanonical) as error:
        raise CertificateInvalid(f"not a certificate: {error}") from error
    if not verifier.verify(message, signature):
        raise CertificateInvalid(
            "the signature does not verify: the content is not what was signed (changed after issue, or forged)"
        )
    return content
