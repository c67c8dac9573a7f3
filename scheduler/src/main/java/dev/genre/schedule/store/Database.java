package dev.genre.schedule.store;

import dev.genre.schedule.config.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The scheduler's database: Quartz's tables (from the DDL Quartz ships for H2 and PostgreSQL) and
 * the run history, created on first use. Every process (scheduler, status, runs) opens it the same way.
 */
public final class Database {
    private final StoreConfig store;

    public Database(StoreConfig store) {
        this.store = store;
    }

    public StoreConfig store() {
        return store;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(store.url(), store.user(), store.password());
    }

    /** Creates Quartz's tables and the run history when they are missing. Safe to call from several nodes at once. */
    public void install() throws SQLException, IOException {
        try (Connection c = connect()) {
            if (!hasTable(c, "QRTZ_JOB_DETAILS")) {
                String ddl = quartzDdl();
                try {
                    execute(c, ddl);
                } catch (SQLException e) {
                    if (!hasTable(c, "QRTZ_JOB_DETAILS")) throw e; // else another node created them first
                }
            }
            if (!hasTable(c, "GENRE_RUNS")) {
                try {
                    execute(c, RunTable.DDL);
                } catch (SQLException e) {
                    if (!hasTable(c, "GENRE_RUNS")) throw e;
                }
            }
        }
    }

    /** The Quartz driver delegate for this database. */
    public String delegateClass() {
        return store.isPostgres() ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
    }

    private String quartzDdl() throws IOException {
        String name = store.isPostgres() ? "tables_postgres.sql" : store.isH2() ? "tables_h2.sql" : null;
        if (name == null) throw new IOException(store.url() + ": only H2 and PostgreSQL job stores are supported");
        try (InputStream in = org.quartz.impl.jdbcjobstore.JobStoreTX.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("the Quartz jar has no " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void execute(Connection c, String script) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String stmt : statements(script)) s.execute(stmt);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Splits a DDL script on ';', dropping comments and Quartz's drop/commit lines. */
    static java.util.List<String> statements(String script) {
        StringBuilder clean = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.trim();
            if (t.startsWith("--") || t.startsWith("#")) continue;
            clean.append(line).append('\n');
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String s : clean.toString().split(";")) {
            String t = s.trim();
            String upper = t.toUpperCase(Locale.ROOT);
            if (t.isEmpty() || upper.startsWith("DROP ") || upper.equals("COMMIT")) continue;
            out.add(t);
        }
        return out;
    }

    static boolean hasTable(Connection c, String name) throws SQLException {
        for (String n : new String[] {name, name.toLowerCase(Locale.ROOT)}) {
            try (ResultSet r = c.getMetaData().getTables(null, null, n, null)) {
                if (r.next()) return true;
            }
        }
        return false;
    }
}
