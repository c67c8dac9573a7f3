package dev.genre.audio.mel;

/**
 * Samples to the mel power spectrogram ([nMels, frames] row-major, before dB): the hot loop of
 * audio-prep. Two implementations compute the same sums in double precision: {@link VectorMelPower}
 * (SIMD across frames, about 2x faster) when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} (the launcher and the tests do), and {@link ScalarMelPower} (JTransforms)
 * otherwise, so a JVM started without the flag still works.
 */
interface MelPowerKernel {
    /** Set to {@code scalar} to force the JTransforms path (benchmarks and parity tests use it). */
    String PROPERTY = "genre.mel.kernel";

    /**
     * @param timers null, or nanoseconds to add to: [0] framing + window, [1] FFT, [2] power + mel
     *     product (per-stage timing; the vector kernel cannot separate framing from the FFT and
     *     reports them together in [1])
     */
    float[] melPower(float[] samples, long[] timers);

    /** librosa.power_to_db of a whole clip's mel power, in place (see {@link PowerToDb}). */
    void powerToDb(float[] mel);

    String name();

    static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    static MelPowerKernel create(MelParams params, MelFilterBank bank) {
        boolean scalar = "scalar".equals(System.getProperty(PROPERTY));
        if (!scalar && vectorAvailable()) {
            try {
                return vector(params, bank);
            } catch (RuntimeException | LinkageError e) { // a CPU whose vectors the kernel cannot shape: the scalar path still works
                return new ScalarMelPower(params, bank);
            }
        }
        return new ScalarMelPower(params, bank);
    }

    static MelPowerKernel vector(MelParams params, MelFilterBank bank) {
        // Reflection keeps the incubator classes out of this class's linkage when the module is absent.
        try {
            return (MelPowerKernel) Class.forName("dev.genre.audio.mel.VectorMelPower")
                    .getDeclaredConstructor(MelParams.class, MelFilterBank.class).newInstance(params, bank);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the vector mel kernel", e);
        }
    }
}
