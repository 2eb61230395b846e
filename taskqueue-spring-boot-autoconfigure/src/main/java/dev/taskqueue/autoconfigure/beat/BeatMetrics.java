package dev.taskqueue.autoconfigure.beat;

import java.time.Duration;

import dev.taskqueue.beat.internal.Beat;
import dev.taskqueue.beat.internal.BeatListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of the beat, as {@link BeatMeterDocumentation} lists them.
 */
public class BeatMetrics implements MeterBinder, BeatListener {

	private final Beat beat;

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Create the meters' binder; it listens to the beat.
	 * @param beat the beat
	 */
	public BeatMetrics(Beat beat) {
		this.beat = beat;
		beat.addListener(this);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder(BeatMeterDocumentation.LOCK_HELD.getName(), this.beat, (beat) -> beat.isLeader() ? 1 : 0)
			.description("1 while this application's beat holds the schedule's lock")
			.register(registry);
	}

	@Override
	public void fired(String entry, String task, Duration lateness) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			fires(registry, task, "sent").increment();
			Timer.builder(BeatMeterDocumentation.LATENESS.getName())
				.description("From a periodic run's due time to the broker's confirm")
				.tag(BeatMeterDocumentation.KeyNames.TASK.asString(), task)
				.register(registry)
				.record(lateness.isNegative() ? Duration.ZERO : lateness);
		}
	}

	@Override
	public void publishFailed(String entry, String task, RuntimeException failure) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			fires(registry, task, "failed").increment();
		}
	}

	@Override
	public void fenced(String entry) {
		count(BeatMeterDocumentation.FIRES_FENCED, "Runs not sent because the fence refused them", 1);
	}

	@Override
	public void duplicateDropped(String entry, String id) {
		count(BeatMeterDocumentation.FIRES_DUPLICATES, "Runs found already delivered, not sent again", 1);
	}

	@Override
	public void missedRunsSkipped(String entry, long count) {
		count(BeatMeterDocumentation.RUNS_MISSED, "Missed runs not fired, as their entry's policy says", count);
	}

	private static Counter fires(MeterRegistry registry, String task, String outcome) {
		return Counter.builder(BeatMeterDocumentation.FIRES.getName())
			.description("Periodic runs the beat sent")
			.tag(BeatMeterDocumentation.KeyNames.TASK.asString(), task)
			.tag(BeatMeterDocumentation.KeyNames.OUTCOME.asString(), outcome)
			.register(registry);
	}

	private void count(BeatMeterDocumentation meter, String description, long amount) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			Counter.builder(meter.getName()).description(description).register(registry).increment(amount);
		}
	}

}
