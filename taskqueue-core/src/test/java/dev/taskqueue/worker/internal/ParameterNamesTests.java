package dev.taskqueue.worker.internal;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Keyword arguments bind by parameter name: a task compiled without {@code -parameters}
 * fails at registration with the fix, instead of binding to {@code arg0}.
 */
class ParameterNamesTests {

	private final TaskRegistry registry = new TaskRegistry();

	private final QueueTaskBeanPostProcessor processor = new QueueTaskBeanPostProcessor(this.registry,
			JsonMapper.builder().build());

	@TempDir
	Path classes;

	@Test
	void taskCompiledWithoutParameterNamesFailsAtRegistrationWithTheFix() throws Exception {
		Object worker = compileWithoutParameters("NamelessWorker", """
				public class NamelessWorker {
					@dev.taskqueue.worker.QueueTask("nameless.divide")
					public double divide(double x, double y) {
						return x / y;
					}
				}
				""");
		assertThat(worker.getClass().getMethod("divide", double.class, double.class).getParameters()[0].getName())
			.as("the fixture has no parameter names")
			.isEqualTo("arg0");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(worker, "nameless"))
			.withMessageContaining("Task 'nameless.divide' (NamelessWorker.divide(double, double))")
			.withMessageContaining("the names of its parameters are not available")
			.withMessageContaining("Compile NamelessWorker with -parameters")
			.withMessageContaining("<parameters>true</parameters>");
		assertThat(this.registry.get("nameless.divide")).isNull();
	}

	@Test
	void taskWithoutArgumentsNeedsNoParameterNames() throws Exception {
		Object worker = compileWithoutParameters("ContextOnlyWorker", """
				public class ContextOnlyWorker {
					@dev.taskqueue.worker.QueueTask("nameless.tick")
					public String tick(dev.taskqueue.worker.TaskContext context) {
						return "tick";
					}
				}
				""");
		this.processor.postProcessAfterInitialization(worker, "tick");
		assertThat(this.registry.get("nameless.tick")).isNotNull();
	}

	@Test
	void taskCompiledWithParameterNamesBindsKeywordArgumentsByThem() {
		this.processor.postProcessAfterInitialization(new Named(), "named");
		assertThat(this.registry.get("named.divide").getArgumentNames()).containsExactly("dividend", "divisor");
	}

	private Object compileWithoutParameters(String className, String source) throws IOException {
		Path sourceFile = this.classes.resolve(className + ".java");
		Files.writeString(sourceFile, source);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
			List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
					this.classes.toString(), "-proc:none");
			boolean compiled = compiler
				.getTask(null, files, null, options, null, files.getJavaFileObjects(sourceFile.toFile()))
				.call();
			assertThat(compiled).as("the fixture compiles").isTrue();
		}
		URLClassLoader loader = new URLClassLoader(new URL[] { this.classes.toUri().toURL() },
				getClass().getClassLoader());
		try {
			return BeanUtils.instantiateClass(loader.loadClass(className));
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Named {

		@QueueTask("named.divide")
		double divide(double dividend, double divisor) {
			return dividend / divisor;
		}

	}

}
