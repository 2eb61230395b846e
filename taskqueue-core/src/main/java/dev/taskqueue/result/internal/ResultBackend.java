package dev.taskqueue.result.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * Where task states and results are kept (Celery's result backend).
 */
public interface ResultBackend {

	/**
	 * Store a task's state and result, and notify anyone waiting on it.
	 * @param meta the record to store
	 */
	void store(ResultMeta meta);

	/**
	 * Store a task's state and result without waiting for it: the future completes once
	 * the record is stored and published (exceptionally if it could not be), so a caller
	 * that must act only after the result is stored — a worker acknowledging its message
	 * — can go on to the next task meanwhile. The default stores synchronously.
	 * @param meta the record to store
	 * @return a future completed when the record is stored
	 */
	default CompletableFuture<Void> storeAsync(ResultMeta meta) {
		try {
			store(meta);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Store a task's record as {@link #store(ResultMeta)} does, and also publish it on
	 * the reply channel the client that sent the task asked for
	 * ({@link #replyChannel()}), if this backend has such channels. The default ignores
	 * the reply channel.
	 * @param meta the record to store
	 * @param replyTo the reply channel the task's message named, or {@code null}
	 */
	default void store(ResultMeta meta, @Nullable String replyTo) {
		store(meta);
	}

	/**
	 * Store a task's record without waiting for it, as {@link #storeAsync(ResultMeta)}
	 * does, and also publish it on the reply channel the task's message named. The
	 * default ignores the reply channel.
	 * @param meta the record to store
	 * @param replyTo the reply channel the task's message named, or {@code null}
	 * @return a future completed when the record is stored
	 */
	default CompletableFuture<Void> storeAsync(ResultMeta meta, @Nullable String replyTo) {
		return storeAsync(meta);
	}

	/**
	 * Return the channel this client listens on for the results of the tasks it sends,
	 * which a taskqueue worker publishes them on when a task's message names it: one
	 * subscription for every result instead of one per result. The default has none.
	 * @return the channel, or {@code null} if results are not listened for on one now
	 */
	default @Nullable String replyChannel() {
		return null;
	}

	/**
	 * Read a task's record.
	 * @param taskId the task id
	 * @return the record, or a {@link TaskState#PENDING} record if nothing is stored
	 */
	ResultMeta get(String taskId);

	/**
	 * A future that completes with the task's record once it is in a ready state
	 * (success, failure, revoked). Waits on notifications, not by polling. Cancelling the
	 * future releases the subscription.
	 * @param taskId the task id
	 * @return the future
	 */
	CompletableFuture<ResultMeta> whenReady(String taskId);

	/**
	 * As {@link #whenReady(String)}, for a caller that blocks on the future until it is
	 * done and chains nothing to it: the backend may complete it on its client's I/O
	 * thread, which wakes the caller at once rather than through another thread first.
	 * The default is {@link #whenReady(String)}.
	 * @param taskId the task id
	 * @return the future
	 */
	default CompletableFuture<ResultMeta> whenReadyToWait(String taskId) {
		return whenReady(taskId);
	}

	/**
	 * Listen for a task's result from before its message is published (as Celery's client
	 * subscribes before it publishes), so that a caller who waits for it once the broker
	 * confirmed the message usually finds it already delivered. The caller must call
	 * {@link PendingResult#publishing()} right before it publishes. The listening ends
	 * when the result arrives, when the pending result's future is cancelled, or after
	 * {@code listenFor}. The default does not listen ahead.
	 * @param taskId the task id
	 * @param listenFor how long to listen at most
	 * @return the pending result, or {@code null} if this backend does not listen ahead
	 */
	default @Nullable PendingResult listenAhead(String taskId, Duration listenFor) {
		return null;
	}

	/**
	 * Listen for a task's result whose message was just published (written, its confirm
	 * not yet awaited): as {@link #listenAhead(String, Duration)} after
	 * {@link PendingResult#publishing()}, so a result stored before the subscription was
	 * in place is read once a caller waits. This runs on the send's path: it must not
	 * wait for the store, and returns {@code null} when it cannot listen without waiting.
	 * The default does not listen.
	 * @param taskId the task id
	 * @param listenFor how long to listen at most
	 * @return the pending result, or {@code null} if this backend does not listen ahead
	 */
	default @Nullable PendingResult listenAfterPublish(String taskId, Duration listenFor) {
		return listenAfterPublish(taskId, listenFor, null);
	}

	/**
	 * Listen for a task's result whose message was just published, as
	 * {@link #listenAfterPublish(String, Duration)} does. When the message named this
	 * client's {@link #replyChannel() reply channel}, {@code route} says where it went
	 * (its exchange and routing key): once a route's workers are seen to publish results
	 * on the reply channel, its results are listened for there alone, without a
	 * subscription of their own.
	 * @param taskId the task id
	 * @param listenFor how long to listen at most
	 * @param route where the message went, if it named the reply channel, else
	 * {@code null}
	 * @return the pending result, or {@code null} if this backend does not listen ahead
	 */
	default @Nullable PendingResult listenAfterPublish(String taskId, Duration listenFor, @Nullable String route) {
		PendingResult pending = listenAhead(taskId, listenFor);
		if (pending != null) {
			pending.publishing();
		}
		return pending;
	}

	/**
	 * Count one more run of a task whose message the broker marked redelivered, so a task
	 * that keeps killing its worker can be stopped after a bounded number of attempts.
	 * The count lives as long as results do.
	 * @param taskId the task id
	 * @return the runs counted so far, this one included; {@code 0} if this backend does
	 * not count
	 */
	default long countRedeliveredRun(String taskId) {
		return 0;
	}

	/**
	 * How many runs of a redelivered task were counted by
	 * {@link #countRedeliveredRun(String)}.
	 * @param taskId the task id
	 * @return the count; {@code 0} if none, or if this backend does not count
	 */
	default long getRedeliveredRuns(String taskId) {
		return 0;
	}

	/**
	 * Whether results are stored at all. A disabled backend stores nothing and refuses
	 * reads.
	 * @return {@code true} if this backend keeps results
	 */
	default boolean isEnabled() {
		return true;
	}

	/**
	 * Write a chord's size when it is sent, as Celery's client does ({@code SETEX} and
	 * {@code PUBLISH} of {@code celery-taskset-meta-<gid>.s}).
	 * @param groupId the chord's group id
	 * @param size how many header parts complete it
	 * @throws UnsupportedOperationException if this backend keeps no chord state
	 */
	default void setChordSize(String groupId, int size) {
		throw noChords();
	}

	/**
	 * Record the outcome of a chord header part, as Celery's
	 * {@code on_chord_part_return}: atomically, so of parts finishing at the same time on
	 * different workers exactly one sees the chord complete.
	 * @param groupId the chord's group id
	 * @param groupIndex the part's position in the header, or {@code null} (then it sorts
	 * last)
	 * @param taskId the part's task id
	 * @param state its final state
	 * @param result its result, or its encoded exception
	 * @return every part's outcome in header order when this part completed the chord;
	 * {@code null} otherwise (also when the chord's size is unknown)
	 * @throws UnsupportedOperationException if this backend keeps no chord state
	 */
	default @Nullable List<ChordPart> chordPartReturned(String groupId, @Nullable Integer groupIndex, String taskId,
			TaskState state, @Nullable Object result) {
		throw noChords();
	}

	/**
	 * Remove a completed chord's bookkeeping (its {@code .j}, {@code .t} and {@code .s}
	 * keys).
	 * @param groupId the chord's group id
	 */
	default void deleteChord(String groupId) {
		throw noChords();
	}

	/**
	 * Save a group's member ids (Celery's {@code GroupResult.save()}), so the group can
	 * be looked up by its id later.
	 * @param groupId the group id
	 * @param memberIds the members' task ids, in order
	 * @throws UnsupportedOperationException if this backend keeps no groups
	 */
	default void saveGroup(String groupId, List<String> memberIds) {
		throw noChords();
	}

	/**
	 * Read a saved group's member ids (Celery's {@code GroupResult.restore()}).
	 * @param groupId the group id
	 * @return the members' task ids in order, or {@code null} if the group was not saved
	 * @throws UnsupportedOperationException if this backend keeps no groups
	 */
	default @Nullable List<String> restoreGroup(String groupId) {
		throw noChords();
	}

	/**
	 * Forget a saved group (Celery's {@code GroupResult.delete()}).
	 * @param groupId the group id
	 * @throws UnsupportedOperationException if this backend keeps no groups
	 */
	default void deleteGroup(String groupId) {
		throw noChords();
	}

	private UnsupportedOperationException noChords() {
		return new UnsupportedOperationException(
				getClass().getSimpleName() + " keeps no groups or chords: they need a result backend such as Redis");
	}

	/**
	 * The backend for {@code taskqueue.result.backend=none}: stores nothing, and says so
	 * plainly when asked for a result.
	 * @return the disabled backend
	 */
	static ResultBackend none() {
		return DisabledResultBackend.INSTANCE;
	}

}
