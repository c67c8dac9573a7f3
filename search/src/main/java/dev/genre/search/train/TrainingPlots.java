package dev.genre.search.train;

import dev.genre.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** training-curves.png (loss and accuracies per epoch) and confusion.png (test clips, true x predicted). */
final class TrainingPlots {
    private TrainingPlots() {}

    static void write(Path out, List<EpochMetrics> history, Evaluation test, List<String> genres) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart curves = new XYChartBuilder().width(800).height(500).title("training").xAxisTitle("epoch").yAxisTitle("value").build();
        List<Integer> epochs = new ArrayList<>();
        List<Double> loss = new ArrayList<>(), trainAcc = new ArrayList<>(), validClip = new ArrayList<>(), validSeg = new ArrayList<>();
        for (EpochMetrics m : history) {
            epochs.add(m.epoch());
            loss.add(m.trainLoss());
            trainAcc.add(m.trainAccuracy());
            validClip.add(m.validClipAccuracy());
            validSeg.add(m.validSegmentAccuracy());
        }
        if (!epochs.isEmpty()) {
            curves.addSeries("train loss", epochs, loss);
            curves.addSeries("train accuracy (augmented)", epochs, trainAcc);
            if (!validSeg.contains(Double.NaN)) { // a final model trains on the validation clips: no curve
                curves.addSeries("valid segment accuracy", epochs, validSeg);
                curves.addSeries("valid clip accuracy", epochs, validClip);
            }
        }
        byte[] png = BitmapEncoder.getBitmapBytes(curves, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(out.resolve("training-curves.png"), png);

        int n = genres.size();
        HeatMapChart confusion = new HeatMapChartBuilder().width(700).height(650).title("test clips: true (rows) x predicted").build();
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) for (int p = 0; p < n; p++) cells.add(new Number[] {p, n - 1 - t, test.confusion()[t][p]});
        List<String> reversed = new ArrayList<>(genres);
        java.util.Collections.reverse(reversed);
        confusion.addSeries("clips", genres, reversed, cells);
        confusion.getStyler().setShowValue(true);
        AtomicFiles.write(out.resolve("confusion.png"), BitmapEncoder.getBitmapBytes(confusion, BitmapEncoder.BitmapFormat.PNG));
    }
}
