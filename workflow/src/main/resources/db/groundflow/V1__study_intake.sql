-- What the intake has seen of each study (IntakeLedger). IF NOT EXISTS: databases of earlier releases, where the
-- application created this table itself, are taken over as they are.
CREATE TABLE IF NOT EXISTS GF_STUDY_INTAKE (
    STUDY_UID VARCHAR(64) NOT NULL PRIMARY KEY,
    FIRST_SEEN TIMESTAMP WITH TIME ZONE NOT NULL,
    INSTANCE_COUNT INTEGER NOT NULL,
    LAST_CHANGE TIMESTAMP WITH TIME ZONE NOT NULL,
    STARTED_AT TIMESTAMP WITH TIME ZONE,
    READ_ID VARCHAR(64),
    OUTCOME VARCHAR(32)
);
