package dev.taskqueue.worker.internal;

import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TaskRegistryTests {

	private final TaskRegistry registry = new TaskRegistry();

	private final QueueTaskBeanPostProcessor processor = new QueueTaskBeanPostProcessor(this.registry,
			JsonMapper.builder().build());

	@Test
	void defaultNameIsClassNameDotMethodName() {
		this.processor.postProcessAfterInitialization(new Unnamed(), "unnamed");
		assertThat(this.registry.get("dev.taskqueue.worker.internal.TaskRegistryTests$Unnamed.compute")).isNotNull();
	}

	@Test
	void annotationOptionsAreKept() {
		this.processor.postProcessAfterInitialization(new Named(), "named");
		TaskMethod task = this.registry.get("reports.render");
		assertThat(task.getQueue()).isEqualTo("reports");
		assertThat(task.isIgnoreResult()).isTrue();
		assertThat(task.getRateLimit().intervalNanos()).isEqualTo(100_000_000L);
		assertThat(this.registry.queueOf("reports.render")).isEqualTo("reports");
	}

	@Test
	void twoMethodsWithOneNameFailNamingBoth() {
		this.processor.postProcessAfterInitialization(new Named(), "named");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new Clash(), "clash"))
			.withMessageContaining("Duplicate task name 'reports.render'")
			.withMessageContaining("dev.taskqueue.worker.internal.TaskRegistryTests$Named.render(String)")
			.withMessageContaining("dev.taskqueue.worker.internal.TaskRegistryTests$Clash.other(int)");
	}

	@Test
	void invalidRateLimitFailsNamingTheTask() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new BadLimit(), "bad"))
			.withMessageContaining("Task 'bad.limit': Invalid rate limit '3/week'");
	}

	static class Unnamed {

		@QueueTask
		int compute() {
			return 1;
		}

	}

	static class Named {

		@QueueTask(name = "reports.render", queue = "reports", ignoreResult = true, rateLimit = "10/s")
		String render(String id) {
			return id;
		}

	}

	static class Clash {

		@QueueTask("reports.render")
		int other(int x) {
			return x;
		}

	}

	static class BadLimit {

		@QueueTask(name = "bad.limit", rateLimit = "3/week")
		void run() {
		}

	}

}
