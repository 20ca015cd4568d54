-- The sign-off audit becomes tamper-evident: every row is a link of one hash chain (SignOffAudit, AuditChain).
-- SEQ numbers the links; ENTRY_HASH = SHA-256 of the previous link's hash and the row's content; CLIENT_ADDRESS is
-- where the sign-off came from. GF_AUDIT_HEAD holds the last link; writers lock it, so links never fork, also
-- across nodes. Rows of earlier releases keep SEQ empty: they stand before the chain.
ALTER TABLE GF_SIGNOFF_AUDIT ADD COLUMN SEQ BIGINT;
ALTER TABLE GF_SIGNOFF_AUDIT ADD COLUMN CLIENT_ADDRESS VARCHAR(64);
ALTER TABLE GF_SIGNOFF_AUDIT ADD COLUMN PREV_HASH VARCHAR(64);
ALTER TABLE GF_SIGNOFF_AUDIT ADD COLUMN ENTRY_HASH VARCHAR(64);
CREATE UNIQUE INDEX GF_SIGNOFF_AUDIT_SEQ ON GF_SIGNOFF_AUDIT (SEQ);
CREATE TABLE GF_AUDIT_HEAD (
    ID INT NOT NULL PRIMARY KEY,
    SEQ BIGINT NOT NULL,
    ENTRY_HASH VARCHAR(64) NOT NULL
);
INSERT INTO GF_AUDIT_HEAD (ID, SEQ, ENTRY_HASH) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
