"""Names shared by the OB3 writer and reader (kept apart to avoid an import cycle)."""

from __future__ import annotations

from microcred_vc.model.mapping import EXTENSION_CONTEXT_URL

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CONTEXT = [VC_V2, OB3_CONTEXT, EXTENSION_CONTEXT_URL]
CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
ESCO_TYPE, EQF_TYPE, ISCED_TYPE = "ext:ESCOSkill", "ext:EQFLevel", "ext:ISCEDF"
