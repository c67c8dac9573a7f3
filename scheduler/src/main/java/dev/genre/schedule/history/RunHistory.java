package dev.genre.schedule.history;

import dev.genre.schedule.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The GENRE_RUNS table: what each fire of each job did. Shared by every node of a cluster. */
public final class RunHistory {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String COLUMNS = "RUN_ID, JOB_NAME, SCHEDULED_AT, STARTED_AT, ENDED_AT, NODE, STATUS, ATTEMPTS, RECOVERED, WARM_START, "
            + "RESUMED, DATASET_CHANGES, BEST_REWARD, ACCURACY, LATENCY_MS, PROMOTED, RUN_DIR, MESSAGE";

    private final Database db;

    public RunHistory(Database db) {
        this.db = db;
    }

    /** A fire's id: the job and the time it was scheduled for (UTC), which is also its run directory's name. */
    public static String runId(String job, long scheduledAt) {
        return job + "-" + ID_TIME.format(Instant.ofEpochMilli(scheduledAt));
    }

    /**
     * Records that a fire started on {@code node}. A fire seen before (recovered from a dead node, or
     * re-run) keeps its row: the attempt count goes up, so a fire that ran twice cannot hide.
     */
    public RunEntry begin(String job, long scheduledAt, String node, boolean recovering) throws SQLException {
        String id = runId(job, scheduledAt);
        long now = System.currentTimeMillis();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            Optional<RunEntry> old = find(c, id);
            if (old.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO GENRE_RUNS (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    bind(s, new RunEntry(id, job, scheduledAt, now, null, node, RunEntry.Status.RUNNING, 1, recovering, null, null, null, null, null,
                            null, null, null, null));
                    s.executeUpdate();
                }
            } else {
                try (PreparedStatement s = c.prepareStatement("UPDATE GENRE_RUNS SET NODE = ?, STATUS = ?, ATTEMPTS = ATTEMPTS + 1, "
                        + "RECOVERED = ?, ENDED_AT = NULL WHERE RUN_ID = ?")) {
                    s.setString(1, node);
                    s.setString(2, RunEntry.Status.RUNNING.name());
                    s.setBoolean(3, recovering || old.get().recovered());
                    s.setString(4, id);
                    s.executeUpdate();
                }
            }
            RunEntry e = find(c, id).orElseThrow();
            c.commit();
            return e;
        }
    }

    public void update(RunEntry e) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("UPDATE GENRE_RUNS SET JOB_NAME = ?, SCHEDULED_AT = ?, STARTED_AT = ?, ENDED_AT = ?, NODE = ?, "
                     + "STATUS = ?, ATTEMPTS = ?, RECOVERED = ?, WARM_START = ?, RESUMED = ?, DATASET_CHANGES = ?, BEST_REWARD = ?, ACCURACY = ?, "
                     + "LATENCY_MS = ?, PROMOTED = ?, RUN_DIR = ?, MESSAGE = ? WHERE RUN_ID = ?")) {
            bindFrom(s, 1, e);
            s.setString(18, e.runId());
            s.executeUpdate();
        }
    }

    public List<RunEntry> list() throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM GENRE_RUNS ORDER BY SCHEDULED_AT, JOB_NAME");
             ResultSet r = s.executeQuery()) {
            List<RunEntry> out = new ArrayList<>();
            while (r.next()) out.add(read(r));
            return out;
        }
    }

    public Optional<RunEntry> find(String runId) throws SQLException {
        try (Connection c = db.connect()) {
            return find(c, runId);
        }
    }

    /** The job's runs, most recent first. */
    public List<RunEntry> of(String job) throws SQLException {
        List<RunEntry> all = new ArrayList<>(list().stream().filter(e -> e.job().equals(job)).toList());
        java.util.Collections.reverse(all);
        return all;
    }

    private static Optional<RunEntry> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM GENRE_RUNS WHERE RUN_ID = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    private static void bind(PreparedStatement s, RunEntry e) throws SQLException {
        s.setString(1, e.runId());
        bindFrom(s, 2, e);
    }

    /** Binds every column after RUN_ID, in {@link #COLUMNS} order, from parameter {@code first}. */
    private static void bindFrom(PreparedStatement s, int first, RunEntry e) throws SQLException {
        int i = first;
        s.setString(i++, e.job());
        s.setLong(i++, e.scheduledAt());
        s.setLong(i++, e.startedAt());
        setLong(s, i++, e.endedAt());
        s.setString(i++, e.node());
        s.setString(i++, e.status().name());
        s.setInt(i++, e.attempts());
        s.setBoolean(i++, e.recovered());
        setBool(s, i++, e.warmStart());
        setBool(s, i++, e.resumed());
        s.setString(i++, e.datasetChanges());
        setDouble(s, i++, e.bestReward());
        setDouble(s, i++, e.accuracy());
        setDouble(s, i++, e.latencyMs());
        setBool(s, i++, e.promoted());
        s.setString(i++, e.runDir());
        s.setString(i, e.message() == null ? null : e.message().substring(0, Math.min(2000, e.message().length())));
    }

    private static RunEntry read(ResultSet r) throws SQLException {
        return new RunEntry(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), (Long) r.getObject(5, Long.class), r.getString(6),
                RunEntry.Status.valueOf(r.getString(7)), r.getInt(8), r.getBoolean(9), r.getObject(10, Boolean.class), r.getObject(11, Boolean.class),
                r.getString(12), r.getObject(13, Double.class), r.getObject(14, Double.class), r.getObject(15, Double.class),
                r.getObject(16, Boolean.class), r.getString(17), r.getString(18));
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) s.setNull(i, Types.BIGINT);
        else s.setLong(i, v);
    }

    private static void setDouble(PreparedStatement s, int i, Double v) throws SQLException {
        if (v == null) s.setNull(i, Types.DOUBLE);
        else s.setDouble(i, v);
    }

    private static void setBool(PreparedStatement s, int i, Boolean v) throws SQLException {
        if (v == null) s.setNull(i, Types.BOOLEAN);
        else s.setBoolean(i, v);
    }
}
