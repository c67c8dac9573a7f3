package dev.genre.audio.synth;

/**
 * Renders one clip of a synthetic genre. Everything that varies between clips of a genre (tempo,
 * key, progression, which instruments play and how loud, background noise, master gain) is drawn
 * from a generator derived from (seed, genre, clip index) alone, so each clip is reproducible on
 * its own and adding clips never changes the others.
 */
public final class ClipSynthesizer {
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};
    private static final int STEPS_PER_BAR = 16;

    private final int rate;

    public ClipSynthesizer(int rate) {
        this.rate = rate;
    }

    /** 16-bit PCM samples of clip {@code index} of {@code genre}. */
    public short[] render(String genre, long seed, int index, double seconds) {
        GenreStyle style = SyntheticGenres.byName(genre);
        Rng rng = Rng.derive(seed, genre, Integer.toString(index));
        int n = (int) Math.round(seconds * rate);
        Song song = new Song(style, rng, n);
        double[] mix = song.mix();
        return master(mix, rng, style);
    }

    /** The arrangement of one clip: tempo, key, progression and the buses it renders. */
    private final class Song {
        final GenreStyle style;
        final Rng rng;
        final Instruments inst;
        final int n;
        final double step; // samples per sixteenth
        final int tonic;   // MIDI note of the bass tonic
        final int[] scale;
        final int[] progression;

        Song(GenreStyle style, Rng rng, int n) {
            this.style = style;
            this.rng = rng;
            this.inst = new Instruments(rate, rng);
            this.n = n;
            double bpm = rng.uniform(style.bpmMin(), style.bpmMax());
            this.step = 60.0 / bpm / 4 * rate;
            this.tonic = 33 + rng.nextInt(12);
            this.scale = style.minor() ? MINOR : MAJOR;
            this.progression = style.progressions().get(rng.nextInt(style.progressions().size()));
        }

        double[] mix() {
            double[] out = new double[n];
            // Instrument mix: each bus at a random level, optional parts sometimes sit out.
            addBus(out, drums(), style.hasDrums() ? db(rng.uniform(-3, 3)) : 0);
            addBus(out, bass(), db(rng.uniform(-4, 2)));
            addBus(out, chords(), db(rng.uniform(-4, 2)));
            addBus(out, lead(), rng.chance(0.8) ? db(rng.uniform(-8, 0)) : 0);
            return out;
        }

        int steps() {
            return (int) Math.ceil(n / step);
        }

        /** Sample index of sixteenth {@code s}, with offbeats pushed late by the swing ratio. */
        int at(int s) {
            double swing = style.swing() > 0 ? style.swing() : 0.5;
            double shift = (s % 4 == 2) ? (swing - 0.5) * 4 : (s % 2 == 1) ? (swing - 0.5) * 2 : 0;
            return (int) Math.round((s + shift) * step);
        }

        int[] chordAt(int s, boolean seventh) {
            int bar = s / STEPS_PER_BAR;
            int degree = progression[(bar / style.barsPerChord()) % progression.length];
            int size = seventh ? 4 : 3;
            int[] notes = new int[size];
            for (int i = 0; i < size; i++) notes[i] = degreeToMidi(degree + 2 * i);
            return notes;
        }

        int degreeToMidi(int degree) {
            int octave = Math.floorDiv(degree, scale.length);
            return tonic + 12 * octave + scale[Math.floorMod(degree, scale.length)];
        }

        boolean hit(String pattern, int s, char c) {
            if (pattern.isEmpty()) return false;
            char p = pattern.charAt(s % pattern.length());
            return p == c || (c == 'x' && p == '?' && rng.chance(0.5));
        }

        double[] drums() {
            double[] out = new double[n];
            if (!style.hasDrums()) return out;
            double snareTone = style.swing() > 0.6 ? 0.2 : 0.8;
            double kickDecay = style.bass() == GenreStyle.Bass.SUB_808 ? 0.25 : 0.12;
            double hatLevel = rng.chance(0.9) ? db(rng.uniform(-16, -8)) : 0;
            for (int s = 0; s < steps(); s++) {
                int t = at(s);
                if (t >= n) break;
                double human = db(rng.uniform(-1.5, 0));
                if (hit(style.kick(), s, 'x')) inst.kick(out, t, 0.9 * human, kickDecay);
                if (hit(style.snare(), s, 'x')) inst.snare(out, t, 0.6 * human, snareTone);
                if (hit(style.snare(), s, 'g')) inst.snare(out, t, 0.15 * human, snareTone);
                if (hit(style.hats(), s, 'x')) inst.hat(out, t, hatLevel * human, 0.03);
                if (hit(style.hats(), s, 'o')) inst.hat(out, t, hatLevel * human, 0.12);
                if (hit(style.hats(), s, 'r')) inst.ride(out, t, 0.6 * hatLevel * human);
            }
            return out;
        }

        double[] bass() {
            double[] out = new double[n];
            for (int s = 0; s < steps(); s++) {
                int t = at(s);
                if (t >= n) break;
                int root = chordAt(s, false)[0];
                int[] chord = chordAt(s, true);
                int pos = s % STEPS_PER_BAR;
                switch (style.bass()) {
                    case ROOT_EIGHTHS -> {
                        if (pos % 2 == 0) inst.bass(out, t, (int) (1.8 * step), root + (rng.chance(0.15) ? 12 : 0), 0.45, 4, false);
                    }
                    case WALKING -> {
                        if (pos % 4 == 0) {
                            int note = pos == 12 ? degreeToMidi(progression[((s / 16 + 1) / style.barsPerChord()) % progression.length]) + (rng.chance(0.5) ? 1 : -1)
                                    : chord[rng.nextInt(chord.length)];
                            inst.bass(out, t, (int) (3.6 * step), note, 0.5, 3, false);
                        }
                    }
                    case SUB_808 -> {
                        if (hit(style.kick(), s, 'x')) inst.bass(out, t, (int) (5 * step), root, 0.6, 1, true);
                    }
                    case OFFBEAT_DUB -> {
                        if (pos == 0 || pos == 3 || pos == 6 || pos == 10 || pos == 11) {
                            int note = pos == 6 ? chord[2] : pos == 11 ? root + 12 : root;
                            inst.bass(out, t, (int) (2.5 * step), note, 0.6, 2, false);
                        }
                    }
                    case ACID_SIXTEENTHS -> {
                        if (rng.chance(0.7)) {
                            int note = root + new int[] {0, 0, 12, 7, 3}[rng.nextInt(5)];
                            inst.bass(out, t, (int) (0.8 * step), note, 0.35, 9, false);
                        }
                    }
                    case SUSTAINED -> {
                        if (pos == 0 && (s / STEPS_PER_BAR) % style.barsPerChord() == 0) {
                            inst.pad(out, t, (int) (STEPS_PER_BAR * style.barsPerChord() * step * 0.95), root, 0.25, 0.3, 5);
                        }
                    }
                    case NONE -> { }
                }
            }
            return out;
        }

        double[] chords() {
            double[] out = new double[n];
            GenreStyle.Chords kind = style.chords();
            for (int s = 0; s < steps(); s++) {
                int t = at(s);
                if (t >= n) break;
                boolean chordStart = s % STEPS_PER_BAR == 0 && (s / STEPS_PER_BAR) % style.barsPerChord() == 0;
                if (!hit(style.chordRhythm(), s, 'x') && !(kind == GenreStyle.Chords.PAD || kind == GenreStyle.Chords.STRINGS)) continue;
                int[] chord = chordAt(s, kind == GenreStyle.Chords.EPIANO_SEVENTHS);
                int up = 24;
                switch (kind) {
                    case POWER_DISTORTED -> inst.powerChord(out, t, (int) (7.5 * step), chord[0] + 12, 0.35, 4, false);
                    case POWER_PALM_MUTED -> inst.powerChord(out, t, (int) (0.9 * step), chord[0] + 12, 0.4, 7, true);
                    case EPIANO_SEVENTHS -> { for (int note : chord) inst.fm(out, t, (int) (5 * step), note + up, 0.12, 1, 1.2, 0.8); }
                    case ORGAN_SKANK -> { for (int note : chord) inst.organ(out, t, (int) (0.8 * step), note + up, 0.12); }
                    case STAB -> { for (int note : chord) inst.fm(out, t, (int) (0.5 * step), note + up, 0.1, 2, 2.5, 0.12); }
                    case STRINGS, PAD -> {
                        if (chordStart) {
                            int len = (int) (STEPS_PER_BAR * style.barsPerChord() * step);
                            double attack = kind == GenreStyle.Chords.PAD ? 1.2 : 0.35;
                            double vibrato = kind == GenreStyle.Chords.STRINGS ? 5.5 : 0.3;
                            for (int note : chord) inst.pad(out, t, len, note + up, 0.08, attack, vibrato);
                        }
                    }
                    case NONE -> { }
                }
            }
            return out;
        }

        double[] lead() {
            double[] out = new double[n];
            int degree = 7 + rng.nextInt(5);
            for (int s = 0; s < steps(); s++) {
                int t = at(s);
                if (t >= n) break;
                int pos = s % STEPS_PER_BAR;
                int[] chord = chordAt(s, true);
                switch (style.lead()) {
                    case BELLS -> {
                        if (pos % 4 == 0 && rng.chance(0.3)) inst.fm(out, t, (int) step, chord[rng.nextInt(4)] + 36, 0.15, 3.5, 2.0, 1.2);
                    }
                    case PLUCK -> {
                        if (pos % 2 == 0 && rng.chance(0.45)) {
                            degree += rng.nextInt(5) - 2;
                            degree = Math.max(7, Math.min(18, degree));
                            inst.pluck(out, t, (int) (2 * step), degreeToMidi(degree) + 12, 0.3, 0.996);
                        }
                    }
                    case STRINGS_MELODY -> {
                        if (pos % 8 == 0) {
                            degree += rng.nextInt(5) - 2;
                            degree = Math.max(7, Math.min(18, degree));
                            inst.pad(out, t, (int) (7.5 * step), degreeToMidi(degree) + 12, 0.12, 0.12, 6);
                        }
                    }
                    case FM_ARP -> inst.fm(out, t, (int) (0.7 * step), chord[pos % 4] + 36, 0.06, 2, 1.5, 0.08);
                    case NONE -> { }
                }
            }
            return out;
        }
    }

    private static void addBus(double[] out, double[] bus, double gain) {
        if (gain == 0) return;
        for (int i = 0; i < out.length; i++) out[i] += gain * bus[i];
    }

    /** Background noise, loudness normalisation, a soft limiter and TPDF-dithered 16-bit output. */
    private short[] master(double[] x, Rng rng, GenreStyle style) {
        double rms = rms(x);
        double target = db(rng.uniform(style.loudnessDbMin(), style.loudnessDbMax()));
        double gain = rms > 0 ? target / rms : 0;
        double noiseLevel = target * db(rng.uniform(-50, -30));
        double lp = 0, color = rng.uniform(0.05, 0.9);
        short[] pcm = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            lp += color * (rng.noise() - lp);
            double y = gain * x[i] + noiseLevel * lp;
            // Soft knee from 0.6: peaks bend towards 0.95 instead of clipping at full scale.
            y = Math.abs(y) > 0.6 ? Math.signum(y) * (0.6 + 0.35 * Osc.softClip((Math.abs(y) - 0.6) / 0.35)) : y;
            double dither = (rng.next() - rng.next()) / 32768.0;
            long q = Math.round((y + dither) * 32767.0);
            pcm[i] = (short) Math.max(-32768, Math.min(32767, q));
        }
        return pcm;
    }

    private static double rms(double[] x) {
        double sum = 0;
        for (double v : x) sum += v * v;
        return Math.sqrt(sum / Math.max(1, x.length));
    }

    private static double db(double decibels) {
        return StrictMath.pow(10, decibels / 20);
    }
}
