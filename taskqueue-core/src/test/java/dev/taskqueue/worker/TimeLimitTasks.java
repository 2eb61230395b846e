package dev.taskqueue.worker;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks that run too long, for the time-limit tests.
 */
class TimeLimitTasks {

	final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

	final CountDownLatch cleanedUp = new CountDownLatch(1);

	/** Released at the end of each test so abandoned threads finish. */
	final CountDownLatch release = new CountDownLatch(1);

	final AtomicInteger interruptsIgnored = new AtomicInteger();

	volatile Thread stuckThread;

	@QueueTask(name = "limits.soft", softTimeLimit = 0.5)
	String soft() throws InterruptedException {
		this.calls.add("soft");
		try {
			Thread.sleep(60_000);
			return "slept";
		}
		finally {
			this.cleanedUp.countDown();
		}
	}

	@QueueTask(name = "limits.soft-caught", softTimeLimit = 0.5)
	String softCaught() {
		try {
			Thread.sleep(60_000);
			return "slept";
		}
		catch (InterruptedException ex) {
			return "partial";
		}
	}

	@QueueTask(name = "limits.stuck", timeLimit = 1)
	String stuck() {
		this.calls.add("stuck");
		return ignoreInterrupts();
	}

	@QueueTask(name = "limits.none")
	String none() throws InterruptedException {
		this.calls.add("none");
		return this.release.await(60, java.util.concurrent.TimeUnit.SECONDS) ? "released" : "timed out";
	}

	@QueueTask(name = "limits.stubborn")
	String stubborn() {
		this.calls.add("stubborn");
		return ignoreInterrupts();
	}

	@QueueTask(name = "limits.quick", timeLimit = 30, softTimeLimit = 20)
	int quick(int x) {
		this.calls.add("quick");
		return x * 2;
	}

	@QueueTask(name = "limits.annotated", softTimeLimit = 30)
	String annotated() throws InterruptedException {
		Thread.sleep(60_000);
		return "slept";
	}

	private String ignoreInterrupts() {
		this.stuckThread = Thread.currentThread();
		while (this.release.getCount() > 0) {
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				this.interruptsIgnored.incrementAndGet();
			}
		}
		return "finally";
	}

}
