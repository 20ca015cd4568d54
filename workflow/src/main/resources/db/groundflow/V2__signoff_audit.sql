-- The audit trail of sign-offs (SignOffAudit): per read and item, what the AI wrote and what was signed.
-- IF NOT EXISTS: databases of earlier releases, where the application created this table itself, are taken over.
CREATE TABLE IF NOT EXISTS GF_SIGNOFF_AUDIT (
    READ_ID VARCHAR(36) NOT NULL,
    STUDY_UID VARCHAR(64) NOT NULL,
    REVIEWER VARCHAR(255) NOT NULL,
    SIGNED_AT TIMESTAMP NOT NULL,
    ITEM VARCHAR(32) NOT NULL,
    DECISION VARCHAR(16) NOT NULL,
    AI_TEXT VARCHAR(4000),
    SIGNED_TEXT VARCHAR(4000),
    PRIMARY KEY (READ_ID, ITEM)
);
CREATE INDEX IF NOT EXISTS GF_SIGNOFF_AUDIT_STUDY ON GF_SIGNOFF_AUDIT (STUDY_UID);
