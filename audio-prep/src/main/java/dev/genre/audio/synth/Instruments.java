package dev.genre.audio.synth;

/**
 * The synthetic band: each method adds one note or hit into a buffer. Drums are noise and pitch
 * sweeps, basses and leads are additive, FM or plucked strings, so genres differ in timbre as well
 * as in rhythm and harmony. Envelopes are multiplicative recurrences (exact and cheap).
 */
final class Instruments {
    private final int rate;
    private final Rng rng;

    Instruments(int rate, Rng rng) {
        this.rate = rate;
        this.rng = rng;
    }

    /** Sine with a falling pitch: 150 Hz -> 45 Hz over ~60 ms, then an exponential tail. */
    void kick(double[] out, int at, double gain, double decaySeconds) {
        int len = (int) (decaySeconds * 3 * rate);
        double phase = 0, env = 1, k = decay(decaySeconds);
        for (int i = 0; i < len && at + i < out.length; i++) {
            double t = i / (double) rate;
            double f = 45 + 105 * Math.max(0, 1 - t / 0.06);
            phase += f / rate;
            out[at + i] += gain * env * Osc.sin(phase);
            env *= k;
        }
    }

    /** Noise burst plus a 190 Hz body; {@code tone} from 0 (brush) to 1 (tight). */
    void snare(double[] out, int at, double gain, double tone) {
        int len = (int) (0.25 * rate);
        double env = 1, k = decay(0.06 + 0.05 * (1 - tone)), phase = 0, lp = 0;
        for (int i = 0; i < len && at + i < out.length; i++) {
            double n = rng.noise();
            lp += 0.35 * (n - lp);
            phase += 190.0 / rate;
            out[at + i] += gain * env * ((n - 0.5 * lp) * 0.8 + tone * 0.5 * Osc.sin(phase));
            env *= k;
        }
    }

    /** High-passed noise: closed (short) or open (long) hi-hat. */
    void hat(double[] out, int at, double gain, double decaySeconds) {
        int len = (int) (decaySeconds * 4 * rate);
        double env = 1, k = decay(decaySeconds), lp = 0;
        for (int i = 0; i < len && at + i < out.length; i++) {
            double n = rng.noise();
            lp += 0.6 * (n - lp);
            out[at + i] += gain * env * (n - lp);
            env *= k;
        }
    }

    /** Ride cymbal: inharmonic FM partials over noise, long ring. */
    void ride(double[] out, int at, double gain) {
        int len = (int) (0.9 * rate);
        double env = 1, k = decay(0.35), pc = 0, pm = 0, lp = 0;
        for (int i = 0; i < len && at + i < out.length; i++) {
            pc += 3150.0 / rate;
            pm += 4730.0 / rate;
            double n = rng.noise();
            lp += 0.5 * (n - lp);
            out[at + i] += gain * env * (0.5 * Osc.sin(pc + 1.8 * Osc.sin(pm)) + 0.4 * (n - lp));
            env *= k;
        }
    }

    /** Bass note: a few harmonics through a decaying brightness, optional pitch drop (808). */
    void bass(double[] out, int at, int samples, double midi, double gain, int harmonics, boolean drop808) {
        double f0 = Osc.midiToHz(midi), phase = 0, env = 0, bright = 1, kb = decay(0.15);
        int attack = (int) (0.005 * rate), release = (int) (0.02 * rate);
        for (int i = 0; i < samples + release && at + i < out.length; i++) {
            double f = drop808 ? f0 * (1 + 0.5 * Math.max(0, 1 - i / (0.05 * rate))) : f0;
            phase += f / rate;
            env = i < attack ? i / (double) attack : i < samples ? 1 : Math.max(0, 1 - (i - samples) / (double) release);
            double s = Osc.sin(phase);
            for (int h = 2; h <= harmonics; h++) s += bright * Osc.sin(phase * h) / (h * 1.3);
            out[at + i] += gain * env * s;
            bright *= kb;
        }
    }

    /** Additive pad or string section: detuned saws, slow attack, vibrato. */
    void pad(double[] out, int at, int samples, double midi, double gain, double attackSeconds, double vibratoHz) {
        double f0 = Osc.midiToHz(midi);
        int harmonics = Math.max(1, Math.min(12, (int) (rate / 2.2 / f0)));
        int attack = Math.max(1, (int) (attackSeconds * rate)), release = (int) (0.3 * rate);
        double p1 = rng.next(), p2 = rng.next(), pv = rng.next();
        for (int i = 0; i < samples + release && at + i < out.length; i++) {
            pv += vibratoHz / rate;
            double vib = 1 + 0.004 * Osc.sin(pv);
            p1 += f0 * vib * 1.003 / rate;
            p2 += f0 * vib * 0.997 / rate;
            double env = i < attack ? i / (double) attack : i < samples ? 1 : Math.max(0, 1 - (i - samples) / (double) release);
            out[at + i] += gain * env * 0.5 * (Osc.saw(p1, harmonics) + Osc.saw(p2, harmonics));
        }
    }

    /** Two-operator FM: electric piano (ratio 1) or bell (ratio 3.5). */
    void fm(double[] out, int at, int samples, double midi, double gain, double ratio, double index, double decaySeconds) {
        double f0 = Osc.midiToHz(midi), pc = 0, pm = 0, env = 1, k = decay(decaySeconds), ki = decay(decaySeconds * 0.5), idx = index;
        int len = samples + (int) (decaySeconds * rate);
        for (int i = 0; i < len && at + i < out.length; i++) {
            pc += f0 / rate;
            pm += f0 * ratio / rate;
            out[at + i] += gain * env * Osc.sin(pc + idx * Osc.sin(pm));
            env *= i < samples ? k : k * k;
            idx *= ki;
        }
    }

    /** Drawbar organ: fixed harmonic mix, a short click, no decay. */
    void organ(double[] out, int at, int samples, double midi, double gain) {
        double f0 = Osc.midiToHz(midi), p = 0;
        int[] bars = {1, 2, 3, 4, 6, 8};
        double[] levels = {1, 0.7, 0.5, 0.35, 0.2, 0.15};
        int release = (int) (0.01 * rate);
        for (int i = 0; i < samples + release && at + i < out.length; i++) {
            p += f0 / rate;
            double env = i < samples ? Math.min(1, i / (0.003 * rate)) : Math.max(0, 1 - (i - samples) / (double) release);
            double s = 0;
            for (int b = 0; b < bars.length; b++) if (f0 * bars[b] < rate / 2.2) s += levels[b] * Osc.sin(p * bars[b]);
            out[at + i] += gain * env * s * 0.4;
        }
    }

    /** Karplus-Strong plucked string (acoustic guitar or skank chop). */
    void pluck(double[] out, int at, int samples, double midi, double gain, double damping) {
        int period = Math.max(2, (int) Math.round(rate / Osc.midiToHz(midi)));
        double[] line = new double[period];
        for (int i = 0; i < period; i++) line[i] = rng.noise();
        int len = samples + (int) (0.05 * rate);
        for (int i = 0, j = 0; i < len && at + i < out.length; i++) {
            int next = (j + 1) % period;
            double v = line[j];
            line[j] = damping * 0.5 * (line[j] + line[next]);
            double env = i < samples ? 1 : Math.max(0, 1 - (i - samples) / (0.05 * rate));
            out[at + i] += gain * env * v;
            j = next;
        }
    }

    /** Distorted guitar power chord: root + fifth + octave saws through a soft clipper. */
    void powerChord(double[] out, int at, int samples, double midi, double gain, double drive, boolean palmMute) {
        double[] f = {Osc.midiToHz(midi), Osc.midiToHz(midi + 7), Osc.midiToHz(midi + 12)};
        double[] p = {rng.next(), rng.next(), rng.next()};
        double env = 1, k = decay(palmMute ? 0.08 : 1.5), lp = 0;
        int release = (int) (0.02 * rate);
        for (int i = 0; i < samples + release && at + i < out.length; i++) {
            double s = 0;
            for (int v = 0; v < 3; v++) {
                p[v] += f[v] / rate;
                s += Osc.saw(p[v], 8);
            }
            double r = i < samples ? 1 : Math.max(0, 1 - (i - samples) / (double) release);
            double y = Osc.softClip(drive * s * env);
            lp += (palmMute ? 0.25 : 0.6) * (y - lp); // cabinet: a one-pole low-pass
            out[at + i] += gain * r * lp;
            env *= k;
        }
    }

    private double decay(double seconds) {
        return StrictMath.exp(-1.0 / (seconds * rate));
    }
}
