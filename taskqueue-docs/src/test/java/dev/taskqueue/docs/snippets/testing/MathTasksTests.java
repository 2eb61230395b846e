package dev.taskqueue.docs.snippets.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// tag::unit[]
class MathTasksTests {

	private final MathTasks tasks = new MathTasks(); // a task is a method: call it

	@Test
	void dividesAsPythonDoes() {
		assertThat(this.tasks.divide(1, 2)).isEqualTo(0.5);
	}

	@Test
	void refusesToDivideByZero() {
		assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> this.tasks.divide(1, 0));
	}

}
// end::unit[]
