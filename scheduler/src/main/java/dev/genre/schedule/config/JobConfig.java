package dev.genre.schedule.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import org.quartz.CronExpression;

/**
 * One nightly search.
 *
 * @param cron      Quartz cron expression with seconds, e.g. {@code 0 0 2 * * ?} (02:00 every night)
 * @param timeZone  the cron's time zone (null = the machine's)
 * @param clips     the clips folder, {@code <genre>/<clip>}; new, changed and removed clips are picked up each run
 * @param dataset   where the spectrogram dataset is kept and regenerated incrementally (default HOME/datasets/JOB)
 * @param runs      where run directories go (default HOME/runs/JOB)
 * @param split     train,valid,test fractions for clips seen for the first time (known clips keep their split)
 * @param promotion when a new package replaces data/models/current: {@code reward} (higher Mnas reward on the
 *                  current test split, the default), {@code accuracy} (higher test segment accuracy) or {@code always}
 */
@JsonPropertyOrder({"name", "cron", "timeZone", "clips", "dataset", "runs", "split", "search", "promotion"})
public record JobConfig(String name, String cron, String timeZone, String clips, String dataset, String runs, String split,
                        SearchParams search, String promotion) {
    public JobConfig {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) throw new IllegalArgumentException("job name must be [A-Za-z0-9_.-]+, not " + name);
        if (cron == null || !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException("job " + name + ": not a Quartz cron expression (sec min hour day month weekday): " + cron);
        }
        if (clips == null) throw new IllegalArgumentException("job " + name + ": clips folder missing");
        if (split == null) split = "0.7,0.15,0.15";
        if (search == null) throw new IllegalArgumentException("job " + name + ": search parameters missing");
        if (promotion == null) promotion = "reward";
        if (!promotion.equals("reward") && !promotion.equals("accuracy") && !promotion.equals("always")) {
            throw new IllegalArgumentException("job " + name + ": promotion must be reward, accuracy or always, not " + promotion);
        }
    }

    /** With the dataset and runs folders defaulted under the schedule's home. */
    JobConfig withDefaults(String home) {
        return new JobConfig(name, cron, timeZone, clips, dataset != null ? dataset : Path.of(home, "datasets", name).toString(),
                runs != null ? runs : Path.of(home, "runs", name).toString(), split, search, promotion);
    }
}
