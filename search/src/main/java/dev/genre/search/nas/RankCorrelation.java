package dev.genre.search.nas;

/** Rank agreement of two score lists over the same items: Kendall's tau-b and Spearman's rho, both with ties (supernet ranking, latency prediction). */
public final class RankCorrelation {
    private RankCorrelation() {}

    /** Kendall's tau-b: concordant minus discordant pairs, normalised for ties in either list (as scipy's kendalltau). */
    public static double kendallTau(double[] a, double[] b) {
        check(a, b);
        long concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double da = Math.signum(a[i] - a[j]), db = Math.signum(b[i] - b[j]);
                if (da == 0 && db == 0) continue;
                if (da == 0) tiesA++;
                else if (db == 0) tiesB++;
                else if (da == db) concordant++;
                else discordant++;
            }
        }
        double n = Math.sqrt((double) (concordant + discordant + tiesA) * (concordant + discordant + tiesB));
        return n == 0 ? Double.NaN : (concordant - discordant) / n;
    }

    /** Spearman's rho: Pearson's correlation of the ranks, tied items sharing their mean rank. */
    public static double spearmanRho(double[] a, double[] b) {
        check(a, b);
        double[] ra = ranks(a), rb = ranks(b);
        double ma = 0, mb = 0;
        for (int i = 0; i < ra.length; i++) {
            ma += ra[i] / ra.length;
            mb += rb[i] / rb.length;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    public static double[] ranks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (i, j) -> Double.compare(x[i], x[j]));
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; ) {
            int j = i;
            while (j + 1 < x.length && x[order[j + 1]] == x[order[i]]) j++;
            for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return r;
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) throw new IllegalArgumentException("need two lists of one length >= 2, got " + a.length + " and " + b.length);
    }
}
