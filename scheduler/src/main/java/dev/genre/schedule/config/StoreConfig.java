package dev.genre.schedule.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;

/**
 * The database that holds Quartz's job store and the run history.
 *
 * @param url                JDBC URL: {@code jdbc:h2:file:...} (embedded, one machine) or {@code jdbc:postgresql://...}
 * @param cluster            Quartz clustering: several schedulers share the jobs and each fire runs on one node (PostgreSQL)
 * @param checkinMs          how often a clustered node checks in; a node silent for longer is recovered by the others
 * @param misfireThresholdMs a fire later than this counts as missed (the scheduler was down): it runs once on start
 * @param instanceId         this node's name in the cluster ("AUTO" = host name + time)
 */
@JsonPropertyOrder({"url", "user", "password", "cluster", "checkinMs", "misfireThresholdMs", "schedulerName", "instanceId"})
public record StoreConfig(String url, String user, String password, boolean cluster, long checkinMs, long misfireThresholdMs,
                          String schedulerName, String instanceId) {
    public StoreConfig {
        if (url == null || !url.startsWith("jdbc:")) throw new IllegalArgumentException("store.url must be a JDBC URL, not " + url);
        if (user == null) user = "";
        if (password == null) password = "";
        if (checkinMs <= 0) checkinMs = 15_000;
        if (misfireThresholdMs <= 0) misfireThresholdMs = 60_000;
        if (schedulerName == null) schedulerName = "genre";
        if (instanceId == null) instanceId = "AUTO";
        if (cluster && url.startsWith("jdbc:h2:")) throw new IllegalArgumentException("store.cluster needs a shared database server (PostgreSQL), not embedded H2");
    }

    /** An embedded H2 database in {@code file}.mv.db; AUTO_SERVER lets {@code genre schedule status} and {@code genre runs} read it while the scheduler runs. */
    public static StoreConfig h2(Path file) {
        return new StoreConfig("jdbc:h2:file:" + file.toAbsolutePath().normalize() + ";AUTO_SERVER=TRUE", "sa", "", false, 0, 0, null, null);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public StoreConfig withInstanceId(String id) {
        return new StoreConfig(url, user, password, cluster, checkinMs, misfireThresholdMs, schedulerName, id);
    }
}
