package dev.taskqueue.autoconfigure.beat;

import java.util.Locale;

import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.beat.internal.Beat;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@link org.springframework.boot.health.contributor.HealthIndicator} of the beat: up
 * while it leads or stands by, down while Redis cannot be reached (it is paused), out of
 * service once stopped. Details: {@code state}, {@code instance} (this beat's lock
 * token), {@code lockHolder}, {@code lastTickAt}, and {@code problem} or
 * {@code evictionWarning} when there is one.
 */
public class BeatHealthIndicator extends AbstractHealthIndicator {

	private final Beat beat;

	/**
	 * Create the indicator.
	 * @param beat the beat
	 */
	public BeatHealthIndicator(Beat beat) {
		super("taskqueue beat health check failed");
		this.beat = beat;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		BeatStatus status = this.beat.status();
		switch (status.state()) {
			case LEADER, STANDBY -> builder.up();
			case PAUSED -> builder.down();
			case STOPPED -> builder.outOfService();
		}
		builder.withDetail("state", status.state().name().toLowerCase(Locale.ROOT));
		if (status.instance() != null) {
			builder.withDetail("instance", status.instance());
		}
		if (status.lockHolder() != null) {
			builder.withDetail("lockHolder", status.lockHolder());
		}
		if (status.lastTickAt() != null) {
			builder.withDetail("lastTickAt", status.lastTickAt());
		}
		if (status.problem() != null) {
			builder.withDetail("problem", status.problem());
		}
		String eviction = this.beat.getEvictionWarning();
		if (eviction != null) {
			builder.withDetail("evictionWarning", eviction);
		}
	}

}
