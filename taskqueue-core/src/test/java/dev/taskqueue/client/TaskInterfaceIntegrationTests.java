package dev.taskqueue.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.taskqueue.client.TaskExchange.ArgumentStyle;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A task interface against the real broker, result store and a worker that implements it:
 * every return type, generic results, keyword arguments, options, canvases and failures.
 */
class TaskInterfaceIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static Stack stack;

	private static String otherQueue;

	private static String voidQueue;

	private static Geometry geometry;

	@BeforeAll
	static void start() {
		otherQueue = Infrastructure.unique("typed-other");
		voidQueue = Infrastructure.unique("typed-void");
		stack = Stack.builder()
			.defaultQueue(Infrastructure.unique("typed"))
			.deleteOnClose(otherQueue)
			.deleteOnClose(voidQueue)
			.tasks(new GeometryWorker())
			.build();
		stack.startWorker(stack.defaultQueue);
		geometry = new TaskInterfaceFactory(stack.client, stack.mapper, TIMEOUT).createClient(Geometry.class);
	}

	@AfterAll
	static void stop() {
		stack.close();
	}

	@Test
	void valueReturnTypeSendsAndWaitsForTheConvertedResult() {
		assertThat(geometry.divide(16, 2)).isEqualTo(8.0);
	}

	@Test
	void taskResultReturnTypeGivesTheHandle() {
		TaskResult result = geometry.divideLater(9, 3);
		assertThat(result.get(TIMEOUT, Double.class)).isEqualTo(3.0);
		assertThat(result.getState()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void futureReturnTypeCompletesWithTheGenericResult() {
		CompletableFuture<List<Point>> points = geometry.diagonal(3);
		assertThat(points.join()).containsExactly(new Point(0, 0), new Point(1, 1), new Point(2, 2));
	}

	@Test
	void genericValueResultIsDecoded() {
		assertThat(geometry.mirror(List.of(new Point(1, 2)))).containsExactly(new Point(2, 1));
		assertThat(geometry.counts("abca")).containsExactly(Map.entry("a", 2), Map.entry("b", 1), Map.entry("c", 1));
	}

	@Test
	void voidReturnTypeSendsWithoutWaiting() {
		geometry.record(new Point(4, 5), TaskCallOptions.builder().queue(voidQueue).build());
		Message message = new RabbitTemplate(stack.rabbit).receive(voidQueue, 5000);
		assertThat(message).isNotNull();
		assertThat(message.getMessageProperties().getHeaders().get("task")).isEqualTo("geometry.record");
	}

	@Test
	void keywordArgumentsBindByNameOnTheWorker() {
		assertThat(geometry.scale(2.5, new Point(2, 4))).isEqualTo(new Point(5, 10));
	}

	@Test
	void callOptionsReachTheMessage() {
		TaskResult result = geometry.divideLater(1, 1,
				TaskCallOptions.builder().queue(otherQueue).taskId(Infrastructure.unique("typed-id")).build());
		Message message = new RabbitTemplate(stack.rabbit).receive(otherQueue, 5000);
		assertThat(message).isNotNull();
		assertThat(message.getMessageProperties().getHeaders().get("id")).isEqualTo(result.getId());
	}

	@Test
	void signaturesBuildACanvas() {
		TaskResult last = stack.client.chain(geometry.divideStep(64, 2), geometry.dividedBy(2)).send();
		assertThat(last.get(TIMEOUT, Double.class)).isEqualTo(16.0);
	}

	@Test
	void failureOfAValueMethodIsTheClientsFailure() {
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> geometry.divide(1, 0))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("division by zero"));
	}

	@Test
	void failureOfAFutureMethodCompletesItExceptionally() {
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> geometry.diagonal(-1).join())
			.withCauseInstanceOf(TaskFailedException.class);
	}

	@Test
	void resultNotReadyWithinTheMethodsTimeoutIsATimeout() {
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> geometry.slow(3000));
	}

	record Point(int x, int y) {
	}

	@TaskExchange("geometry")
	interface Geometry {

		double divide(double x, double y);

		@TaskExchange("divide")
		TaskResult divideLater(double x, double y);

		@TaskExchange("divide")
		TaskResult divideLater(double x, double y, TaskCallOptions options);

		@TaskExchange("divide")
		Signature divideStep(double x, double y);

		// Partial: a chain puts the previous result in front.
		@TaskExchange("divide")
		Signature dividedBy(double y);

		CompletableFuture<List<Point>> diagonal(int size);

		List<Point> mirror(List<Point> points);

		Map<String, Integer> counts(String text);

		void record(Point point, TaskCallOptions options);

		@TaskExchange(arguments = ArgumentStyle.KEYWORD)
		Point scale(double factor, Point point);

		@TaskExchange(timeout = 0.5)
		String slow(long millis);

	}

	static class GeometryWorker {

		@QueueTask("geometry.divide")
		double divide(double x, double y) {
			if (y == 0) {
				throw new ArithmeticException("division by zero");
			}
			return x / y;
		}

		@QueueTask("geometry.diagonal")
		List<Point> diagonal(int size) {
			if (size < 0) {
				throw new IllegalArgumentException("negative size");
			}
			return java.util.stream.IntStream.range(0, size).mapToObj((i) -> new Point(i, i)).toList();
		}

		@QueueTask("geometry.mirror")
		List<Point> mirror(List<Point> points) {
			return points.stream().map((p) -> new Point(p.y(), p.x())).toList();
		}

		@QueueTask("geometry.counts")
		Map<String, Integer> counts(String text) {
			Map<String, Integer> counts = new java.util.TreeMap<>();
			text.chars().forEach((c) -> counts.merge(String.valueOf((char) c), 1, Integer::sum));
			return counts;
		}

		@QueueTask("geometry.scale")
		Point scale(Point point, double factor) {
			return new Point((int) (point.x() * factor), (int) (point.y() * factor));
		}

		@QueueTask("geometry.slow")
		String slow(long millis) throws InterruptedException {
			Thread.sleep(millis);
			return "done";
		}

	}

}
