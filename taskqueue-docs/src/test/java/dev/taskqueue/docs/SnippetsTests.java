package dev.taskqueue.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How regions of snippet sources are cut out for the pages.
 */
class SnippetsTests {

	private static final String SOURCE = """
			class Example {

				void send() {
					// tag::send[]
					client.send("worker.divide", 1, 2);
					if (ready) {
						// tag::inner[]
						go();
						// end::inner[]
					}
					// end::send[]
				}

				// tag::send[]
				void more() {
				}
				// end::send[]

			}
			""";

	@Test
	void regionsAreJoinedAndDeindentedWithoutMarkers() {
		assertThat(Snippets.region(SOURCE, "send")).isEqualTo("""
				client.send("worker.divide", 1, 2);
				if (ready) {
				    go();
				}
				void more() {
				}""");
	}

	@Test
	void nestedRegionStandsAlone() {
		assertThat(Snippets.region(SOURCE, "inner")).isEqualTo("go();");
	}

	@Test
	void tagsAreListed() {
		assertThat(Snippets.tags(SOURCE)).containsExactly("send", "inner");
	}

	@Test
	void missingOrOpenRegionIsAnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> Snippets.region(SOURCE, "receive"))
			.withMessageContaining("no region tagged 'receive'");
		assertThatIllegalArgumentException().isThrownBy(() -> Snippets.region("// tag::open[]\nx();\n", "open"))
			.withMessageContaining("not closed");
	}

}
