package dev.taskqueue.result.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A task's result listened for from before its message is published, so that a caller who
 * then waits finds the result delivered by its notification, without reading it. Made by
 * {@link ResultBackend#listenAhead(String, java.time.Duration)}.
 * <p>
 * The listening ends when the result arrives, when {@link #future()} is cancelled, when
 * the time given to listen runs out (then the future fails with a
 * {@link java.util.concurrent.TimeoutException}), or when the subscription could not be
 * made (the future fails with Redis's error): a caller that finds the future failed or
 * cancelled waits for the result the usual way.
 */
public final class PendingResult {

	private final CompletableFuture<ResultMeta> future;

	private final Runnable publishing;

	private final CompletableFuture<Void> subscribed;

	private final Runnable awaiting;

	/**
	 * Create a pending result.
	 * @param future completes with the task's record once it is in a ready state
	 * @param publishing tells the backend the task's message is about to be published
	 * @param subscribed completes once the notifications are listened for
	 */
	public PendingResult(CompletableFuture<ResultMeta> future, Runnable publishing,
			CompletableFuture<Void> subscribed) {
		this(future, publishing, subscribed, () -> {
		});
	}

	/**
	 * Create a pending result.
	 * @param future completes with the task's record once it is in a ready state
	 * @param publishing tells the backend the task's message is about to be published
	 * @param subscribed completes once the notifications are listened for
	 * @param awaiting tells the backend a caller is about to wait for the future
	 */
	public PendingResult(CompletableFuture<ResultMeta> future, Runnable publishing, CompletableFuture<Void> subscribed,
			Runnable awaiting) {
		this.future = future;
		this.publishing = publishing;
		this.subscribed = subscribed;
		this.awaiting = awaiting;
	}

	/**
	 * Return the future of the task's record, completed once it is in a ready state.
	 * Cancelling it stops listening.
	 * @return the future
	 */
	public CompletableFuture<ResultMeta> future() {
		return this.future;
	}

	/**
	 * Say that the task's message is about to be published: a notification sent before
	 * the subscription is in place could be missed, so once it is, the backend reads the
	 * result once.
	 */
	public void publishing() {
		this.publishing.run();
	}

	/**
	 * Say that a caller is about to block on {@link #future()}, which has not completed:
	 * a result stored before the subscription was in place sent a notification no one
	 * heard, so the backend reads it once (once the subscription is in place, if it is
	 * not yet). Without a caller that waits, no read is made.
	 */
	public void awaiting() {
		this.awaiting.run();
	}

	/**
	 * Return a future completed once the result's notifications are listened for (or the
	 * backend gave up subscribing and reads the result instead).
	 * @return the future
	 */
	public CompletableFuture<Void> subscribed() {
		return this.subscribed;
	}

}
