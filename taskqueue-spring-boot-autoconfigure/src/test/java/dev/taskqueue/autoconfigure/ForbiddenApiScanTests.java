package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.taskqueue.protocol.TaskMessageCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No compiled class of the auto-configuration or the core refers to Java serialization or
 * to Jackson's default typing. Reads each constant pool for the exact names (whether the
 * classes come as a directory or, in a full build, as the core's jar).
 */
class ForbiddenApiScanTests {

	private static final List<String> FORBIDDEN = List.of("java/io/ObjectInputStream", "java/io/ObjectOutputStream",
			"readObject", "readUnshared", "readResolve", "java/beans/XMLDecoder", "activateDefaultTyping",
			"activateDefaultTypingAsProperty", "enableDefaultTyping", "setDefaultTyping",
			"org/springframework/util/SerializationUtils", "org/apache/commons/lang3/SerializationUtils");

	@Test
	void autoConfigurationAndCoreUseNoJavaDeserializationAndNoDefaultTyping() throws Exception {
		Map<String, byte[]> classes = new LinkedHashMap<>();
		read(TaskQueueAutoConfiguration.class, classes);
		read(TaskMessageCodec.class, classes);
		assertThat(classes.keySet()).anyMatch((name) -> name.startsWith("dev/taskqueue/autoconfigure/"))
			.anyMatch((name) -> name.startsWith("dev/taskqueue/worker/"))
			.hasSizeGreaterThan(60);
		List<String> hits = new ArrayList<>();
		classes.forEach((name, bytes) -> {
			for (String forbidden : FORBIDDEN) {
				if (containsUtf8Constant(bytes, forbidden)) {
					hits.add(name + " refers to " + forbidden);
				}
			}
		});
		assertThat(hits).isEmpty();
	}

	private static void read(Class<?> member, Map<String, byte[]> classes) throws Exception {
		Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
		if (Files.isDirectory(location)) {
			try (Stream<Path> walk = Files.walk(location)) {
				for (Path file : walk.filter((path) -> path.toString().endsWith(".class")).toList()) {
					classes.put(location.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
				}
			}
			return;
		}
		try (JarFile jar = new JarFile(location.toFile())) {
			Enumeration<JarEntry> entries = jar.entries();
			while (entries.hasMoreElements()) {
				JarEntry entry = entries.nextElement();
				if (entry.getName().endsWith(".class")) {
					try (InputStream in = jar.getInputStream(entry)) {
						classes.put(entry.getName(), in.readAllBytes());
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + location, ex);
		}
	}

	/**
	 * Whether a class file's constant pool holds exactly this UTF-8 entry (tag 1, two
	 * length bytes, the text), so {@code deactivateDefaultTyping} does not count as
	 * {@code activateDefaultTyping}.
	 */
	private static boolean containsUtf8Constant(byte[] classFile, String text) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		byte[] entry = new byte[utf8.length + 3];
		entry[0] = 1;
		entry[1] = (byte) (utf8.length >> 8);
		entry[2] = (byte) utf8.length;
		System.arraycopy(utf8, 0, entry, 3, utf8.length);
		outer: for (int i = 0; i <= classFile.length - entry.length; i++) {
			for (int j = 0; j < entry.length; j++) {
				if (classFile[i + j] != entry[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

}
