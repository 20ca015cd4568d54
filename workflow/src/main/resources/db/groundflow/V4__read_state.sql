-- A read's state between its steps (ReadStore), so that any node can take up any step of any read. One SQL for H2
-- and PostgreSQL: TEXT is a CLOB on H2 and TEXT on PostgreSQL, BYTEA a BINARY VARYING on H2 and BYTEA on PostgreSQL.

-- Every read, from its start to its end. ENDED_AT starts the retention period (groundflow.retention.after-end), after
-- which the read's pixels and masks are deleted (PURGED_AT); the row itself stays.
CREATE TABLE GF_READ (
    READ_ID VARCHAR(36) NOT NULL,
    STUDY_UID VARCHAR(64) NOT NULL,
    SERIES_UID VARCHAR(64),
    PROCESS_INSTANCE_ID VARCHAR(64) NOT NULL,
    REQUESTED_BY VARCHAR(255) NOT NULL,
    CREATED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    ENDED_AT TIMESTAMP WITH TIME ZONE,
    OUTCOME VARCHAR(16),
    PURGED_AT TIMESTAMP WITH TIME ZONE,
    CONSTRAINT GF_READ_PK PRIMARY KEY (READ_ID)
);
CREATE INDEX GF_READ_STUDY ON GF_READ (STUDY_UID);
CREATE INDEX GF_READ_ENDED ON GF_READ (ENDED_AT);

-- One running read per study: the row is inserted in the transaction that starts the read and deleted in the one
-- that ends it; a second start of the study collides with the primary key.
CREATE TABLE GF_ACTIVE_STUDY (
    STUDY_UID VARCHAR(64) NOT NULL,
    READ_ID VARCHAR(36) NOT NULL,
    CONSTRAINT GF_ACTIVE_STUDY_PK PRIMARY KEY (STUDY_UID),
    CONSTRAINT GF_ACTIVE_STUDY_READ UNIQUE (READ_ID)
);

-- The model's draft of a read: the interpretation (JSON), its masks (MaskCodec bytes) and the series' geometry with
-- its patient and study attributes (JSON). MASKS and VOLUME hold patient data and go when the retention period ends.
CREATE TABLE GF_DRAFT (
    READ_ID VARCHAR(36) NOT NULL,
    INTERPRETATION TEXT NOT NULL,
    MASKS BYTEA,
    VOLUME TEXT,
    DRAFTED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT GF_DRAFT_PK PRIMARY KEY (READ_ID)
);

-- The radiologist's sign-off of a read (JSON), written in the transaction that completes the review task: the keys
-- let one sign-off per read and per task commit; a concurrent second one fails and leaves nothing behind.
CREATE TABLE GF_SIGNOFF (
    READ_ID VARCHAR(36) NOT NULL,
    TASK_ID VARCHAR(64) NOT NULL,
    SIGN_OFF TEXT NOT NULL,
    SIGNED_BY VARCHAR(255) NOT NULL,
    SIGNED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT GF_SIGNOFF_PK PRIMARY KEY (READ_ID),
    CONSTRAINT GF_SIGNOFF_TASK UNIQUE (TASK_ID)
);
