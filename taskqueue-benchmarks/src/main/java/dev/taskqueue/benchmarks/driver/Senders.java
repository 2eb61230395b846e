package dev.taskqueue.benchmarks.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Publishes the way an application that must publish fast would with a synchronous,
 * confirmed send: several threads, each sending its share one after the other.
 */
final class Senders implements AutoCloseable {

	private final int threads;

	private final ExecutorService executor;

	Senders(int threads) {
		this.threads = threads;
		this.executor = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-sender");
			thread.setDaemon(true);
			return thread;
		});
	}

	int threads() {
		return this.threads;
	}

	/**
	 * Send {@code count} messages: thread k sends indexes k, k + threads, ...
	 * @param count how many
	 * @param send sends the message of an index
	 * @return the start and end of the run ({@link System#nanoTime()},
	 * {@link System#currentTimeMillis()} of the start)
	 * @throws Exception the first failure of a send
	 */
	Timing send(int count, IntConsumer send) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		AtomicBoolean failed = new AtomicBoolean();
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < this.threads; t++) {
			int first = t;
			futures.add(this.executor.submit(() -> {
				start.await();
				for (int i = first; i < count && !failed.get(); i += this.threads) {
					try {
						send.accept(i);
					}
					catch (RuntimeException ex) {
						failed.set(true);
						throw ex;
					}
				}
				return null;
			}));
		}
		long startMillis = System.currentTimeMillis();
		long startNanos = System.nanoTime();
		start.countDown();
		for (Future<?> future : futures) {
			try {
				future.get();
			}
			catch (ExecutionException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}
		return new Timing(startNanos, startMillis, System.nanoTime());
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * When a publishing run started and ended.
	 *
	 * @param startNanos just before the first send
	 * @param startMillis the same moment on the wall clock
	 * @param endNanos after the last send returned
	 */
	record Timing(long startNanos, long startMillis, long endNanos) {

		double seconds() {
			return (this.endNanos - this.startNanos) / 1e9;
		}

	}

}
