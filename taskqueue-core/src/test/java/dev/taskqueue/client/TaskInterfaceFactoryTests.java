package dev.taskqueue.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.client.TaskExchange.ArgumentStyle;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What a task interface's proxy sends, with no broker: names, arguments, options and
 * their precedence, return types, and the errors of interfaces that cannot call tasks.
 */
class TaskInterfaceFactoryTests {

	private final RecordingTaskClient client = new RecordingTaskClient();

	private final TaskInterfaceFactory factory = new TaskInterfaceFactory(this.client);

	TaskInterfaceFactoryTests() {
		this.client.result = 0;
	}

	@Test
	void positionalArgumentsInParameterOrderByDefault() {
		this.factory.createClient(Math.class).add(2, 3);
		TaskRequest request = this.client.last();
		assertThat(request.getTaskName()).isEqualTo("math.add");
		assertThat(request.getArgs()).containsExactly(2.0, 3.0);
		assertThat(request.getKwargs()).isEmpty();
	}

	@Test
	void keywordArgumentsNamedAfterTheParameters() {
		this.factory.createClient(Math.class).greet("Ada", "Hi");
		TaskRequest request = this.client.last();
		assertThat(request.getArgs()).isEmpty();
		assertThat(request.getKwargs()).containsExactly(Map.entry("name", "Ada"), Map.entry("greeting", "Hi"));
	}

	@Test
	void theInterfaceNamesAreAPrefixAndAMethodWithoutNameUsesItsOwn() {
		Math math = this.factory.createClient(Math.class);
		math.add(1, 1);
		assertThat(this.client.last().getTaskName()).isEqualTo("math.add");
		math.subtract(1, 1);
		assertThat(this.client.last().getTaskName()).isEqualTo("math.subtract");
		this.factory.createClient(Unprefixed.class).ping();
		assertThat(this.client.last().getTaskName()).isEqualTo(Unprefixed.class.getName() + ".ping");
	}

	@Test
	void methodOptionsWinOverTheInterfacesAndCallOptionsOverBoth() {
		Math math = this.factory.createClient(Math.class);
		math.add(1, 2);
		TaskRequest fromInterface = this.client.last();
		assertThat(fromInterface.getQueue()).isEqualTo("math");
		assertThat(fromInterface.getPriority()).isEqualTo(3);
		assertThat(fromInterface.getExpiresIn()).isEqualTo(Duration.ofSeconds(60));
		assertThat(fromInterface.getCountdown()).isNull();
		math.subtract(1, 2);
		TaskRequest fromMethod = this.client.last();
		assertThat(fromMethod.getQueue()).isEqualTo("slow");
		assertThat(fromMethod.getPriority()).isEqualTo(9);
		assertThat(fromMethod.getCountdown()).isEqualTo(Duration.ofMillis(1500));
		assertThat(fromMethod.getSerializer()).isEqualTo("msgpack");
		assertThat(fromMethod.getExpiresIn()).isEqualTo(Duration.ofSeconds(60));
		math.multiply(2, 3,
				TaskCallOptions.builder()
					.queue("urgent")
					.priority(1)
					.countdown(Duration.ofSeconds(5))
					.expires(Duration.ofSeconds(7))
					.taskId("my-id")
					.serializer("json")
					.ignoreResult(true)
					.build());
		TaskRequest fromCall = this.client.last();
		assertThat(fromCall.getArgs()).containsExactly(2L, 3L);
		assertThat(fromCall.getQueue()).isEqualTo("urgent");
		assertThat(fromCall.getPriority()).isEqualTo(1);
		assertThat(fromCall.getCountdown()).isEqualTo(Duration.ofSeconds(5));
		assertThat(fromCall.getExpiresIn()).isEqualTo(Duration.ofSeconds(7));
		assertThat(fromCall.getTaskId()).isEqualTo("my-id");
		assertThat(fromCall.getSerializer()).isEqualTo("json");
		assertThat(fromCall.getIgnoreResult()).isTrue();
	}

	@Test
	void nullCallOptionsAreNoOptions() {
		this.factory.createClient(Math.class).multiply(2, 3, null);
		assertThat(this.client.last().getQueue()).isEqualTo("math");
	}

	@Test
	void returnTypeChoosesWhatACallReturns() {
		Math math = this.factory.createClient(Math.class);
		this.client.result = 5;
		assertThat(math.add(2, 3)).isEqualTo(5.0);
		assertThat(math.subtract(2, 3).getId()).isEqualTo("task-" + this.client.sent.size());
		assertThat(math.multiply(2, 3, TaskCallOptions.NONE).join()).isEqualTo(5L);
		this.client.result = List.of(Map.of("x", 1, "y", 2), Map.of("x", 3, "y", 4));
		assertThat(math.points(2)).containsExactly(new Point(1, 2), new Point(3, 4));
		assertThat(math.futurePoints(2).join()).containsExactly(new Point(1, 2), new Point(3, 4));
	}

	@Test
	void signatureSendsNothingAndCarriesTheOptionsWithCeleryNames() {
		int before = this.client.sent.size();
		Signature signature = this.factory.createClient(Math.class)
			.addLater(1, 2, TaskCallOptions.builder().countdown(Duration.ofSeconds(2)).build());
		assertThat(this.client.sent).hasSize(before);
		assertThat(signature.getTaskName()).isEqualTo("math.add");
		assertThat(signature.getArgs()).containsExactly(1.0, 2.0);
		assertThat(signature.getOptions()).containsEntry("queue", "math")
			.containsEntry("priority", 3)
			.containsEntry("expires", 60.0)
			.containsEntry("countdown", 2.0);
	}

	@Test
	void nullForAParameterThatIsNotNullableFailsBeforeSending() {
		Math math = this.factory.createClient(Math.class);
		assertThatIllegalArgumentException().isThrownBy(() -> math.greet(null, "Hi"))
			.withMessageContaining("Argument 0 of " + Math.class.getName() + ".greet(String, String)")
			.withMessageContaining("task 'math.greet'")
			.withMessageContaining("not @Nullable");
		assertThat(this.client.sent).isEmpty();
		math.greet("Ada", null);
		assertThat(this.client.last().getKwargs()).containsEntry("greeting", null);
	}

	@Test
	void nullResultForAPrimitiveFailsNamingTheTaskAndTheMethod() {
		this.client.result = null;
		assertThatIllegalArgumentException().isThrownBy(() -> this.factory.createClient(Math.class).add(1, 2))
			.withMessageContaining("(math.add) returned null (None)")
			.withMessageContaining("add(double, double)");
	}

	@Test
	void resultThatDoesNotConvertFailsNamingTheTaskAndTheType() {
		this.client.result = "not a list";
		assertThatIllegalArgumentException().isThrownBy(() -> this.factory.createClient(Math.class).points(1))
			.withMessageContaining("Result of task task-1 (math.points) cannot be converted to java.util.List<");
	}

	@Test
	void defaultMethodsRunOnTheProxy() {
		Math math = this.factory.createClient(Math.class);
		this.client.result = 4.0;
		assertThat(math.square(2)).isEqualTo(4.0);
		assertThat(this.client.last().getArgs()).containsExactly(2.0, 2.0);
		assertThat(math.toString()).isEqualTo("Task interface " + Math.class.getName());
	}

	@Test
	void aClassIsNotATaskInterface() {
		assertThatIllegalStateException().isThrownBy(() -> this.factory.createClient(String.class))
			.withMessageContaining("java.lang.String is not an interface");
	}

	@Test
	void aMethodThatNamesNoTaskIsRejectedByName() {
		assertThatIllegalStateException().isThrownBy(() -> this.factory.createClient(Unannotated.class))
			.withMessageContaining(Unannotated.class.getName() + ".run(int) names no task");
	}

	@Test
	void optionsBeforeTheLastParameterAreRejected() {
		assertThatIllegalStateException().isThrownBy(() -> this.factory.createClient(OptionsFirst.class))
			.withMessageContaining("takes TaskCallOptions before its last parameter");
	}

	@Test
	void priorityOutOfRangeIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> this.factory.createClient(BadPriority.class))
			.withMessageContaining("@TaskExchange(priority = 300)")
			.withMessageContaining("0-255");
	}

	record Point(int x, int y) {
	}

	@NullMarked
	@TaskExchange(name = "math", queue = "math", priority = 3, expires = 60)
	interface Math {

		@TaskExchange("add")
		double add(double x, double y);

		@TaskExchange(name = "add")
		Signature addLater(double x, double y, TaskCallOptions options);

		@TaskExchange(queue = "slow", priority = 9, countdown = 1.5, serializer = "msgpack")
		TaskResult subtract(double x, double y);

		CompletableFuture<Long> multiply(long x, long y, @Nullable TaskCallOptions options);

		List<Point> points(int count);

		CompletableFuture<List<Point>> futurePoints(int count);

		@TaskExchange(arguments = ArgumentStyle.KEYWORD)
		void greet(String name, @Nullable String greeting);

		default double square(double x) {
			return add(x, x);
		}

	}

	@TaskExchange
	interface Unprefixed {

		void ping();

	}

	interface Unannotated {

		@TaskExchange("tasks.ok")
		void ok();

		void run(int times);

	}

	interface OptionsFirst {

		@TaskExchange("tasks.options")
		void run(TaskCallOptions options, int times);

	}

	interface BadPriority {

		@TaskExchange(name = "tasks.urgent", priority = 300)
		void run();

	}

}
