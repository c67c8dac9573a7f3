package dev.genre.dataset;

import java.util.Arrays;

/** Target fractions of train/valid/test and the seed that orders clips when assigning them. */
public record SplitSpec(double[] fractions, long seed) {
    public SplitSpec {
        if (fractions.length != 3) throw new IllegalArgumentException("--split needs three fractions train,valid,test");
        double sum = 0;
        for (double f : fractions) {
            if (f < 0) throw new IllegalArgumentException("split fractions must be >= 0");
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) throw new IllegalArgumentException("split fractions must sum to 1, got " + sum);
    }

    public static SplitSpec parse(String csv, long seed) {
        String[] parts = csv.split(",");
        double[] f = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) f[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--split must be three numbers like 0.8,0.1,0.1, got " + csv);
        }
        return new SplitSpec(f, seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplitSpec s && s.seed == seed && Arrays.equals(s.fractions, fractions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fractions) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return Arrays.toString(fractions) + " seed " + seed;
    }
}
