package dev.genre.cli;

import dev.genre.deploy.pipeline.SearchPipeline;
import dev.genre.run.Progress;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.train.AccuracyMetric;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.strategy.SearchStrategies;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class SearchCommand implements Command {
    @Override
    public String name() {
        return "search";
    }

    @Override
    public String summary() {
        return "latency-aware ENAS search (or random/evolution), retrain the winner, compare with the baseline";
    }

    @Override
    public String usage() {
        return "--data DATASET --device PROFILE.json --target-latency-ms T [--strategy enas|random|evolution]\n"
                + "       [--epochs N | --time-budget DURATION] [--hard | --w W] [--metric macro|micro] --output RUN_DIR\n"
                + "   or: genre search --resume RUN_DIR\n   or: genre search --describe [--classes N] [--space NAME]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("data", "DATASET", "prepared dataset (genre prep)"));
        o.addOption(Flags.value("device", "PROFILE", "device latency profile (genre profile-device)"));
        o.addOption(Flags.value("target-latency-ms", "T", "the latency target of Mnas's reward"));
        o.addOption(Flags.value("strategy", "S", "enas (default), random or evolution"));
        o.addOption(Flags.value("epochs", "N", "shared-weight training passes (default 30)"));
        o.addOption(Flags.value("time-budget", "DURATION", "instead of --epochs: as many passes as fit, e.g. 90m, 2h, 1h30m"));
        o.addOption(Flags.flag("hard", "hard latency constraint: alpha = 0, beta = -1 (default soft: alpha = beta = -0.07)"));
        o.addOption(Flags.value("w", "W", "reward exponent for both sides of the target (overrides --hard)"));
        o.addOption(Flags.value("metric", "macro|micro", "the reward's accuracy: macro, the mean of the genres' recalls (default), or micro,"
                + " the share of all segments"));
        o.addOption(Flags.value("controller-steps", "N", "children scored after each pass (default 25)"));
        o.addOption(Flags.value("uniform-warmup", "F", "leading fraction of the passes on uniform children, controller idle (default "
                + SearchConfig.DEFAULT_UNIFORM_WARMUP + ")"));
        o.addOption(Flags.value("space", "NAME", "search space: mnasnet (conv, sep-conv and inverted-residual ops, three skips) or elastic"
                + " (inverted residuals with identity skips) (default " + SearchSpace.DEFAULT + ")"));
        o.addOption(Flags.value("top", "K", "finalists re-scored on the whole validation split and measured (default 5)"));
        o.addOption(Flags.value("retrain-epochs", "N", "epochs to retrain the winner and the baseline from scratch (default 30)"));
        o.addOption(Flags.flag("no-baseline", "skip training the MobileNetV3-Small baseline"));
        o.addOption(Flags.value("target", "local|adb[:SERIAL]", "where finalists and the final model are measured (default local)"));
        o.addOption(Flags.value("seed", "K", "seed (default 0)"));
        o.addOption(Flags.value("output", "RUN_DIR", "run directory"));
        o.addOption(Flags.value("resume", "RUN_DIR", "continue an interrupted run from its last checkpoint"));
        o.addOption(Flags.flag("describe", "print the search space and its size"));
        o.addOption(Flags.value("classes", "N", "with --describe: class count (default 10)"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        if (cmd.hasOption("describe")) {
            System.out.print(SearchSpace.named(cmd.getOptionValue("space", SearchSpace.DEFAULT), 128, 128, Flags.intValue(cmd, "classes", 10)).describe());
            return OK;
        }
        Path out;
        SearchPipeline.Options o;
        boolean resume = cmd.hasOption("resume");
        if (resume) {
            out = Path.of(cmd.getOptionValue("resume"));
            o = SearchPipeline.Options.read(out);
        } else {
            for (String req : new String[] {"data", "device", "target-latency-ms", "output"}) {
                if (!cmd.hasOption(req)) throw new IllegalArgumentException("--" + req + " is required (or --resume RUN_DIR)");
            }
            out = Path.of(cmd.getOptionValue("output"));
            double target = Flags.doubleValue(cmd, "target-latency-ms", 0);
            MnasReward reward = cmd.hasOption("w") ? new MnasReward(target, Flags.doubleValue(cmd, "w", 0), Flags.doubleValue(cmd, "w", 0))
                    : cmd.hasOption("hard") ? MnasReward.hard(target) : MnasReward.soft(target);
            reward = reward.withMetric(AccuracyMetric.parse(cmd.getOptionValue("metric", AccuracyMetric.DEFAULT.label())));
            String strategy = cmd.getOptionValue("strategy", "enas").toLowerCase(Locale.ROOT);
            if (!SearchStrategies.NAMES.contains(strategy)) throw new IllegalArgumentException("--strategy must be one of " + SearchStrategies.NAMES);
            SearchConfig sc = SearchConfig.defaults(strategy, reward, Flags.longValue(cmd, "seed", 0));
            if (cmd.hasOption("epochs") && cmd.hasOption("time-budget")) throw new IllegalArgumentException("give --epochs or --time-budget, not both");
            if (cmd.hasOption("epochs")) sc = sc.withEpochs(Flags.intValue(cmd, "epochs", 30));
            if (cmd.hasOption("time-budget")) sc = sc.withEpochs(1000).withTimeBudget(dev.genre.schedule.config.SearchParams.budget(cmd.getOptionValue("time-budget")).toSeconds());
            sc = sc.withControllerSteps(Flags.intValue(cmd, "controller-steps", sc.controllerSteps())).withTopK(Flags.intValue(cmd, "top", sc.topK()));
            sc = sc.withUniformWarmup(Flags.doubleValue(cmd, "uniform-warmup", sc.uniformWarmup()));
            if (cmd.hasOption("space")) sc = sc.withSpace(cmd.getOptionValue("space"));
            o = new SearchPipeline.Options(Path.of(cmd.getOptionValue("data")).toAbsolutePath().toString(),
                    Path.of(cmd.getOptionValue("device")).toAbsolutePath().toString(), sc, Flags.intValue(cmd, "retrain-epochs", 30),
                    !cmd.hasOption("no-baseline"), cmd.getOptionValue("target", "local"), 1, 100);
        }
        SearchPipeline.Result r;
        try (Progress p = Progress.auto()) {
            r = SearchPipeline.run(o, out, resume, p);
        }
        System.out.println();
        System.out.printf("search (%s, %d children scored, %.0f s); reward = ACC x (LAT/%.2f ms)^w%n", o.search().strategy(),
                r.search().children().size(), r.search().seconds(), o.search().reward().targetMs());
        System.out.println("| model | params | MACs | int8 latency p50 (ms) | test clip acc | test clip macro acc | test segment acc | test segment macro acc | reward (" + o.search().reward().metric().label() + ") |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (SearchPipeline.ModelResult m : new SearchPipeline.ModelResult[] {r.winner(), r.baseline()}) {
            if (m == null) continue;
            System.out.printf("| %s | %,d | %,d | %.3f | %.3f | %.3f | %.3f | %.3f | %.4f |%n", m.name(), m.params(), m.macs(), m.latencyMs(), m.testClipAccuracy(),
                    m.testClipMacroAccuracy(), m.testSegmentAccuracy(), m.testSegmentMacroAccuracy(), m.reward());
        }
        System.out.println("Run: " + out + " (search.json, best-spec.json, pareto.png, comparison.json, package/)");
        return OK;
    }
}
