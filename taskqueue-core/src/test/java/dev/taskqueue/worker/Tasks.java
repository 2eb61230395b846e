package dev.taskqueue.worker;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * Task beans shared by the worker integration tests.
 */
public class Tasks {

	final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

	enum Color {

		RED, GREEN

	}

	record Point(int x, int y) {

	}

	static class Person {

		private String name = "";

		private int age;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public int getAge() {
			return this.age;
		}

		public void setAge(int age) {
			this.age = age;
		}

	}

	@QueueTask("test.add")
	int add(int x, int y) {
		this.calls.add("add");
		return x + y;
	}

	@QueueTask("test.divide")
	double divide(double x, double y) {
		this.calls.add("divide");
		if (y == 0) {
			throw new ArithmeticException("division by zero");
		}
		return x / y;
	}

	@QueueTask("test.concat")
	String concat(String a, String b) {
		return a + b;
	}

	@QueueTask("test.nothing")
	void nothing() {
		this.calls.add("nothing");
	}

	@QueueTask("test.primitives")
	String primitives(int i, long l, double d, boolean b, short s, byte by, float f, char c) {
		return i + "|" + l + "|" + d + "|" + b + "|" + s + "|" + by + "|" + f + "|" + c;
	}

	@QueueTask("test.boxes")
	String boxes(Integer i, Long l, Double d, Boolean b, @Nullable Integer missing) {
		return i + "|" + l + "|" + d + "|" + b + "|" + missing;
	}

	@QueueTask("test.decimal")
	BigDecimal decimal(BigDecimal amount) {
		return amount.multiply(BigDecimal.TEN);
	}

	@QueueTask("test.enum")
	String color(Color color) {
		return color.name().toLowerCase();
	}

	@QueueTask("test.points")
	int sumPoints(List<Point> points) {
		return points.stream().mapToInt((p) -> p.x() + p.y()).sum();
	}

	@QueueTask("test.map")
	int sumMap(Map<String, Integer> values) {
		return values.values().stream().mapToInt(Integer::intValue).sum();
	}

	@QueueTask("test.record")
	Point move(Point point, int dx) {
		return new Point(point.x() + dx, point.y());
	}

	@QueueTask("test.pojo")
	String greet(Person person) {
		return person.getName() + " is " + person.getAge();
	}

	@QueueTask(name = "test.ignored", ignoreResult = true)
	int ignored(int x) {
		this.calls.add("ignored");
		return x;
	}

	@QueueTask(name = "test.ignored-failure", ignoreResult = true)
	int ignoredFailure() {
		throw new IllegalStateException("ignored but failed");
	}

	@QueueTask(name = "test.limited", rateLimit = "5/s")
	long limited() {
		return System.nanoTime();
	}

}
