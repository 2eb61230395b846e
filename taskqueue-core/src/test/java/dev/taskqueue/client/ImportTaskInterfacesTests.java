package dev.taskqueue.client;

import java.io.IOException;

import dev.taskqueue.client.internal.TaskInterfacesAotProcessor;
import dev.taskqueue.client.scanned.ScannedTasks;
import org.junit.jupiter.api.Test;

import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.GeneratedMethods;
import org.springframework.aot.generate.MethodReference;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.aot.BeanFactoryInitializationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.DecoratingProxy;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ImportTaskInterfaces} makes beans of the interfaces it names and finds, and the
 * AOT processor gives them the hints a native image needs.
 */
class ImportTaskInterfacesTests {

	@Test
	void namedAndScannedInterfacesBecomeBeansThatSendThroughTheClient() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Imports.class)) {
			RecordingTaskClient client = context.getBean(RecordingTaskClient.class);
			context.getBean(Explicit.class).run(3);
			assertThat(client.last().getTaskName()).isEqualTo("explicit.run");
			context.getBean(ScannedTasks.class).labels(new ScannedTasks.Request(2));
			assertThat(client.last().getTaskName()).isEqualTo("scanned.labels");
		}
	}

	@Test
	void anApplicationsFactoryCreatesTheProxies() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Imports.class,
				WithFactory.class)) {
			context.getBean(Explicit.class).run(3);
			assertThat(context.getBean("otherClient", RecordingTaskClient.class).sent).hasSize(1);
			assertThat(context.getBean("client", RecordingTaskClient.class).sent).isEmpty();
		}
	}

	@Test
	void aotProcessorIsRegisteredAndHintsProxiesMethodsAndBindings() {
		GenericApplicationContext context = new AnnotationConfigApplicationContext();
		((AnnotationConfigApplicationContext) context).register(Imports.class);
		context.refreshForAotProcessing(new RuntimeHints());
		DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
		assertThat(AotServices.factories().load(BeanFactoryInitializationAotProcessor.class))
			.hasAtLeastOneElementOfType(TaskInterfacesAotProcessor.class);
		BeanFactoryInitializationAotContribution contribution = new TaskInterfacesAotProcessor()
			.processAheadOfTime(beanFactory);
		assertThat(contribution).isNotNull();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Test")), new InMemoryGeneratedFiles());
		contribution.applyTo(generation, new NoCode());
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(ScannedTasks.class, SpringProxy.class, Advised.class, DecoratingProxy.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(Explicit.class, SpringProxy.class, Advised.class, DecoratingProxy.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ScannedTasks.class, "labels")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(ScannedTasks.Request.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ScannedTasks.Label.class, "text"))
			.accepts(hints);
		context.close();
	}

	@Test
	void aheadOfTimeProcessingGeneratesTheTaskInterfaceBeansAndTheirHints() throws IOException {
		GenericApplicationContext context = new AnnotationConfigApplicationContext();
		((AnnotationConfigApplicationContext) context).register(Imports.class);
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Test")), files);
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		generation.writeGeneratedContent();
		StringBuilder code = new StringBuilder();
		for (String path : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).keySet()) {
			code.append(files.getGeneratedFileContent(GeneratedFiles.Kind.SOURCE, path)).append('\n');
		}
		assertThat(code).contains("new TaskInterfaceFactoryBean")
			.contains("ImportTaskInterfacesTests.Explicit.class")
			.contains("ScannedTasks.class");
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(Explicit.class, SpringProxy.class, Advised.class, DecoratingProxy.class))
			.accepts(generation.getRuntimeHints());
		context.close();
	}

	@Test
	void noTaskInterfacesNoContribution() {
		assertThat(new TaskInterfacesAotProcessor().processAheadOfTime(new DefaultListableBeanFactory())).isNull();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportTaskInterfaces(types = Explicit.class, basePackageClasses = ScannedTasks.class)
	static class Imports {

		@Bean
		RecordingTaskClient client() {
			return new RecordingTaskClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WithFactory {

		@Bean
		RecordingTaskClient otherClient() {
			return new RecordingTaskClient();
		}

		@Bean
		TaskInterfaceFactory taskInterfaceFactory(RecordingTaskClient otherClient) {
			return new TaskInterfaceFactory(otherClient);
		}

	}

	static class NoCode implements BeanFactoryInitializationCode {

		@Override
		public ClassName getClassName() {
			throw new UnsupportedOperationException("hints only");
		}

		@Override
		public GeneratedMethods getMethods() {
			throw new UnsupportedOperationException("hints only");
		}

		@Override
		public void addInitializer(MethodReference methodReference) {
			throw new UnsupportedOperationException("hints only");
		}

	}

	interface Explicit {

		@TaskExchange("explicit.run")
		void run(int times);

	}

}
