package dev.genre.cli;

import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.quant.AdaRound;
import dev.genre.deploy.quant.QuantAwareTuning;
import dev.genre.run.Progress;
import dev.genre.run.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a model package (ONNX float, optional int8 QDQ) from a training run";
    }

    @Override
    public String usage() {
        return "--model TRAINED_DIR --output PACKAGE_DIR [--int8] [--calibration DATASET] [--calibration-segments N] [--sensitivity] [--adaround] [--qat-epochs N]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.required("model", "DIR", "training run folder (genre train --output)"));
        o.addOption(Flags.required("output", "DIR", "package folder to write (replaced atomically)"));
        o.addOption(Flags.flag("int8", "also write model-int8.onnx (post-training static quantization, QDQ)"));
        o.addOption(Flags.value("calibration", "DATASET", "dataset whose train split calibrates activations (default: the training dataset)"));
        o.addOption(Flags.flag("sensitivity", "with --int8: measure each layer's int8 cost and keep the costliest float (slower)"));
        o.addOption(Flags.value("calibration-segments", "N", "segments to calibrate on (default 256)"));
        o.addOption(Flags.flag("adaround", "with --int8: round each int8 weight up or down to keep its layer's output on the calibration segments closest to float (AdaRound)"));
        o.addOption(Flags.value("qat-epochs", "N", "with --int8: epochs of quantization-aware fine-tuning against the float model (default 0: off)"));
        o.addOption(Flags.value("qat-lr", "X", "peak learning rate of that fine-tuning (default " + QuantAwareTuning.Options.defaults().lr() + ")"));
        o.addOption(Flags.value("seed", "K", "seed of the calibration sample (default 0)"));
        return o;
    }

    /** --adaround as the exporter's rounding options, null when off (nearest); shared with bench int8. */
    static AdaRound.Options rounding(CommandLine cmd) {
        if (!cmd.hasOption("adaround")) return null;
        AdaRound.Options d = AdaRound.Options.defaults();
        return new AdaRound.Options(d.iterations(), d.batch(), d.lambda(), d.lr(), Flags.longValue(cmd, "seed", 0));
    }

    /** --qat-epochs / --qat-lr as the exporter's tuning options, null when off; shared with bench int8. */
    static QuantAwareTuning.Options tuning(CommandLine cmd) {
        int epochs = Flags.intValue(cmd, "qat-epochs", 0);
        if (epochs < 0) throw new IllegalArgumentException("--qat-epochs must be at least 0");
        QuantAwareTuning.Options d = QuantAwareTuning.Options.defaults();
        return epochs == 0 ? null : new QuantAwareTuning.Options(epochs, Flags.doubleValue(cmd, "qat-lr", d.lr()), Flags.longValue(cmd, "seed", 0));
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        Instant started = Instant.now();
        Path model = Path.of(cmd.getOptionValue("model")), out = Path.of(cmd.getOptionValue("output"));
        Exporter.Options o = new Exporter.Options(cmd.hasOption("int8"), cmd.hasOption("calibration") ? Path.of(cmd.getOptionValue("calibration")) : null,
                Flags.intValue(cmd, "calibration-segments", 256), Flags.longValue(cmd, "seed", 0), cmd.hasOption("sensitivity"),
                tuning(cmd), rounding(cmd));
        Exporter.Report r = Exporter.export(model, out, o, Progress.auto());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", model.toAbsolutePath().normalize().toString());
        params.put("options", o);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("maxLogitDifferenceVsDjl", r.maxLogitDiff());
        result.put("quantization", r.quant());
        RunRecord.of("export", params, o.seed(), Map.of("model.params.sha256", dev.genre.io.Hashes.sha256(model.resolve("model.params"))),
                started, result).writeTo(out);
        System.out.printf("export: %s -> %s (ONNX vs DJL max |logit diff| %.2e on %d test segments)%n", model, out, r.maxLogitDiff(),
                r.checkedSegments());
        if (r.quant() != null) {
            var q = r.quant();
            if (q.tuning() != null) {
                var last = q.tuning().get(q.tuning().size() - 1);
                System.out.printf("int8-aware tuning: %d epochs, loss against float %.4f, agreement on training batches %.3f%n", q.tuning().size(),
                        last.loss(), last.agreement());
            }
            System.out.printf("int8 (%s calibration): test segment accuracy %.3f -> %.3f, clip %.3f -> %.3f, top-1 agreement %.4f over %d segments,"
                    + " size x%.2f, latency %.2f -> %.2f ms (x%.2f)%n", q.method(), q.floatSegmentAccuracy(), q.int8SegmentAccuracy(),
                    q.floatClipAccuracy(), q.int8ClipAccuracy(), q.top1Agreement(), q.segments(), q.sizeRatio(), q.floatLatencyMs(),
                    q.int8LatencyMs(), q.latencyRatio());
        }
        return OK;
    }
}
