package dev.genre.schedule.store;

/** The run history table, next to Quartz's own in the same database. */
final class RunTable {
    private RunTable() {}

    /**
     * One row per fire of a job. A fire is identified by the job and the time it was scheduled for, so
     * a fire recovered by another node (or resumed after a stop) updates its row instead of adding one;
     * {@code ATTEMPTS} counts how many times it was started.
     */
    static final String DDL = """
            CREATE TABLE GENRE_RUNS (
              RUN_ID VARCHAR(120) NOT NULL PRIMARY KEY,
              JOB_NAME VARCHAR(200) NOT NULL,
              SCHEDULED_AT BIGINT NOT NULL,
              STARTED_AT BIGINT NOT NULL,
              ENDED_AT BIGINT,
              NODE VARCHAR(200) NOT NULL,
              STATUS VARCHAR(16) NOT NULL,
              ATTEMPTS INTEGER NOT NULL,
              RECOVERED BOOLEAN NOT NULL,
              WARM_START BOOLEAN,
              RESUMED BOOLEAN,
              DATASET_CHANGES VARCHAR(200),
              BEST_REWARD DOUBLE PRECISION,
              ACCURACY DOUBLE PRECISION,
              LATENCY_MS DOUBLE PRECISION,
              PROMOTED BOOLEAN,
              RUN_DIR VARCHAR(1000),
              MESSAGE VARCHAR(2000),
              CONSTRAINT GENRE_RUNS_FIRE UNIQUE (JOB_NAME, SCHEDULED_AT)
            )""";
}
