package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

import dev.taskqueue.protocol.internal.CeleryTime;
import org.jspecify.annotations.Nullable;

/**
 * A chain, group or chord about to be sent, with the options of a single send; made by
 * {@link TaskClient#chain}, {@link TaskClient#group} and {@link TaskClient#chord}.
 * <pre class="code">
 * TaskResult total = client.chord(List.of(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)),
 *         Signature.of("tasks.tsum"))
 *     .queue("math")
 *     .send();
 * </pre> Options apply as Celery applies them to the same canvas: to a chain's first task
 * (the task id names its last task), to every member of a group (the task id names the
 * group), to a chord's header tasks and body (the task id names the body; as in Celery, a
 * countdown delays the body only).
 *
 * @param <R> the handle {@link #send()} returns: {@link TaskResult} for a chain or chord
 * (the last task, the body), {@link GroupResult} for a group
 */
public final class CanvasCall<R> {

	private Signature signature;

	private final BiFunction<Signature, Map<String, @Nullable Object>, R> sender;

	private final Map<String, @Nullable Object> options = new LinkedHashMap<>();

	CanvasCall(Signature signature, BiFunction<Signature, Map<String, @Nullable Object>, R> sender) {
		this.signature = signature;
		this.sender = sender;
	}

	/**
	 * Return the canvas as a signature, e.g. to nest it in another one.
	 * @return the canvas as a signature, e.g. to nest it in another one
	 */
	public Signature toSignature() {
		return this.signature.withOptions(this.options);
	}

	/**
	 * Send to this queue, whatever the routes say.
	 * @param queue the queue
	 * @return this call
	 */
	public CanvasCall<R> queue(String queue) {
		return option("queue", queue);
	}

	/**
	 * Run no sooner than this long after sending (Celery's {@code countdown}).
	 * @param countdown the delay
	 * @return this call
	 */
	public CanvasCall<R> countdown(Duration countdown) {
		return option("countdown", countdown.toNanos() / 1e9);
	}

	/**
	 * Run no sooner than this time (Celery's {@code eta}).
	 * @param eta the time
	 * @return this call
	 */
	public CanvasCall<R> eta(OffsetDateTime eta) {
		return option("eta", CeleryTime.formatAware(eta));
	}

	/**
	 * Run no sooner than this instant.
	 * @param eta the instant
	 * @return this call
	 */
	public CanvasCall<R> eta(Instant eta) {
		return eta(eta.atOffset(ZoneOffset.UTC));
	}

	/**
	 * Expire this long after sending.
	 * @param expires the time to live
	 * @return this call
	 */
	public CanvasCall<R> expires(Duration expires) {
		return option("expires", expires.toNanos() / 1e9);
	}

	/**
	 * Expire at this time.
	 * @param expires the time
	 * @return this call
	 */
	public CanvasCall<R> expires(OffsetDateTime expires) {
		return option("expires", CeleryTime.formatAware(expires));
	}

	/**
	 * Set the message priority.
	 * @param priority the priority (0-255)
	 * @return this call
	 */
	public CanvasCall<R> priority(int priority) {
		if (priority < 0 || priority > 255) {
			throw new IllegalArgumentException("Priority must be between 0 and 255, got " + priority);
		}
		return option("priority", priority);
	}

	/**
	 * Use this id for what {@link #send()} returns a handle on: a chain's last task, a
	 * chord's body, a group.
	 * @param taskId the id
	 * @return this call
	 */
	public CanvasCall<R> taskId(String taskId) {
		if (taskId == null || taskId.isBlank()) {
			throw new IllegalArgumentException("Task id must not be empty");
		}
		return option("task_id", taskId);
	}

	/**
	 * Call a signature with the result once the chain's last task or the chord's body
	 * succeeds.
	 * @param callback the callback
	 * @return this call
	 * @throws IllegalStateException for a group, whose members have no single result
	 */
	public CanvasCall<R> link(Signature callback) {
		if (Signature.GROUP.equals(this.signature.getSubtaskType())) {
			throw new IllegalStateException("A group has no single result to call a callback with: use a chord");
		}
		this.signature = this.signature.withLink(Objects.requireNonNull(callback, "callback"));
		return this;
	}

	/**
	 * Call a signature when a task of the canvas fails: any step of a chain, any member
	 * of a group, a chord's body (which fails when a header task does).
	 * @param errback the errback, called with the failed task's id
	 * @return this call
	 */
	public CanvasCall<R> linkError(Signature errback) {
		Objects.requireNonNull(errback, "errback");
		if (Signature.CHAIN.equals(this.signature.getSubtaskType())) {
			Object existing = this.options.get("link_error");
			List<Object> errbacks = new ArrayList<>();
			if (existing instanceof List<?> list) {
				errbacks.addAll(list);
			}
			errbacks.add(errback.toMap());
			return option("link_error", errbacks);
		}
		this.signature = this.signature.withLinkError(errback);
		return this;
	}

	/**
	 * Set any Celery send option by its Celery name.
	 * @param name the option (e.g. {@code routing_key}, {@code ignore_result})
	 * @param value the value, as Celery would write it
	 * @return this call
	 */
	public CanvasCall<R> option(String name, @Nullable Object value) {
		this.options.put(Objects.requireNonNull(name, "name"), value);
		return this;
	}

	/**
	 * Send the canvas. Returns once the broker has confirmed the messages it needs now (a
	 * chain's first task, every header task of a chord, every member of a group).
	 * @return a handle on its outcome
	 * @throws TaskPublishException if the broker did not confirm a message
	 */
	public R send() {
		return this.sender.apply(this.signature, new LinkedHashMap<>(this.options));
	}

	@Override
	public String toString() {
		return "CanvasCall[" + this.signature + "]";
	}

}
