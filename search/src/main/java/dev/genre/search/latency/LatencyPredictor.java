package dev.genre.search.latency;

import dev.genre.search.spec.Layer;
import dev.genre.search.spec.LayerKey;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;

/**
 * Predicted latency of a spec on a profiled device: the fixed overhead plus the table entry of each
 * resolved layer (OFA's latency tables work the same way). The keys come from {@link LayerKey}, the
 * function the profiler used, so a spec of the profiled space always finds its layers.
 */
public final class LatencyPredictor {
    private final DeviceProfile profile;

    public LatencyPredictor(DeviceProfile profile) {
        this.profile = profile;
    }

    public double predictMs(NetworkSpec spec) {
        return profile.scale() * layerSumMs(spec) + profile.overheadMs();
    }

    /** The sum over the spec's layers alone, without the per-network overhead. */
    public double layerSumMs(NetworkSpec spec) {
        double sum = 0;
        for (Layer row : SpecResolver.resolve(spec)) {
            String key = LayerKey.of(row);
            LayerLatency l = profile.layers().get(key);
            if (l == null) {
                throw new IllegalArgumentException("device profile has no layer '" + key + "' (" + row.block() + ", row " + row.index() + " of "
                        + spec.name() + "): the spec is outside the space the profile was built for; rebuild the profile for this space "
                        + "(genre profile-device --space SPACE.json)");
            }
            sum += l.ms();
        }
        return sum;
    }
}
