package dev.genre.schedule.quartz;

import dev.genre.io.Json;
import dev.genre.schedule.config.StoreConfig;

/** One clustered scheduler node for {@link ClusterTest}: starts on the given store and runs until killed or its stdin closes. */
public final class ClusterNodeMain {
    private ClusterNodeMain() {}

    public static void main(String[] args) throws Exception {
        StoreConfig store = Json.MAPPER.readValue(args[0], StoreConfig.class);
        try (NightlyScheduler s = NightlyScheduler.open(store)) {
            s.start();
            System.out.println("started " + store.instanceId());
            System.out.flush();
            while (System.in.read() >= 0) { /* the test keeps stdin open while this node should live */ }
        }
    }
}
