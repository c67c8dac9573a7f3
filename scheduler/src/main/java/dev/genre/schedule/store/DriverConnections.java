package dev.genre.schedule.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.quartz.utils.ConnectionProvider;

/**
 * Quartz's connections, without the c3p0/HikariCP pool Quartz would otherwise want on the class
 * path: H2's own pool for the embedded database, a plain driver connection per call for a server
 * (Quartz holds one per job store transaction; a nightly scheduler makes a few a minute).
 * Quartz sets the properties below from {@code org.quartz.dataSource.genre.*}.
 */
public final class DriverConnections implements ConnectionProvider {
    private String url, user = "", password = "";
    private JdbcConnectionPool h2;

    public void setUrl(String url) {
        this.url = url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public void initialize() {
        if (url.startsWith("jdbc:h2:")) h2 = JdbcConnectionPool.create(url, user, password);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return h2 != null ? h2.getConnection() : DriverManager.getConnection(url, user, password);
    }

    @Override
    public void shutdown() {
        if (h2 != null) h2.dispose();
    }
}
