package dev.genre.search.nas;

import dev.genre.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * search-curves.png, rewritten after every pass: above, what the shared weights learn (augmented
 * training accuracy, the fixed panel's validation accuracy, the mean reward of the controller's
 * samples); then the schedule and the controller (lr as a fraction of its peak, entropy); last, the
 * proposals' mean accuracy relative to the panel's.
 */
final class SearchCurves {
    static final String FILE = "search-curves.png";
    private static final int WIDTH = 900, HEIGHT = 420;

    private SearchCurves() {}

    static void write(Path out, List<SearchState.EpochSummary> history, List<ChildResult> children, double peakLr) throws IOException {
        if (history.isEmpty()) return;
        System.setProperty("java.awt.headless", "true");
        XYChart learn = chart("shared weights (validation minibatch of each pass)", "accuracy / reward");
        add(learn, "train accuracy (augmented)", history, SearchState.EpochSummary::trainAccuracy);
        int panel = history.get(history.size() - 1).panelAccuracy().size();
        for (int i = 0; i < panel; i++) {
            int k = i;
            add(learn, i == 0 ? "reference child" : "panel child " + i, history, h -> k < h.panelAccuracy().size() ? h.panelAccuracy().get(k) : Double.NaN);
        }
        add(learn, "controller samples: mean reward", history, SearchState.EpochSummary::meanReward);

        XYChart ctl = chart("schedule and controller", "value");
        add(ctl, "lr / peak", history, h -> h.lr() / peakLr);
        add(ctl, "controller entropy (nats per decision)", history, SearchState.EpochSummary::entropy);
        // The pass's proposals against the fixed panel on the same minibatch: the shared weights' progress and the
        // minibatch's difficulty cancel, what is left is what the strategy learned.
        Map<Integer, double[]> proposals = new HashMap<>();
        for (ChildResult c : children) {
            double[] sum = proposals.computeIfAbsent(c.epoch(), e -> new double[2]);
            sum[0] += c.accuracy();
            sum[1]++;
        }
        XYChart vsPanel = chart("what the strategy learned: its proposals against the fixed panel, same minibatch", "accuracy difference");
        add(vsPanel, "proposals' mean accuracy - panel's mean", history, h -> {
            double[] sum = proposals.get(h.epoch());
            if (sum == null || h.panelAccuracy().isEmpty()) return Double.NaN;
            return sum[0] / sum[1] - h.panelAccuracy().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        });

        BufferedImage img = new BufferedImage(WIDTH, 3 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        learn.paint(g, WIDTH, HEIGHT);
        g.translate(0, HEIGHT);
        ctl.paint(g, WIDTH, HEIGHT);
        g.translate(0, HEIGHT);
        vsPanel.paint(g, WIDTH, HEIGHT);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        AtomicFiles.write(out.resolve(FILE), png.toByteArray());
    }

    private static XYChart chart(String title, String y) {
        return new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("pass").yAxisTitle(y).build();
    }

    /** A series of the passes where the value exists (warm-up passes have no reward; an untrained controller no entropy). */
    private static void add(XYChart c, String name, List<SearchState.EpochSummary> history, ToDoubleFunction<SearchState.EpochSummary> f) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (SearchState.EpochSummary h : history) {
            double v = f.applyAsDouble(h);
            if (!Double.isFinite(v)) continue;
            x.add(h.epoch());
            y.add(v);
        }
        if (!x.isEmpty()) c.addSeries(name, x, y);
    }
}
