package dev.taskqueue.interop;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskFailure;
import org.jspecify.annotations.Nullable;

/**
 * The Java tasks the interoperability tests call from Python. Their names are explicit
 * and Celery-style; {@code interop_app.py} declares stubs with some of these names so
 * that Python's {@code delay} and {@code apply_async} can send them.
 */
class InteropTasks {

	/** Names of the tasks this bean ran, in the order they ran. */
	final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

	/** The {@code i} of every {@code interop.whoami} call this bean ran. */
	final ConcurrentLinkedQueue<Integer> whoamiRuns = new ConcurrentLinkedQueue<>();

	record Point(int x, int y) {

	}

	record Polygon(String name, List<Point> points, int vertices) {

	}

	@QueueTask("interop.java.failure")
	Map<String, @Nullable Object> failure(TaskFailure failure) {
		Map<String, @Nullable Object> seen = new LinkedHashMap<>();
		seen.put("id", failure.getTaskId());
		seen.put("name", failure.getTaskName());
		seen.put("args", failure.getArgs());
		seen.put("type", failure.getExceptionType());
		seen.put("module", failure.getExceptionModule());
		seen.put("message", failure.getExceptionMessage());
		seen.put("traceback", failure.getTraceback());
		return seen;
	}

	@QueueTask("interop.java.add")
	int add(int x, int y) {
		this.calls.add("add");
		return x + y;
	}

	@QueueTask("interop.java.divide")
	double divide(double x, double y) {
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		return x / y;
	}

	@QueueTask("interop.java.greet")
	String greet(String name, String greeting, String punctuation) {
		return greeting + ", " + name + punctuation;
	}

	@QueueTask("interop.java.now")
	long now() {
		this.calls.add("now");
		return System.currentTimeMillis();
	}

	/** What Java received: the value's class and the value itself. */
	@QueueTask("interop.java.describe")
	Map<String, @Nullable Object> describe(@Nullable Object value) {
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("type", (value != null) ? value.getClass().getSimpleName() : "null");
		description.put("value", value);
		return description;
	}

	/**
	 * What Java made of Python's dates, times, decimals and UUIDs, in whichever form
	 * kombu sent them.
	 */
	@QueueTask("interop.java.typed")
	Map<String, Object> typed(OffsetDateTime when, LocalDate day, LocalTime time, BigDecimal amount, UUID id,
			byte[] data) {
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("when", when.toInstant().toString());
		seen.put("day", day.toString());
		seen.put("time", time.toString());
		seen.put("amount", amount.toPlainString());
		seen.put("scale", amount.scale());
		seen.put("id", id.toString());
		seen.put("data", new String(data, java.nio.charset.StandardCharsets.UTF_8));
		return seen;
	}

	@QueueTask("interop.java.twice")
	BigInteger twice(BigInteger n) {
		return n.shiftLeft(1);
	}

	@QueueTask("interop.java.increment")
	long increment(long n) {
		return n + 1;
	}

	@QueueTask("interop.java.text")
	Map<String, Object> text(String text) {
		return Map.of("value", text, "codePoints", text.codePointCount(0, text.length()), "chars", text.length());
	}

	static volatile CountDownLatch gate = new CountDownLatch(0);

	static volatile CountDownLatch gateEntered = new CountDownLatch(0);

	@QueueTask("interop.java.gate")
	boolean gate() throws InterruptedException {
		gateEntered.countDown();
		return gate.await(30, TimeUnit.SECONDS);
	}

	@QueueTask("interop.java.negate")
	boolean negate(boolean flag) {
		return !flag;
	}

	@QueueTask("interop.java.sizes")
	Map<String, Object> sizes(List<Object> list, Map<String, Object> map) {
		return Map.of("list", list, "map", map, "sizes", List.of(list.size(), map.size()));
	}

	@QueueTask("interop.java.polygon")
	Polygon polygon(String name, List<Point> points) {
		return new Polygon(name, points, points.size());
	}

	/**
	 * Records that Java ran call {@code i} and says so; Python's task of this name does
	 * the same.
	 */
	@QueueTask("interop.whoami")
	Map<String, Object> whoami(int i, String runsKey) throws InterruptedException {
		this.whoamiRuns.add(i);
		Thread.sleep(20);
		return Map.of("lang", "java", "i", i);
	}

}
