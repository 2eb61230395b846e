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
 * Micrometer meters of the beat. Counters: {@code taskqueue.beat.fires} (tags
 * {@code task}, {@code outcome} {@code sent} or {@code failed}: a failed send is sent
 * again), {@code taskqueue.beat.fires.fenced} (runs this beat did not send because the
 * fence refused them: it lost the lock or another beat fired them),
 * {@code taskqueue.beat.fires.duplicates} (runs a previous leader left unconfirmed that
 * had arrived, so were not sent again) and {@code taskqueue.beat.runs.missed} (runs not
 * fired by their entry's missed-run policy). Timer: {@code taskqueue.beat.lateness}
 * ({@code task}), from a run's due time to the broker's confirm. Gauge:
 * {@code taskqueue.beat.lock.held}, 1 while this application's beat holds the lock.
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
		Gauge.builder("taskqueue.beat.lock.held", this.beat, (beat) -> beat.isLeader() ? 1 : 0)
			.description("1 while this application's beat holds the schedule's lock")
			.register(registry);
	}

	@Override
	public void fired(String entry, String task, Duration lateness) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			fires(registry, task, "sent").increment();
			Timer.builder("taskqueue.beat.lateness")
				.description("From a periodic run's due time to the broker's confirm")
				.tag("task", task)
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
		count("taskqueue.beat.fires.fenced", "Runs not sent because the fence refused them", 1);
	}

	@Override
	public void duplicateDropped(String entry, String id) {
		count("taskqueue.beat.fires.duplicates", "Runs found already delivered, not sent again", 1);
	}

	@Override
	public void missedRunsSkipped(String entry, long count) {
		count("taskqueue.beat.runs.missed", "Missed runs not fired, as their entry's policy says", count);
	}

	private static Counter fires(MeterRegistry registry, String task, String outcome) {
		return Counter.builder("taskqueue.beat.fires")
			.description("Periodic runs the beat sent")
			.tag("task", task)
			.tag("outcome", outcome)
			.register(registry);
	}

	private void count(String name, String description, long amount) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			Counter.builder(name).description(description).register(registry).increment(amount);
		}
	}

}
