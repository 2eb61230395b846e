package dev.taskqueue.worker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.ratelimit.RateLimitScope;
import dev.taskqueue.ratelimit.internal.ClusterRateLimiters;
import dev.taskqueue.ratelimit.internal.RateLimiter;
import dev.taskqueue.ratelimit.internal.TaskRateLimiter;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Decides how long a rate-limited task waits and where: a start is reserved for it; a
 * short wait is held by the worker, a long one parks the message in the broker's
 * {@link DelayQueues} with the reserved start in a header, so it neither fills the
 * consumer's prefetch window nor is lost if the worker stops. When the message comes back
 * it starts at its reserved time instead of reserving again.
 */
final class RateLimitGate {

	/**
	 * Header of a parked rate-limited message:
	 * {@code <task id>:<retries>:<start, epoch millis>:<owner>}. Only the same attempt of
	 * the same task may use the start, so a retry reserves its own; and only on the
	 * worker that reserved it ({@code owner}), unless the bucket is shared by all
	 * ({@code *}).
	 */
	static final String SLOT_HEADER = "x-taskqueue-rate-limit-slot";

	/** A reserved start missed by more than this is given up and a new one reserved. */
	private static final long STALE_MILLIS = 1000;

	private final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	private volatile @Nullable ClusterRateLimiters cluster;

	private final Clock clock;

	RateLimitGate() {
		this(Clock.systemUTC());
	}

	RateLimitGate(Clock clock) {
		this.clock = clock;
	}

	void setClusterRateLimiters(@Nullable ClusterRateLimiters cluster) {
		this.cluster = cluster;
	}

	boolean supports(RateLimit limit) {
		return limit.scope() != RateLimitScope.CLUSTER || this.cluster != null;
	}

	/**
	 * A limiter for a task.
	 * @throws IllegalStateException for a cluster-wide limit without Redis
	 */
	TaskRateLimiter limiter(String taskName, RateLimit limit) {
		if (limit.scope() == RateLimitScope.CLUSTER) {
			ClusterRateLimiters cluster = this.cluster;
			if (cluster == null) {
				throw new IllegalStateException("Task '" + taskName + "' has a cluster-wide rate limit, which needs "
						+ "Redis (a RedisConnectionFactory); use the worker scope or configure Redis");
			}
			return cluster.limiter(taskName, limit);
		}
		if (this.clock.equals(Clock.systemUTC())) {
			return new RateLimiter(limit);
		}
		// A clock of the application's (a test's): the limiter follows it, not the
		// monotonic nanoseconds of the system.
		Clock clock = this.clock;
		return new RateLimiter(limit, () -> {
			java.time.Instant now = clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		});
	}

	/**
	 * Reserve a start for a task, or take the one its parked message reserved.
	 * @return how long to wait, and whether the start was reserved now
	 */
	Reservation reserve(Message message, TaskMessage task, TaskRateLimiter limiter, String worker) {
		Long slot = slotOf(message, task, owner(limiter, worker));
		if (slot != null) {
			long remaining = slot - this.clock.millis();
			if (remaining > -STALE_MILLIS) {
				return new Reservation(Math.max(0, remaining), false);
			}
		}
		return new Reservation(limiter.reserveMillis(), true);
	}

	/**
	 * Park a message in the broker until its reserved start.
	 */
	void park(DelayQueues delayQueues, Message message, TaskMessage task, String queue, long waitMillis,
			TaskRateLimiter limiter, String worker) {
		MessageProperties props = message.getMessageProperties();
		long slot = this.clock.millis() + waitMillis;
		props.setHeader(SLOT_HEADER, task.id() + ":" + task.retries() + ":" + slot + ":" + owner(limiter, worker));
		AMQP.BasicProperties out = this.propertiesConverter.fromMessageProperties(props, StandardCharsets.UTF_8.name());
		delayQueues.parkUntil(queue, slot, out, message.getBody());
	}

	private static String owner(TaskRateLimiter limiter, String worker) {
		return limiter.isShared() ? "*" : worker;
	}

	private static @Nullable Long slotOf(Message message, TaskMessage task, String owner) {
		Object header = message.getMessageProperties().getHeaders().get(SLOT_HEADER);
		if (header == null) {
			return null;
		}
		String value = header.toString();
		String prefix = task.id() + ":" + task.retries() + ":";
		String suffix = ":" + owner;
		if (!value.startsWith(prefix) || !value.endsWith(suffix)
				|| value.length() <= prefix.length() + suffix.length()) {
			return null;
		}
		try {
			return Long.parseLong(value.substring(prefix.length(), value.length() - suffix.length()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A start for a task.
	 *
	 * @param waitMillis how long until it
	 * @param fresh whether it was reserved now (not carried by a parked message)
	 */
	record Reservation(long waitMillis, boolean fresh) {

	}

}
