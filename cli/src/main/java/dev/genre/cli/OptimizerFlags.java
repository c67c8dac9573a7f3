package dev.genre.cli;

import dev.genre.search.train.TrainConfig;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code --optimizer --lr --momentum --weight-decay --balance}, shared by {@code genre train} and {@code genre
 * bench cv}: the learning rate and weight decay default to the chosen optimizer's own
 * ({@link TrainConfig#defaultLr}, {@link TrainConfig#defaultWeightDecay}).
 */
final class OptimizerFlags {
    private OptimizerFlags() {}

    /** Adds the four options; {@code scope} prefixes their help ("" or "cv: "). */
    static void add(Options o, String scope) {
        TrainConfig d = TrainConfig.defaults();
        o.addOption(Flags.value("optimizer", "adamw|sgd", scope + "AdamW (decoupled weight decay) or SGD with momentum (default " + d.optimizer() + ")"));
        o.addOption(Flags.value("lr", "X", scope + "peak learning rate (default " + TrainConfig.defaultLr("adamw") + " for adamw, "
                + TrainConfig.defaultLr("sgd") + " for sgd)"));
        o.addOption(Flags.value("momentum", "X", scope + "SGD momentum (default " + d.momentum() + ")"));
        o.addOption(Flags.value("weight-decay", "X", scope + "weight decay, not on biases and batch norm (default "
                + TrainConfig.defaultWeightDecay("adamw") + " for adamw, " + TrainConfig.defaultWeightDecay("sgd") + " for sgd)"));
        o.addOption(Flags.value("balance", "none|sampler|loss", scope + "genres with few clips: as they are, drawn as often as the others,"
                + " or weighted in the loss by inverse frequency (default " + d.balance() + ")"));
    }

    /** {@code recipe} with the optimizer the command line chose. */
    static TrainConfig apply(CommandLine cmd, TrainConfig recipe) {
        String optimizer = cmd.getOptionValue("optimizer", recipe.optimizer());
        return recipe.withOptimizer(optimizer, Flags.doubleValue(cmd, "lr", TrainConfig.defaultLr(optimizer)),
                Flags.doubleValue(cmd, "momentum", recipe.momentum()), Flags.doubleValue(cmd, "weight-decay", TrainConfig.defaultWeightDecay(optimizer)))
                .withBalance(cmd.getOptionValue("balance", recipe.balance()));
    }
}
