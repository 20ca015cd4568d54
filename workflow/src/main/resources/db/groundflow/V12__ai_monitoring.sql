-- AI monitoring (workflow.monitoring): what radiologists made of the model's drafts, and what the model was given.
-- No patient data: read ids, model identities, labels, decisions, times, scanner and acquisition facts.

-- The first sign-off of each read (SignOffOutcomes), written in the transaction that completes its review task: the
-- model that drafted the read, when the review task was created, when it was signed, and the draft's finding count.
-- SIGN_MILLIS = SIGNED_AT - TASK_CREATED_AT, kept so that sums and means stay plain SQL on H2 and PostgreSQL.
CREATE TABLE GF_AI_SIGNOFF (
    READ_ID VARCHAR(36) NOT NULL,
    MODEL_NAME VARCHAR(128) NOT NULL,
    MODEL_VERSION VARCHAR(64) NOT NULL,
    TASK_CREATED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    SIGNED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    SIGN_MILLIS BIGINT NOT NULL,
    FINDINGS INTEGER NOT NULL,
    CONSTRAINT GF_AI_SIGNOFF_PK PRIMARY KEY (READ_ID),
    CONSTRAINT GF_AI_SIGNOFF_MILLIS CHECK (SIGN_MILLIS >= 0)
);
CREATE INDEX GF_AI_SIGNOFF_SIGNED ON GF_AI_SIGNOFF (SIGNED_AT);

-- Each draft finding of those sign-offs: the model's label and the radiologist's decision.
CREATE TABLE GF_AI_FINDING (
    READ_ID VARCHAR(36) NOT NULL,
    FINDING INTEGER NOT NULL,
    LABEL VARCHAR(64) NOT NULL,
    DECISION VARCHAR(8) NOT NULL,
    CONSTRAINT GF_AI_FINDING_PK PRIMARY KEY (READ_ID, FINDING),
    CONSTRAINT GF_AI_FINDING_SIGNOFF FOREIGN KEY (READ_ID) REFERENCES GF_AI_SIGNOFF (READ_ID),
    CONSTRAINT GF_AI_FINDING_DECISION CHECK (DECISION IN ('accept', 'edit', 'reject'))
);

-- What the model was given (ReadInputs): the read series' scanner and acquisition, from the header of its first
-- instance when the series is retrieved for the read; a repeated retrieval replaces the row.
CREATE TABLE GF_READ_INPUT (
    READ_ID VARCHAR(36) NOT NULL,
    SERIES_UID VARCHAR(64) NOT NULL,
    RETRIEVED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    MANUFACTURER VARCHAR(64),
    SCANNER_MODEL VARCHAR(64),
    BODY_PART VARCHAR(16),
    PIXEL_SPACING DOUBLE PRECISION,
    SLICE_THICKNESS DOUBLE PRECISION,
    CONSTRAINT GF_READ_INPUT_PK PRIMARY KEY (READ_ID)
);
CREATE INDEX GF_READ_INPUT_RETRIEVED ON GF_READ_INPUT (RETRIEVED_AT);
