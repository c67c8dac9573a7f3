package dev.genre.audio.synth;

import java.util.List;

/**
 * What makes a synthetic genre: tempo range and feel, 16-step drum patterns, bass line, harmony,
 * instruments and loudness. Patterns use one character per sixteenth: {@code x} hit, {@code o}
 * open hat, {@code r} ride,
 * {@code g} ghost note, {@code ?} a hit half the time, {@code .} rest.
 */
record GenreStyle(
        String name,
        double bpmMin,
        double bpmMax,
        double swing,
        boolean minor,
        List<int[]> progressions,
        int barsPerChord,
        String kick,
        String snare,
        String hats,
        Bass bass,
        Chords chords,
        String chordRhythm,
        Lead lead,
        double loudnessDbMin,
        double loudnessDbMax) {

    enum Bass { NONE, ROOT_EIGHTHS, WALKING, SUB_808, OFFBEAT_DUB, ACID_SIXTEENTHS, SUSTAINED }

    enum Chords { NONE, POWER_DISTORTED, POWER_PALM_MUTED, EPIANO_SEVENTHS, STRINGS, ORGAN_SKANK, PAD, STAB }

    enum Lead { NONE, BELLS, PLUCK, STRINGS_MELODY, FM_ARP }

    boolean hasDrums() {
        return !(kick.isBlank() && snare.isBlank() && hats.isBlank());
    }
}
