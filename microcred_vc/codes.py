"""Every stable code the library reports, in one table, with what it means.

A code is either the ``code`` of an error class (:mod:`microcred_vc.errors`,
whose ``title`` is its meaning) or a *check code*: the code of a failed check
in a verification report, of an HTTP problem, or of an error raised with a
more specific code than its class. Check codes are listed in :data:`CHECK_CODES`
below; the docs page ``reference/errors.md`` is generated from this module, and
``tests/architecture/test_codes.py`` fails on a code literal in the package
that is registered nowhere, so a code cannot exist without its meaning.

Registering a code is one line in :data:`CHECK_CODES` (kept in alphabetical
order, so parallel additions land on different lines and merge cleanly).
The literals at the places that report a code stay as they are: a code is a
plain string on the wire and in reports, and the test ties the two together.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from microcred_vc.errors import all_error_classes

# fmt: off
CHECK_CODES: Mapping[str, str] = MappingProxyType({
    "ALREADY_SIGNED": "The credential sent to be issued already carries a proof",
    "ANNEX_I_INCOMPLETE": "require=\"annex-i\": the credential read lacks mandatory Annex I elements (named)",
    "BATCH_ALREADY_ISSUED": "The learner holds this course's status index from a run into another folder",
    "BATCH_DUPLICATE_LEARNER": "A roster row names a learner (email or id) an earlier row already names",
    "BATCH_EXECUTOR_INVALID": "The batch executor is not a concurrent.futures.Executor",
    "BATCH_LOCKED": "Another issue-batch run is writing to the same output folder",
    "CHECK_NOT_PERFORMED": "A check the client required (options.checks) was skipped or did not run",
    "CHECK_UNSUPPORTED": "options.checks names a check this verifier does not know",
    "CLI_ERROR": "The command line could not complete the command",
    "CLR_ASSOCIATION_UNRESOLVED": "A CLR association names an achievement the record does not hold (a warning)",
    "CONTEXT_BASE_MISSING": "The first @context is not the VC 2.0 (or 1.1) base context",
    "CONTEXT_INVALID": "@context is not a string, an object or a list of them",
    "CONTEXT_MISSING": "The document has no @context",
    "CONVERT_SOURCE_UNVERIFIED": "convert(verify=True): the source credential does not verify, so it is not converted",
    "COURSE_ISSUER_MISMATCH": "A course registered on the server names an issuer the server does not sign as",
    "COURSE_ISSUE_IN_PROGRESS": "Another request is still issuing this learner's credential for the course",
    "COURSE_LEARNER_CONFLICT": "The learner already holds the course's credential, issued from another record or format",
    "COURSE_NOT_FOUND": "No course with that id is registered on the server",
    "CREDENTIAL_NOT_AN_OBJECT": "The credential given is JSON but not an object (a number, string, array, boolean or null)",
    "CRYPTOSUITE_NOT_ALLOWED": "The cryptosuite is registered but not allowed by this registry",
    "DATE_INVALID": "A validity date is not an XML Schema dateTime",
    "DID_DOCUMENT_INVALID": "A DID document given offline (--did-document) is not a DID document",
    "ENVELOPE_INVALID": "An enveloped credential or presentation is not a data: URL of the expected media type",
    "EXPIRED": "The credential's validity period has ended",
    "FILE_EXISTS": "The output file exists and would be overwritten",
    "FILE_NOT_FOUND": "An input file does not exist",
    "FORBIDDEN": "The bearer token does not allow this request",
    "HOLDER_MISMATCH": "The presentation's holder is not the key that signed it",
    "HOLDER_NOT_SUBJECT": "A presented credential is not about the presentation's holder (require_holder_is_subject)",
    "HTTP_ERROR": "An HTTP error without a more specific code",
    "IDEMPOTENCY_KEY_INVALID": "The Idempotency-Key header is empty, too long or not printable ASCII",
    "IDEMPOTENCY_KEY_IN_PROGRESS": "The first request with this Idempotency-Key is still running",
    "IDEMPOTENCY_KEY_REUSED": "The Idempotency-Key was used before for a different request",
    "INTERNAL": "The server could not complete the request (internal error)",
    "ISSUER_AMBIGUOUS": "The signed data names more than one issuer",
    "ISSUER_INVALID": "The issuer is neither a URL string nor an object with an id",
    "ISSUER_MISMATCH": "The verification method does not belong to the issuer",
    "ISSUER_NOT_LINKED": "The signing key is not shown to belong to the (non-DID) issuer (a warning)",
    "ISSUE_INPUT_INVALID": "issue() was given neither a MicroCredential nor a credential dict",
    "JOB_NOT_FOUND": "No bulk issuing job with that id exists on the server",
    "JSON_GRAPH_MISMATCH": "The JSON says something the signed graph does not",
    "JWT_ALG_KEY_MISMATCH": "The JWT algorithm does not fit the key",
    "JWT_ALG_MISSING": "The JWT header has no alg",
    "JWT_ALG_NONE": "The JWT is unsigned (alg none)",
    "JWT_ALG_NOT_ALLOWED": "The JWT algorithm is not in the allowed list",
    "JWT_CLAIM_MISMATCH": "A registered JWT claim disagrees with the credential inside",
    "JWT_CRIT_INVALID": "The JWT crit header is malformed",
    "JWT_CRIT_UNSUPPORTED": "The JWT names a critical header this library does not understand",
    "JWT_EXPIRED": "The JWT has expired (exp)",
    "JWT_ISSUER_KEY_MISMATCH": "The key that signed the JWT does not belong to its issuer",
    "JWT_ISSUER_MISMATCH": "The JWT iss claim and the credential issuer differ",
    "JWT_ISSUER_MISSING": "The JWT names no issuer",
    "JWT_KEY_INVALID": "The JWT verification key could not be read",
    "JWT_KEY_SELF_ASSERTED": "The JWT key came from the token itself, so it proves no issuer",
    "JWT_KEY_UNAVAILABLE": "No key was found to verify the JWT",
    "JWT_KID_UNKNOWN": "The JWT kid names no known key",
    "JWT_NOT_A_CREDENTIAL": "The JWT payload is not a verifiable credential or presentation",
    "JWT_NOT_YET_VALID": "The JWT is not valid yet (nbf)",
    "JWT_SIGNATURE_INVALID": "The JWT signature does not verify",
    "KEY_MISMATCH": "The public and private parts of a key do not belong together",
    "KEY_MULTIBASE_INVALID": "A multibase key value could not be decoded",
    "KEY_PURPOSE_NOT_ALLOWED": "The key is not listed for the verification relationship used",
    "KEY_TOO_WEAK": "An RSA key is shorter than 2048 bits",
    "LEARNER_NOT_FOUND": "The roster has no learner with that identifier",
    "METHOD_NOT_ALLOWED": "The HTTP method is not allowed on this path",
    "NOT_A_PRESENTATION": "POST /presentations/verify was given a credential, not a presentation",
    "NOT_FOUND": "The HTTP path or resource does not exist",
    "NOT_YET_VALID": "The credential's validity period has not started",
    "OB2_BAD_ALG": "The Open Badges 2.0 JWS uses an algorithm not allowed",
    "OB2_BAD_DATE": "An Open Badges 2.0 date is not valid",
    "OB2_BAD_IDENTITY_HASH": "The Open Badges 2.0 recipient identity hash is malformed",
    "OB2_BAD_JWS": "The Open Badges 2.0 signed badge is not a valid JWS",
    "OB2_BAD_SIGNATURE": "The Open Badges 2.0 JWS signature does not verify",
    "OB2_BAD_VERIFICATION": "The Open Badges 2.0 verification object does not fit the badge",
    "OB2_EXPIRED": "The Open Badges 2.0 assertion has expired",
    "OB2_EXPIRES_BEFORE_ISSUED": "The Open Badges 2.0 assertion expires before it was issued",
    "OB2_EXTENSION_INVALID": "An Open Badges 2.0 extension is malformed",
    "OB2_HOSTED_ID_NOT_URL": "A hosted Open Badges 2.0 assertion id is not an HTTP(S) URL",
    "OB2_HOSTED_MISMATCH": "The hosted Open Badges 2.0 assertion differs from the one given",
    "OB2_HOSTED_NOT_ALLOWED": "Hosted verification needs network access, which is off",
    "OB2_INVALID_CONTEXT": "The Open Badges 2.0 @context is not the OB 2.0 context",
    "OB2_INVALID_TYPE": "An Open Badges 2.0 object has the wrong type",
    "OB2_KEY_NOT_ISSUERS": "The Open Badges 2.0 signing key is not owned by the issuer",
    "OB2_MISSING_PROPERTY": "A required Open Badges 2.0 property is missing",
    "OB2_NOT_YET_VALID": "The Open Badges 2.0 assertion was issued in the future",
    "OB2_NO_KEY": "No public key was found for the Open Badges 2.0 signature",
    "OB2_RECIPIENT_MISMATCH": "The Open Badges 2.0 recipient is not the expected one",
    "OB2_RECIPIENT_TYPE": "The Open Badges 2.0 recipient is identified by something else than asked",
    "OB2_REVOKED": "The Open Badges 2.0 assertion is revoked",
    "OB2_SIGNATURE_MISSING": "The signed Open Badges 2.0 assertion carries no signature",
    "OB2_WRONG_TYPE": "The document is not an Open Badges 2.0 assertion",
    "PARSING_ERROR": "The HTTP request body could not be parsed",
    "PRESENTATION_NESTED": "A presentation sits where a credential belongs (in verifiableCredential or an envelope)",
    "PRESENTATION_TOO_LARGE": "The presentation carries more credentials than the limit",
    "PROOF_CHAIN_BROKEN": "A previousProof names a proof that is not there",
    "PROOF_CHAIN_INVALID": "The proof chain (previousProof) is malformed or circular",
    "PROOF_CHAIN_TOO_LONG": "The proof chain is longer than the limit",
    "PROOF_CONTEXT_MISMATCH": "The proof's @context does not match the document's",
    "PROOF_CREATED_FUTURE": "The proof was created in the future",
    "PROOF_CREATED_INVALID": "The proof's created is not a dateTime",
    "PROOF_EXPIRED": "The proof has expired",
    "PROOF_EXPIRES_INVALID": "The proof's expires is not a dateTime",
    "PROOF_INVALID": "The proof does not verify",
    "PROOF_KEY_TYPE": "The cryptosuite cannot be verified with this key type",
    "PROOF_MALFORMED": "The proof object is malformed",
    "PROOF_METHOD_MISSING": "The proof names no verification method",
    "PROOF_MISSING": "The document carries no proof",
    "PROOF_PURPOSE_INVALID": "The proof purpose is not the expected one, or its challenge/domain differ",
    "PROOF_PURPOSE_MISSING": "The proof has no proofPurpose",
    "PROOF_SET_TOO_LARGE": "The document carries more proofs than the limit",
    "PROOF_SIGNATURE_INVALID": "The proof signature does not verify",
    "PROOF_VALUE_INVALID": "The proofValue could not be decoded",
    "PROOF_VALUE_MISSING": "The proof has no proofValue",
    "RATE_LIMITED": "Too many HTTP requests from this client",
    "REQUEST_INVALID": "The HTTP request is not valid",
    "REQUEST_TIMEOUT": "The HTTP request took longer than its deadline",
    "REQUEST_TOO_LARGE": "The HTTP request body is larger than the limit",
    "REQUIRE_UNKNOWN": "require= names a strictness other than \"annex-i\" (or none)",
    "SCHEMA_INVALID": "The credential does not validate against its JSON Schema",
    "SEAL_CERT_EXPIRED": "A certificate in the seal's path has expired",
    "SEAL_CERT_NOT_YET_VALID": "A certificate in the seal's path is not valid yet",
    "SEAL_CERT_REVOKED": "A certificate in the seal's path is revoked",
    "SEAL_HEADER_INVALID": "The JAdES seal header is malformed",
    "SEAL_INVALID": "The seal does not verify",
    "SEAL_ISSUER_MISMATCH": "The sealing certificate does not name the credential's issuer",
    "SEAL_KEY_USAGE": "The sealing certificate is not allowed to sign",
    "SEAL_LEVEL_NOT_MET": "The seal proves a lower JAdES baseline level than required",
    "SEAL_PATH_INVALID": "The certificate path could not be validated",
    "SEAL_REVOCATION_UNKNOWN": "The revocation state of a certificate could not be established",
    "SEAL_SIGNATURE_INVALID": "The seal signature does not verify",
    "SEAL_TIMESTAMP_IMPRINT": "A seal timestamp does not cover what ETSI TS 119 182-1 says it must",
    "SEAL_TIMESTAMP_INVALID": "A seal timestamp token is malformed or its signature does not verify",
    "SEAL_TSA_NOT_TIMESTAMPING": "A seal timestamp was signed by a certificate not meant for timestamping",
    "SEAL_TSA_UNTRUSTED": "A seal timestamp's TSA certificate has no valid path to a trusted anchor",
    "SEAL_UNTRUSTED": "The certificate path ends at no trusted anchor",
    "STATUS_LIST_EXPIRED": "The status list credential has expired",
    "STATUS_LIST_JSON_MISMATCH": "The status list's JSON encodedList or statusPurpose is not what its proof covers",
    "STATUS_LIST_LENGTH_ERROR": "The status list is shorter than the minimum length",
    "STATUS_LIST_NOT_YET_VALID": "The status list credential is not valid yet",
    "STATUS_LIST_SIGNER_MISMATCH": "The status list is signed by someone the signer policy does not allow",
    "STATUS_LIST_SIGNER_UNKNOWN": "The status list signer could not be established for the signer policy",
    "STATUS_LIST_URL_FIXED": "A status list's URL is fixed; moving it needs an explicit status relocate",
    "STATUS_NOT_REQUESTED": "The status check was turned off by the caller (status=False)",
    "STATUS_PURPOSE_INVALID": "The status purpose is not one this list serves",
    "STATUS_RANGE_ERROR": "The status index or value is out of range",
    "STATUS_RETRIEVAL_ERROR": "The status list could not be fetched",
    "STATUS_REVOKED": "The credential is revoked (status list)",
    "STATUS_SUSPENDED": "The credential is suspended (status list)",
    "STATUS_UNCHECKED": "A credentialStatus entry could not be checked (no fetch, unknown purpose or type)",
    "STATUS_VERIFICATION_ERROR": "The status list credential could not be verified or read",
    "SUITE_VERIFY_ONLY": "A legacy cryptosuite is verified but never used to sign",
    "TRUST_EXPIRED": "The trust registry's entry for the issuer has expired (issuer not vouched for)",
    "TRUST_ISSUER_UNPROVEN": "No verified proof shows who the issuer is, so no trust registry was consulted",
    "TRUST_NOT_LISTED": "No given trust registry vouches for the issuer the proof established",
    "TRUST_REGISTRY_ERROR": "A trust registry could not answer (not a TrustRegistry, or it failed)",
    "TRUST_REVOKED": "A trust registry lists the issuer as revoked or suspended",
    "UNAUTHORIZED": "A valid bearer token is required",
    "UNKNOWN_ALGORITHM": "The canonicalisation algorithm is not RDFC-1.0 or JCS",
    "VP_CHALLENGE_MISMATCH": "The JWT presentation's nonce is not the verifier's challenge",
    "VP_CHALLENGE_MISSING": "The JWT presentation has no nonce, or the verifier gave no challenge",
    "VP_DOMAIN_MISMATCH": "The JWT presentation's aud is not the verifier's domain",
})
# fmt: on


def error_codes() -> dict[str, str]:
    """Codes of the error classes, with their titles as meaning (base class first)."""
    return {cls.code: cls.title for cls in all_error_classes()}


def all_codes() -> dict[str, str]:
    """Every registered code → its meaning: error classes, then check codes."""
    return {**error_codes(), **CHECK_CODES}


def meaning(code: str) -> str:
    """What a code means; raises ``KeyError`` for a code nobody registered."""
    return all_codes()[code]
