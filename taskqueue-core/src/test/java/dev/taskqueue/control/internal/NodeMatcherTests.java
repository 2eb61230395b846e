package dev.taskqueue.control.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link NodeMatcher}: kombu's selection of the nodes that act on a request.
 */
class NodeMatcherTests {

	@Test
	void aDestinationNamesNodesExactly() {
		assertThat(NodeMatcher.selects("w1@h", List.of("w1@h", "w2@h"), null, null)).isTrue();
		assertThat(NodeMatcher.selects("w3@h", List.of("w1@h"), "*", "glob")).isFalse();
		assertThat(NodeMatcher.selects("w1@h", List.of("w1"), null, null)).isFalse();
	}

	@Test
	void withoutDestinationAPatternAndMatcherSelect() {
		// The capture's ping-pattern-glob.json: pattern 'spec@*' against the worker's
		// real name.
		assertThat(NodeMatcher.selects("spec@host1", null, "spec@*", "glob")).isTrue();
		assertThat(NodeMatcher.selects("spec2@host1", null, "spec@*", "glob")).isFalse();
		assertThat(NodeMatcher.selects("w1@h", List.of(), "w?@[gh]", "glob")).isTrue();
		assertThat(NodeMatcher.selects("w1@h", null, "w[!1]@h", "glob")).isFalse();
		assertThat(NodeMatcher.selects("a.b@h", null, "a.b@h", "glob")).isTrue();
		assertThat(NodeMatcher.selects("axb@h", null, "a.b@h", "glob")).isFalse();
	}

	@Test
	void pcreMatchesAtTheStartAsPythonsReMatch() {
		assertThat(NodeMatcher.selects("worker1@host", null, "worker\\d", "pcre")).isTrue();
		assertThat(NodeMatcher.selects("xworker1@host", null, "worker\\d", "pcre")).isFalse();
	}

	@Test
	void nothingNamedSelectsEveryNode() {
		assertThat(NodeMatcher.selects("any@h", null, null, null)).isTrue();
		assertThat(NodeMatcher.selects("any@h", null, "x*", null)).isTrue();
	}

	@Test
	void anUnknownMatcherOrBadPatternIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeMatcher.selects("w@h", null, "x", "regex"))
			.withMessage("No matcher installed for regex");
		assertThatIllegalArgumentException().isThrownBy(() -> NodeMatcher.selects("w@h", null, "(", "pcre"))
			.withMessageContaining("Invalid pcre pattern");
	}

}
