package dev.taskqueue.worker.internal;

import java.util.List;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @QueueTask} methods get the hints a native image needs to run them: invocation
 * of the method, and binding of its parameter and return types (generic ones included).
 */
class QueueTaskRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	QueueTaskRuntimeHintsTests() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Shapes.class);
	}

	@Test
	void queueTaskMethodIsInvocable() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shapes.class, "scale")).accepts(this.hints);
	}

	@Test
	void parameterTypesAreBindable() {
		assertThat(RuntimeHintsPredicates.reflection().onType(Point.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Point.class, "x")).accepts(this.hints);
	}

	@Test
	void genericReturnTypesAreBindable() {
		assertThat(RuntimeHintsPredicates.reflection().onType(Area.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Area.class, "value")).accepts(this.hints);
	}

	@Test
	void taskContextIsNotBound() {
		assertThat(RuntimeHintsPredicates.reflection().onType(TaskContext.class)).rejects(this.hints);
	}

	static class Shapes {

		@QueueTask("shapes.scale")
		List<Area> scale(Point point, double factor, TaskContext context) {
			return List.of(new Area(point.x() * factor));
		}

	}

	record Point(double x, double y) {
	}

	record Area(double value) {
	}

}
