package dev.taskqueue.support;

import java.io.ObjectInputStream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security rules find what they forbid, and only that.
 */
class SecurityRulesTests {

	@Test
	void javaSerializationIsFound() {
		assertThat(violates(SecurityRules.noJavaSerialization, ReadsAnObjectStream.class)).isTrue();
	}

	@Test
	void deserializationHookIsFound() {
		assertThat(violates(SecurityRules.noDeserializationHooks, HasAReadResolveHook.class)).isTrue();
	}

	@Test
	void turningOnDefaultTypingIsFound() {
		assertThat(violates(SecurityRules.noJacksonDefaultTyping, TurnsOnDefaultTyping.class)).isTrue();
	}

	@Test
	void turningOffDefaultTypingIsAllowed() {
		assertThat(violates(SecurityRules.noJacksonDefaultTyping, TurnsOffDefaultTyping.class)).isFalse();
	}

	@Test
	void plainJsonIsAllowed() {
		for (ArchRule rule : new ArchRule[] { SecurityRules.noJavaSerialization, SecurityRules.noDeserializationHooks,
				SecurityRules.noJacksonDefaultTyping }) {
			assertThat(violates(rule, TurnsOffDefaultTyping.class)).as(rule.getDescription()).isFalse();
		}
	}

	private static boolean violates(ArchRule rule, Class<?> type) {
		JavaClasses classes = new ClassFileImporter().importClasses(type);
		return rule.evaluate(classes).hasViolation();
	}

	static final class ReadsAnObjectStream {

		Object read(ObjectInputStream in) throws Exception {
			return in.readObject();
		}

	}

	static final class HasAReadResolveHook {

		Object readResolve() {
			return this;
		}

	}

	static final class TurnsOnDefaultTyping {

		JsonMapper mapper() {
			return JsonMapper.builder()
				.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
						DefaultTyping.NON_FINAL)
				.build();
		}

	}

	static final class TurnsOffDefaultTyping {

		JsonMapper mapper() {
			return JsonMapper.builder().deactivateDefaultTyping().build();
		}

	}

}
