package dev.taskqueue.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.taskqueue.protocol.TaskMessageCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No compiled class of taskqueue-core refers to Java serialization or to Jackson's
 * default typing: the constant pools are read for the exact names, so neither a call nor
 * a {@code readObject} hook can hide.
 */
class ForbiddenApiScanTests {

	static final List<String> FORBIDDEN = List.of("java/io/ObjectInputStream", "java/io/ObjectOutputStream",
			"readObject", "readUnshared", "readResolve", "java/beans/XMLDecoder", "activateDefaultTyping",
			"activateDefaultTypingAsProperty", "enableDefaultTyping", "setDefaultTyping",
			"org/springframework/util/SerializationUtils", "org/apache/commons/lang3/SerializationUtils");

	@Test
	void mainClassesUseNoJavaDeserializationAndNoDefaultTyping() throws Exception {
		Path classes = Path.of(TaskMessageCodec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<Path> files = classFiles(classes);
		// Guard against scanning nothing: the whole engine is there.
		assertThat(files).hasSizeGreaterThan(50);
		List<String> hits = new ArrayList<>();
		for (Path file : files) {
			byte[] bytes = Files.readAllBytes(file);
			for (String name : FORBIDDEN) {
				if (containsUtf8Constant(bytes, name)) {
					hits.add(classes.relativize(file) + " refers to " + name);
				}
			}
		}
		assertThat(hits).isEmpty();
	}

	@Test
	void scanFindsAForbiddenReference() throws Exception {
		// The scan itself works: a class that calls readObject is found, and only whole
		// names match.
		byte[] bytes = Files.readAllBytes(classFile(Sample.class));
		assertThat(containsUtf8Constant(bytes, "readObject")).isTrue();
		assertThat(containsUtf8Constant(bytes, "java/io/ObjectInputStream")).isTrue();
		assertThat(containsUtf8Constant(bytes, "eadObject")).isFalse();
	}

	static List<Path> classFiles(Path root) {
		try (Stream<Path> walk = Files.walk(root)) {
			return walk.filter((path) -> path.toString().endsWith(".class")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether a class file's constant pool holds exactly this UTF-8 entry (tag 1, two
	 * length bytes, the text), so {@code deactivateDefaultTyping} does not count as
	 * {@code activateDefaultTyping}.
	 */
	static boolean containsUtf8Constant(byte[] classFile, String text) {
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

	private static Path classFile(Class<?> type) throws URISyntaxException {
		Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		return root.resolve(type.getName().replace('.', '/') + ".class");
	}

	static final class Sample {

		Object read(java.io.ObjectInputStream in) throws Exception {
			return in.readObject();
		}

	}

}
