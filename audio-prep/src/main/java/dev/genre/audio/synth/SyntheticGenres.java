package dev.genre.audio.synth;

import java.util.List;

/**
 * The catalogue of synthetic genres, ordered so that the first six are the most distinct
 * ({@code --genres 6} keeps them). Progressions are scale degrees (0 = tonic) in the genre's mode.
 */
public final class SyntheticGenres {
    private SyntheticGenres() {}

    static final List<GenreStyle> ALL = List.of(
            new GenreStyle("rock", 100, 140, 0, false, List.of(new int[] {0, 4, 5, 3}, new int[] {0, 3, 4, 3}), 1,
                    "x.....x.x.......", "....x.......x...", "x.x.x.x.x.x.x.x.",
                    GenreStyle.Bass.ROOT_EIGHTHS, GenreStyle.Chords.POWER_DISTORTED, "x.......x.......", GenreStyle.Lead.NONE, -14, -10),
            new GenreStyle("techno", 122, 135, 0, true, List.of(new int[] {0, 0, 0, 0}, new int[] {0, 0, 5, 5}), 1,
                    "x...x...x...x...", "....x.......x...", "..o...o...o...o.",
                    GenreStyle.Bass.ACID_SIXTEENTHS, GenreStyle.Chords.STAB, "...x.....x......", GenreStyle.Lead.FM_ARP, -12, -9),
            new GenreStyle("jazz", 100, 180, 0.62, false, List.of(new int[] {1, 4, 0, 0}, new int[] {0, 5, 1, 4}), 1,
                    "x.......?.......", "..g.....g..?..g.", "r...r..rr...r..r",
                    GenreStyle.Bass.WALKING, GenreStyle.Chords.EPIANO_SEVENTHS, "x.....?.....x...", GenreStyle.Lead.PLUCK, -22, -16),
            new GenreStyle("classical", 60, 100, 0, false, List.of(new int[] {0, 3, 4, 0}, new int[] {0, 5, 3, 4}), 2,
                    "", "", "",
                    GenreStyle.Bass.SUSTAINED, GenreStyle.Chords.STRINGS, "x...............", GenreStyle.Lead.STRINGS_MELODY, -26, -18),
            new GenreStyle("hiphop", 80, 98, 0.58, true, List.of(new int[] {0, 5, 0, 5}, new int[] {0, 3, 5, 4}), 1,
                    "x......x..x.....", "....x.......x...", "x.xxx.x.x.xxx.x.",
                    GenreStyle.Bass.SUB_808, GenreStyle.Chords.PAD, "x...............", GenreStyle.Lead.BELLS, -13, -9),
            new GenreStyle("reggae", 66, 84, 0.55, false, List.of(new int[] {0, 3, 0, 3}, new int[] {0, 4, 3, 0}), 1,
                    "........x.......", "........x.......", "x.x.x.x.x.x.x.x.",
                    GenreStyle.Bass.OFFBEAT_DUB, GenreStyle.Chords.ORGAN_SKANK, "..x...x...x...x.", GenreStyle.Lead.NONE, -17, -12),
            new GenreStyle("ambient", 60, 80, 0, false, List.of(new int[] {0, 3}, new int[] {0, 5}), 4,
                    "", "", "",
                    GenreStyle.Bass.NONE, GenreStyle.Chords.PAD, "x...............", GenreStyle.Lead.BELLS, -28, -20),
            new GenreStyle("metal", 160, 200, 0, true, List.of(new int[] {0, 5, 6, 0}, new int[] {0, 1, 0, 6}), 1,
                    "r...r..rr...r..r", "....x.......x...", "x...x...x...x...",
                    GenreStyle.Bass.ROOT_EIGHTHS, GenreStyle.Chords.POWER_PALM_MUTED, "r...r..rr...r..r", GenreStyle.Lead.NONE, -10, -7));

    public static final int MAX = ALL.size();

    public static List<String> names(int count) {
        if (count < 1 || count > MAX) throw new IllegalArgumentException("--genres must be between 1 and " + MAX + ", got " + count);
        return ALL.subList(0, count).stream().map(GenreStyle::name).toList();
    }

    static GenreStyle byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown synthetic genre: " + name));
    }
}
