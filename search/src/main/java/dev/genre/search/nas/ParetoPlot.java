package dev.genre.search.nas;

import dev.genre.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** pareto.png: accuracy against latency of every scored child, the Pareto front, and named models marked. */
public final class ParetoPlot {
    /** A model to mark (the baseline, the final model) at its accuracy and latency. */
    public record Marker(String name, double latencyMs, double accuracy) {}

    private ParetoPlot() {}

    /** The children no other child beats on both accuracy and latency, fastest first. */
    public static List<ChildResult> front(List<ChildResult> children) {
        List<ChildResult> sorted = new ArrayList<>(children);
        sorted.sort(Comparator.comparingDouble(ChildResult::latencyMs).thenComparing(Comparator.comparingDouble(ChildResult::accuracy).reversed()));
        List<ChildResult> front = new ArrayList<>();
        double bestAcc = Double.NEGATIVE_INFINITY;
        for (ChildResult c : sorted) {
            if (c.accuracy() > bestAcc) {
                front.add(c);
                bestAcc = c.accuracy();
            }
        }
        return front;
    }

    public static void write(Path png, List<ChildResult> children, double targetMs, List<Marker> markers) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(600).title("search: accuracy against latency")
                .xAxisTitle("latency (ms, predicted for children)").yAxisTitle("validation accuracy (minibatch for children)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(6);
        if (!children.isEmpty()) {
            chart.addSeries("children (" + children.size() + ")", children.stream().map(ChildResult::latencyMs).toList(),
                    children.stream().map(ChildResult::accuracy).toList());
            List<ChildResult> front = front(children);
            XYSeries f = chart.addSeries("Pareto front", front.stream().map(ChildResult::latencyMs).toList(),
                    front.stream().map(ChildResult::accuracy).toList());
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            f.setMarker(SeriesMarkers.DIAMOND);
            double lo = children.stream().mapToDouble(ChildResult::accuracy).min().orElse(0);
            double hi = children.stream().mapToDouble(ChildResult::accuracy).max().orElse(1);
            XYSeries t = chart.addSeries("target " + targetMs + " ms", List.of(targetMs, targetMs), List.of(lo, hi));
            t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            t.setMarker(SeriesMarkers.NONE);
        }
        for (Marker m : markers) {
            XYSeries s = chart.addSeries(m.name(), List.of(m.latencyMs()), List.of(m.accuracy()));
            s.setMarker(SeriesMarkers.TRIANGLE_UP);
        }
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
