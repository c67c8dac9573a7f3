package dev.genre.deploy.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.deploy.TestData;
import dev.genre.deploy.classify.Classifier;
import dev.genre.deploy.latency.LatencyStats;
import dev.genre.deploy.latency.LocalLatency;
import dev.genre.deploy.quant.QdqQuantizer;
import dev.genre.deploy.quant.QuantSensitivity;
import dev.genre.run.Progress;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy chain on real parts: synthesize, prepare, train (DJL), export float + int8 (ONNX
 * Runtime), measure, and classify WAV and MP3 files with the package; bad files fail one by one.
 */
class ExportClassifyTest {
    @TempDir
    static Path tmp;
    static Path pkg;
    static Exporter.Report report;

    @BeforeAll
    static void trainAndExport() throws Exception {
        Path clips = tmp.resolve("clips"), data = tmp.resolve("data"), run = tmp.resolve("run");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 6, 2), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.5,0.25,0.25", 0), 128, 2), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);
        new Trainer(TrainConfig.defaults().with(3, 8, 3e-3, 1), Progress.none()).train(data, NetworkSpec.load("mobilenetv3-small"), run, false, 0);
        pkg = tmp.resolve("models/pkg");
        report = Exporter.export(run, pkg, new Exporter.Options(true, null, 64, 0), Progress.none());
    }

    @Test
    void packageHoldsEverythingAnAppNeeds() throws Exception {
        for (String f : List.of(ModelPackage.FLOAT_MODEL, ModelPackage.INT8_MODEL, ModelPackage.SPEC, ModelPackage.LABELS, ModelPackage.MEL,
                ModelPackage.METRICS, ModelPackage.QUANT)) {
            assertTrue(Files.isRegularFile(pkg.resolve(f)), f);
        }
        ModelPackage p = ModelPackage.open(pkg);
        assertEquals(3, p.labels().size());
        assertEquals(128, p.mel().segmentFrames());
        assertTrue(report.maxLogitDiff() <= 1e-4, "ONNX vs DJL on real segments: " + report.maxLogitDiff());
        try (var s = Files.list(pkg.getParent())) {
            assertEquals(1, s.count(), "no staging folder left behind");
        }
    }

    @Test
    void int8ModelIsQdqWithInt8WeightsAndAgreesWithFloat() throws Exception {
        ModelProto q = ModelProto.parseFrom(Files.readAllBytes(pkg.resolve(ModelPackage.INT8_MODEL)));
        long quantize = q.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        long convs = q.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("Conv"::equals).count();
        assertTrue(quantize >= convs, quantize + " QuantizeLinear for " + convs + " convolutions");
        assertTrue(q.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Relu") && n.getName().contains(".expand")),
                "Relu after a conv is folded into the quantized range");
        // Weights on the 7-bit grid (no int16 saturation on CPUs without VNNI), and the package says so.
        int widest = 0;
        for (var t : q.getGraph().getInitializerList()) {
            if (t.getDataType() != ai.onnx.proto.OnnxMl.TensorProto.DataType.INT8.getNumber() || !t.getName().endsWith(".weight_q")) continue;
            for (byte b : t.getRawData().toByteArray()) widest = Math.max(widest, Math.abs(b));
        }
        assertEquals(dev.genre.search.net.Int8Simulation.WEIGHT_LEVEL_MAX, widest, "the largest int8 weight level");
        assertTrue(Files.readString(pkg.resolve(ModelPackage.QUANT)).contains("VPMADDUBSW"), "quantization.json names its scheme and why");
        Exporter.QuantReport r = report.quant();
        assertTrue(r.sizeRatio() < 0.35, "int8 file is " + r.sizeRatio() + " of float");
        // The tiny test model is near chance (3 classes, a few steps), so its top two classes are
        // near-ties: at most one of its test segments may flip under int8 noise.
        assertTrue(Math.round(r.top1Agreement() * r.segments()) >= r.segments() - 1,
                "int8 vs float top-1 agreement " + r.top1Agreement() + " on " + r.segments() + " segments");
        if (TestData.hasPythonOnnx()) TestData.checkWithPythonOnnx(List.of(pkg.resolve(ModelPackage.INT8_MODEL)));
    }

    @Test
    void sensitivityMeasuresEveryLayerAndKeepsTheCostliestFloat() throws Exception {
        Path pkg2 = tmp.resolve("models/pkg-sensitivity");
        Exporter.QuantReport r = Exporter.export(tmp.resolve("run"), pkg2, new Exporter.Options(true, null, 64, 0, true), Progress.none()).quant();
        QuantSensitivity.Result s = r.sensitivity();
        ModelProto f = ModelProto.parseFrom(Files.readAllBytes(pkg2.resolve(ModelPackage.FLOAT_MODEL)));
        // Candidates: convs outside SE paths, the classifier, and each SE unit as a whole.
        long weighted = f.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv") || n.getOpType().equals("Gemm"))
                .filter(n -> !n.getName().contains(".se.")).count();
        long units = QdqQuantizer.excitationUnits(f.getGraph()).size();
        assertTrue(units > 0, "mobilenetv3-small has SE blocks");
        assertEquals(weighted + units, s.layers().size(), "every conv outside SE paths, the classifier and every SE unit measured");
        for (int i = 1; i < s.layers().size(); i++) assertTrue(s.layers().get(i - 1).reduction() >= s.layers().get(i).reduction(), "most costly first");
        assertTrue(s.floatNodes().size() <= QuantSensitivity.MAX_FLOAT);
        assertTrue(s.fixedDivergence() <= s.allInt8Divergence());
        assertEquals(s.floatNodes(), r.floatNodes());
        assertEquals(s.layers().get(0).reduction() >= QuantSensitivity.MIN_REDUCTION, !s.floatNodes().isEmpty(),
                "a layer is kept float when it removes at least 10% of the divergence: " + s);
        // A float layer reads its weights straight from a float initializer, not through DequantizeLinear.
        ModelProto q = ModelProto.parseFrom(Files.readAllBytes(pkg2.resolve(ModelPackage.INT8_MODEL)));
        java.util.Set<String> inits = new java.util.HashSet<>();
        q.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
        for (NodeProto n : q.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Conv") && !n.getOpType().equals("Gemm")) continue;
            int se = n.getName().indexOf(".se.");
            boolean floatLayer = s.floatNodes().contains(n.getName()) || se >= 0 && s.floatNodes().contains(n.getName().substring(0, se + 3));
            assertEquals(floatLayer, inits.contains(n.getInput(1)), n.getName());
        }
    }

    @Test
    void measuresLatencyWithOneThread() throws Exception {
        LatencyStats s = LocalLatency.measure(Files.readAllBytes(pkg.resolve(ModelPackage.INT8_MODEL)), 1, 3, 20);
        assertEquals(20, s.runs());
        assertTrue(s.p50() > 0 && s.p50() <= s.p90() && s.p90() <= s.p99(), s.toString());
    }

    @Test
    void classifiesWavAndMp3AndRejectsBadFilesOneByOne() throws Exception {
        Path mp3 = tmp.resolve("song.mp3");
        Files.copy(ExportClassifyTest.class.getResourceAsStream("/synth-jazz.mp3"), mp3);
        Path clip;
        try (var s = Files.walk(tmp.resolve("clips"))) {
            clip = s.filter(f -> f.toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
        }
        Path notAudio = tmp.resolve("notes.mp3");
        Files.writeString(notAudio, "not audio at all");
        try (Classifier c = new Classifier(ModelPackage.open(pkg), true)) {
            Classifier.Result wav = c.classify(clip);
            assertEquals(1.0, wav.scores().stream().mapToDouble(Classifier.Score::probability).sum(), 1e-4);
            assertTrue(wav.segments() >= 2);
            Classifier.Result m = c.classify(mp3);
            assertTrue(m.seconds() > 3, "mp3 decoded: " + m.seconds() + " s");
            AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> c.classify(notAudio));
            assertTrue(e.getMessage().contains("notes.mp3"), e.getMessage());
            Classifier.Result again = c.classify(clip); // a failure leaves the classifier usable
            assertEquals(wav.scores().get(0), again.scores().get(0));
        }
        try (Classifier c = new Classifier(ModelPackage.open(pkg), false)) {
            assertFalse(c.int8());
        }
    }

    @Test
    void missingPackageIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> ModelPackage.open(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
