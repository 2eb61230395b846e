package dev.taskqueue.worker.internal;

import dev.taskqueue.client.TaskExchange;
import dev.taskqueue.client.TaskExchange.ArgumentStyle;
import dev.taskqueue.client.internal.TaskInterfaceFactoryBean;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ResolvableType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A worker that implements a task interface: its {@code @QueueTask} methods take the
 * interface's task names, and interfaces imported in the same application are checked
 * against the tasks registered under their names.
 */
class TaskInterfaceImplementationTests {

	private final TaskRegistry registry = new TaskRegistry();

	private final QueueTaskBeanPostProcessor processor = new QueueTaskBeanPostProcessor(this.registry,
			JsonMapper.builder().build());

	@Test
	void queueTaskWithoutNameTakesTheInterfaceMethodsName() {
		this.processor.postProcessAfterInitialization(new MathWorker(), "math");
		assertThat(this.registry.get("math.divide")).isNotNull();
		assertThat(this.registry.get("math.add")).isNotNull();
		assertThat(this.registry.get(MathWorker.class.getName() + ".divide")).isNull();
	}

	@Test
	void queueTaskNamedOtherwiseThanItsInterfaceMethodFailsNamingBoth() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new MisnamedWorker(), "misnamed"))
			.withMessageContaining("@QueueTask method " + MisnamedWorker.class.getName() + ".divide(double, double)")
			.withMessageContaining("is named 'worker.divide'")
			.withMessageContaining(Math.class.getName() + ".divide(double, double), which calls 'math.divide'");
	}

	@Test
	void interfaceThatFitsTheRegisteredTasksPasses() {
		this.processor.postProcessAfterInitialization(new MathWorker(), "math");
		assertThatNoException().isThrownBy(() -> this.processor.check(Math.class));
	}

	@Test
	void interfaceSendingMoreArgumentsThanTheRegisteredTaskTakesFailsNamingBoth() {
		this.processor.postProcessAfterInitialization(new OtherDivide(), "other");
		assertThatIllegalStateException().isThrownBy(() -> this.processor.check(Math.class))
			.withMessageContaining("Task interface method " + Math.class.getName() + ".divide(double, double)")
			.withMessageContaining("sends 2 arguments, but task 'math.divide' registered in this application ("
					+ OtherDivide.class.getName() + ".divide(double, TaskContext)) takes 1");
	}

	@Test
	void interfaceSendingKeywordsTheRegisteredTaskDoesNotHaveFailsNamingBoth() {
		this.processor.postProcessAfterInitialization(new Greeter(), "greeter");
		assertThatIllegalStateException().isThrownBy(() -> this.processor.check(Greetings.class))
			.withMessageContaining("sends the keyword arguments [name, greeting]")
			.withMessageContaining(Greeter.class.getName() + ".greet(String, String)) takes [name, salutation]");
	}

	@Test
	void interfacesImportedInTheApplicationAreCheckedOnceEveryBeanIsCreated() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		RootBeanDefinition definition = new RootBeanDefinition(TaskInterfaceFactoryBean.class);
		definition.setTargetType(ResolvableType.forClassWithGenerics(TaskInterfaceFactoryBean.class, Math.class));
		beanFactory.registerBeanDefinition("math", definition);
		this.processor.setBeanFactory(beanFactory);
		this.processor.postProcessAfterInitialization(new OtherDivide(), "other");
		assertThatIllegalStateException().isThrownBy(this.processor::afterSingletonsInstantiated)
			.withMessageContaining("task 'math.divide' registered in this application");
	}

	@Test
	void tasksCalledByNoInterfaceAreNotChecked() {
		this.processor.postProcessAfterInitialization(new OtherDivide(), "other");
		assertThatNoException().isThrownBy(() -> this.processor.check(Greetings.class));
	}

	@TaskExchange("math")
	interface Math {

		double divide(double x, double y);

		@TaskExchange("add")
		double add(double x, double y);

	}

	static class MathWorker implements Math {

		@Override
		@QueueTask
		public double divide(double x, double y) {
			return x / y;
		}

		@Override
		@QueueTask(queue = "adding")
		public double add(double x, double y) {
			return x + y;
		}

	}

	static class MisnamedWorker implements Math {

		@Override
		@QueueTask("worker.divide")
		public double divide(double x, double y) {
			return x / y;
		}

		@Override
		public double add(double x, double y) {
			return x + y;
		}

	}

	static class OtherDivide {

		@QueueTask("math.divide")
		double divide(double x, TaskContext context) {
			return x;
		}

	}

	interface Greetings {

		@TaskExchange(name = "greeter.greet", arguments = ArgumentStyle.KEYWORD)
		String greet(String name, String greeting);

	}

	static class Greeter {

		@QueueTask("greeter.greet")
		String greet(String name, String salutation) {
			return salutation + ", " + name;
		}

	}

}
