-- Every sign-off of a read, the first and each amendment (ReadStore): GF_SIGNOFF holds the newest, this table all of
-- them, so an amendment's publication knows what the one before reported. Sign-offs kept before this migration are
-- copied in.
CREATE TABLE GF_SIGNOFF_HISTORY (
    READ_ID VARCHAR(36) NOT NULL,
    SIGNED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    TASK_ID VARCHAR(64) NOT NULL,
    SIGN_OFF TEXT NOT NULL,
    SIGNED_BY VARCHAR(255) NOT NULL,
    CONSTRAINT GF_SIGNOFF_HISTORY_PK PRIMARY KEY (READ_ID, SIGNED_AT),
    CONSTRAINT GF_SIGNOFF_HISTORY_TASK UNIQUE (TASK_ID)
);
INSERT INTO GF_SIGNOFF_HISTORY (READ_ID, SIGNED_AT, TASK_ID, SIGN_OFF, SIGNED_BY)
    SELECT READ_ID, SIGNED_AT, TASK_ID, SIGN_OFF, SIGNED_BY FROM GF_SIGNOFF;

-- The retraction of a read (ReadStore): who withdrew it, when and why, and the rejection note (IOCM Key Object
-- Selection) that withdraws its SEG and SR instances in the PACS once it is stored. One per read: the key makes a
-- second retraction collide.
CREATE TABLE GF_RETRACTION (
    READ_ID VARCHAR(36) NOT NULL,
    RETRACTED_BY VARCHAR(255) NOT NULL,
    RETRACTED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
    REASON VARCHAR(1000) NOT NULL,
    REJECTION_NOTE_UID VARCHAR(64),
    CONSTRAINT GF_RETRACTION_PK PRIMARY KEY (READ_ID)
);
