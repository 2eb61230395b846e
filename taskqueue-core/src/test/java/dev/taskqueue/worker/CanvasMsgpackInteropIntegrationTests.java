package dev.taskqueue.worker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chords across a Java worker and a real Celery 5.2 worker when both send and store in
 * msgpack ({@code task_serializer = result_serializer = 'msgpack'}): Celery's chord
 * counting reads the parts Java writes and the other way round.
 */
class CanvasMsgpackInteropIntegrationTests extends AbstractCanvasInteropIntegrationTests {

	CanvasMsgpackInteropIntegrationTests() {
		super("msgpack");
	}

	@Override
	void assertRecordStart(int firstByte) {
		assertThat(firstByte & 0xf0).as("a msgpack map").isEqualTo(0x80);
	}

}
