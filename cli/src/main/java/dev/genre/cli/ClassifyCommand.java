package dev.genre.cli;

import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.decode.AudioFormatKind;
import dev.genre.deploy.classify.Classifier;
import dev.genre.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class ClassifyCommand implements Command {
    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String summary() {
        return "print the top genres of audio files with an exported model (ONNX Runtime only)";
    }

    @Override
    public String usage() {
        return "FILE|DIR... [--model PACKAGE_DIR] [--top K] [--json] [--float]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("model", "DIR", "model package (default data/models/current)"));
        o.addOption(Flags.value("top", "K", "genres to print per file (default 3)"));
        o.addOption(Flags.flag("json", "one JSON document with every result"));
        o.addOption(Flags.flag("float", "run the float model instead of the int8 one"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        if (cmd.getArgList().isEmpty()) throw new IllegalArgumentException("no audio files given");
        Path dir = Path.of(cmd.getOptionValue("model", Path.of(System.getProperty("genre.home", "."), "data/models/current").toString()));
        int top = Flags.intValue(cmd, "top", 3);
        List<Path> files = new ArrayList<>();
        for (String a : cmd.getArgList()) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(AudioFormatKind::isAudio).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        int failed = 0;
        List<Object> json = new ArrayList<>();
        boolean int8;
        try (Classifier c = Classifier.open(dir, !cmd.hasOption("float"))) {
            int8 = c.int8();
            for (Path f : files) {
                try {
                    Classifier.Result r = c.classify(f);
                    List<Classifier.Score> best = r.scores().subList(0, Math.min(top, r.scores().size()));
                    if (cmd.hasOption("json")) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("file", f.toString());
                        m.put("seconds", r.seconds());
                        m.put("segments", r.segments());
                        m.put("top", best);
                        json.add(m);
                    } else {
                        StringBuilder sb = new StringBuilder(f.toString()).append(':');
                        for (Classifier.Score s : best) sb.append(String.format(" %s %.3f", s.genre(), s.probability()));
                        System.out.println(sb);
                    }
                } catch (AudioDecodeException e) {
                    System.err.println("genre classify: " + e.getMessage());
                    failed++;
                } catch (Classifier.ModelLoadException e) {
                    throw e;
                } catch (IOException e) {
                    System.err.println("genre classify: " + f + ": " + e.getMessage());
                    failed++;
                }
            }
        }
        if (cmd.hasOption("json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", dir.toString());
            doc.put("precision", int8 ? "int8" : "float");
            doc.put("results", json);
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        }
        return failed == 0 ? OK : SOME_REJECTED;
    }
}
