package dev.taskqueue.benchmarks.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command that starts another mode of this jar in a JVM of its own.
 */
final class JavaCommand {

	private JavaCommand() {
	}

	static List<String> of(String javaOpts, String mode, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		Arrays.stream(javaOpts.trim().split("\\s+")).filter((opt) -> !opt.isEmpty()).forEach(command::add);
		String classPath = System.getProperty("java.class.path");
		if (!classPath.contains(java.io.File.pathSeparator) && classPath.endsWith(".jar")) {
			command.add("-jar");
			command.add(classPath);
		}
		else {
			command.add("-cp");
			command.add(classPath);
			command.add("dev.taskqueue.benchmarks.BenchMain");
		}
		command.add(mode);
		command.addAll(args);
		return command;
	}

}
