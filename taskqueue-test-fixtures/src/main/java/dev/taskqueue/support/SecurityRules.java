package dev.taskqueue.support;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/**
 * What no production class of taskqueue may do, whatever its module: read Java
 * serialization, or let JSON choose classes through Jackson's default typing. Include
 * them in a module's architecture tests with {@code @ArchTest ArchTests.in(...)}.
 */
public final class SecurityRules {

	private static final Set<String> JAVA_DESERIALIZATION = Set.of("java.io.ObjectInputStream",
			"java.io.ObjectOutputStream", "java.beans.XMLDecoder", "org.springframework.util.SerializationUtils",
			"org.springframework.core.serializer.DefaultDeserializer",
			"org.springframework.core.serializer.support.DeserializingConverter",
			"org.springframework.amqp.utils.SerializationUtils",
			"org.springframework.amqp.support.converter.SimpleMessageConverter",
			"org.springframework.amqp.support.converter.SerializerMessageConverter",
			"org.springframework.data.redis.serializer.JdkSerializationRedisSerializer",
			"org.apache.commons.lang3.SerializationUtils");

	private static final Set<String> DEFAULT_TYPING = Set.of("tools.jackson.databind.DefaultTyping",
			"com.fasterxml.jackson.databind.ObjectMapper$DefaultTyping");

	/** No class reads or writes Java serialization, directly or through a helper. */
	@ArchTest
	public static final ArchRule noJavaSerialization = noClasses().should()
		.dependOnClassesThat(named("Java serialization", JAVA_DESERIALIZATION))
		.because("messages and results are JSON or msgpack, and a Java object stream executes the classes it names");

	/** No class declares the hooks that Java deserialization calls. */
	@ArchTest
	public static final ArchRule noDeserializationHooks = noMethods().should()
		.haveNameMatching("readObject|readObjectNoData|readResolve|readUnshared")
		.because("no taskqueue type is meant to be read from a Java object stream");

	/** No class turns on Jackson's default typing. */
	@ArchTest
	public static final ArchRule noJacksonDefaultTyping = noClasses().should()
		.callMethodWhere(target(nameMatching("activateDefaultTyping.*|enableDefaultTyping.*|setDefaultTyping")))
		.orShould()
		.dependOnClassesThat(named("Jackson's default typing", DEFAULT_TYPING))
		.because("an \"@class\" key or a [\"java.io.File\", ...] array in task arguments must never choose a class");

	private SecurityRules() {
	}

	private static DescribedPredicate<JavaClass> named(String description, Set<String> names) {
		return DescribedPredicate.describe(description, (type) -> names.contains(type.getName()));
	}

}
